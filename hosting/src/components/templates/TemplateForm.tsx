import { useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Template, TemplateCategory, TemplateConfig, TargetPlatform } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { FormField, serverFieldErrors, useFocusFirstInvalid } from '@/components/form'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Switch } from '@/components/ui/switch'
import { Textarea } from '@/components/ui/textarea'
import { useCreateTemplate, useUpdateTemplate } from '@/hooks/useTemplates'
import { enumLabel } from '@/lib/enum-label'
import { CONFIG_SECTIONS, ENUMS, getPath, setPath, withDefaults } from '@/lib/template-config'
import { ConfigFieldInput, PlatformChoice } from './ConfigFieldInput'

/** Space- or comma-separated text → list (hashtags, tags). */
export function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  return String(value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** Turn the editor's state into the config the API takes (list fields typed as text become lists). */
export function configForApi(config: TemplateConfig): TemplateConfig {
  return setPath(config, 'platform.suggested_hashtags', splitList(getPath(config, 'platform.suggested_hashtags')))
}

/** Field names the form shows errors on: top-level ones and config paths. */
const PREFIXES = ['body.config.', 'body.']
const TOP_LEVEL = ['name', 'description', 'category', 'tags', 'platforms', 'is_public']

/**
 * Create or edit a template: name, description, category, tags, platforms,
 * visibility and every config field. The API validates; its 422 `details`
 * land on the fields they name (`body.config.audio.voice_speed` → Voice speed).
 */
export function TemplateForm({
  template,
  onDone,
  onCancel,
  asSystem = false,
}: {
  template?: Template
  onDone: (t: Template) => void
  onCancel: () => void
  /** Create a system template (admins), visible to everyone. */
  asSystem?: boolean
}) {
  const { t } = useTranslation()
  const create = useCreateTemplate()
  const update = useUpdateTemplate()
  const mutation = template ? update : create
  const [name, setName] = useState(template?.name ?? '')
  const [description, setDescription] = useState(template?.description ?? '')
  const [category, setCategory] = useState<TemplateCategory>(template?.category ?? 'other')
  const [tags, setTags] = useState(template?.tags.join(', ') ?? '')
  const [platforms, setPlatforms] = useState<TargetPlatform[]>(template?.platforms ?? ['tiktok'])
  const [isPublic, setIsPublic] = useState(template?.is_public ?? false)
  const [config, setConfig] = useState<TemplateConfig>(() => withDefaults(template?.config))

  const known = [...TOP_LEVEL, ...CONFIG_SECTIONS.flatMap((s) => s.fields.map((f) => f.path))]
  const { errors, unplaced } = serverFieldErrors(mutation.error, { prefixes: PREFIXES, placed: known })
  const placed = Object.keys(errors).filter((field) => known.includes(field)).length
  const formRef = useRef<HTMLFormElement>(null)
  // A refused save: bring the first field in error into view (the summary sits in the footer).
  useFocusFirstInvalid(formRef, mutation.error)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = {
      name: name.trim(),
      description: description.trim(),
      category,
      tags: splitList(tags),
      platforms,
      is_public: isPublic,
      config: configForApi(config),
    }
    if (template) update.mutate({ id: template.id, body }, { onSuccess: onDone })
    else create.mutate({ ...body, is_system: asSystem }, { onSuccess: onDone })
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="flex flex-col gap-6" data-testid="template-form">
      {template?.is_system ? (
        <div role="note" className="rounded-lg border border-amber-500/40 bg-amber-500/10 p-3 text-sm" data-testid="system-template-warning">
          <p className="font-medium">{t('templateForm.systemWarningTitle')}</p>
          <p className="mt-1 text-muted-foreground">{t('templateForm.systemWarning')}</p>
        </div>
      ) : null}
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="sr-only">{t('templateForm.basics')}</legend>
        <FormField id="tpl-name" label={t('templateForm.name')} error={errors.name} className="sm:col-span-2">
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </FormField>
        <FormField id="tpl-description" label={t('templateForm.description')} error={errors.description} className="sm:col-span-2">
          <Textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
        </FormField>
        <FormField id="tpl-category" label={t('templateForm.category')} error={errors.category}>
          {(control) => (
            <Select value={category} onValueChange={(v) => setCategory(v as TemplateCategory)}>
              <SelectTrigger {...control}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {ENUMS.category.map((c) => (
                  <SelectItem key={c} value={c}>
                    {enumLabel(t, 'category', c)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>
        <FormField id="tpl-tags" label={t('templateForm.tags')} error={errors.tags} hint={t('templateForm.tagsHint')}>
          <Input value={tags} onChange={(e) => setTags(e.target.value)} />
        </FormField>
        <FormField id="tpl-platforms" label={t('templateForm.platforms')} error={errors.platforms} group className="sm:col-span-2">
          {(control) => <PlatformChoice value={platforms} onChange={setPlatforms} {...control} />}
        </FormField>
        <FormField
          id="tpl-public"
          label={t('templateForm.public')}
          error={errors.is_public}
          hint={t('templateForm.publicHint')}
          layout="switch"
          className="sm:col-span-2"
        >
          <Switch checked={isPublic} onCheckedChange={setIsPublic} />
        </FormField>
      </fieldset>

      {CONFIG_SECTIONS.map((section) => (
        <fieldset key={section.id} className="grid gap-4 border-t pt-5 sm:grid-cols-2">
          <legend className="mb-1 text-base font-semibold">{t(section.titleKey)}</legend>
          {section.fields.map((field) => (
            <ConfigFieldInput
              key={field.path}
              field={field}
              value={getPath(config, field.path)}
              onChange={(v) => setConfig((c) => setPath(c, field.path, v))}
              error={errors[field.path]}
            />
          ))}
        </fieldset>
      ))}

      <div className="sticky bottom-0 -mx-6 -mb-6 flex flex-col gap-3 border-t bg-popover px-6 py-4" data-testid="template-form-footer">
        {mutation.error ? (
          <div className="flex max-h-40 flex-col gap-2 overflow-y-auto">
            <ErrorAlert
              error={placed > 0 ? new Error(t('templateForm.fixProblems', { count: placed + unplaced.length })) : mutation.error}
            />
            {unplaced.length > 0 && (
              <ul className="list-inside list-disc text-sm text-destructive" data-testid="template-form-unplaced">
                {unplaced.map(([field, message]) => (
                  <li key={field}>{message}</li>
                ))}
              </ul>
            )}
          </div>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="outline" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="brand" disabled={mutation.isPending} data-testid="template-save">
            {mutation.isPending ? t('common.saving') : template ? t('common.save') : t('templateForm.create')}
          </Button>
        </div>
      </div>
    </form>
  )
}
