import { useState, type FormEvent } from 'react'
import { ExternalLink } from 'lucide-react'
import type { ParseKeys } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { AvailableProvider, IntegrationCategory } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { useAddIntegration, useAvailableIntegrations } from '@/hooks/useIntegrations'
import { enumLabel, humanize } from '@/lib/enum-label'
import { mapFieldErrors } from '@/lib/field-errors'
import { cn } from '@/lib/utils'

/** Labels of free-text options whose name does not read well humanized. */
const OPTION_LABELS: Partial<Record<string, ParseKeys>> = { base_url: 'llm.integration.baseUrl', model: 'llm.integration.model' }

export const INTEGRATION_CATEGORIES = ['script', 'voice', 'media', 'video_ai', 'assembly'] as const satisfies readonly IntegrationCategory[]

/** Add a provider: choose it (filtered to a category when one is given), paste its key, set its options. */
export function AddIntegrationDialog({
  open,
  onOpenChange,
  category,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  category: IntegrationCategory | null
}) {
  const { t } = useTranslation()
  const available = useAvailableIntegrations()
  const add = useAddIntegration()
  const [providerId, setProviderId] = useState<string>('')
  const [apiKey, setApiKey] = useState('')
  const [options, setOptions] = useState<Record<string, string>>({})
  const [chosenCategory, setChosenCategory] = useState<IntegrationCategory | null>(null)
  const shownCategory = chosenCategory ?? category ?? 'script'
  const providers = (available.data?.items ?? []).filter((p) => p.categories.includes(shownCategory))
  const provider: AvailableProvider | undefined = providers.find((p) => p.id === providerId)
  const errors = mapFieldErrors(add.error)

  const reset = () => {
    setChosenCategory(null)
    setProviderId('')
    setApiKey('')
    setOptions({})
    add.reset()
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!provider) return
    add.mutate(
      {
        provider: provider.id,
        api_key: provider.needs_key && apiKey.trim() ? apiKey.trim() : null,
        options: Object.fromEntries(Object.entries(options).filter(([, v]) => v.trim() !== '')),
      },
      {
        onSuccess: () => {
          reset()
          onOpenChange(false)
        },
      },
    )
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset()
        onOpenChange(next)
      }}
    >
      <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] max-w-xl overflow-y-auto">
        <DialogHeader>
          <DialogTitle>{t('integrations.addTitle')}</DialogTitle>
          <DialogDescription>{t('integrations.addDescription')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="integration-category">{t('integrations.category')}</Label>
            <Select
              value={shownCategory}
              onValueChange={(v) => {
                setChosenCategory(v as IntegrationCategory)
                setProviderId('')
                setOptions({})
                add.reset()
              }}
            >
              <SelectTrigger id="integration-category">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {INTEGRATION_CATEGORIES.map((c) => (
                  <SelectItem key={c} value={c}>
                    {enumLabel(t, 'integrationCategory', c)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-sm font-medium">{t('integrations.provider')}</legend>
            {available.isError && <ErrorAlert error={available.error} />}
            <div role="radiogroup" aria-label={t('integrations.provider')} className="grid gap-2 sm:grid-cols-2">
              {providers.map((p) => (
                <button
                  key={p.id}
                  type="button"
                  role="radio"
                  aria-checked={p.id === providerId}
                  disabled={p.status === 'retired'}
                  onClick={() => {
                    setProviderId(p.id)
                    setOptions({})
                    add.reset()
                  }}
                  data-provider={p.id}
                  className={cn(
                    'flex flex-col gap-1 rounded-lg border p-3 text-left text-sm transition-colors hover:border-primary/60 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                    p.id === providerId && 'border-primary ring-2 ring-primary/40',
                    p.status === 'retired' && 'cursor-not-allowed opacity-60 hover:border-border',
                  )}
                >
                  <span className="flex items-center justify-between gap-2 font-medium">
                    {p.display_name}
                    {p.configured && <Badge variant="secondary">{t('integrations.configured')}</Badge>}
                    {p.status !== 'active' && (
                      <Badge variant={p.status === 'retired' ? 'destructive' : 'warning'} data-testid="provider-status">
                        {enumLabel(t, 'providerStatus', p.status)}
                      </Badge>
                    )}
                  </span>
                  <span className="line-clamp-2 text-xs text-muted-foreground">{p.status_reason ?? p.used_for}</span>
                </button>
              ))}
            </div>
            <p className="text-xs text-destructive">{errors.provider}</p>
          </fieldset>
          {provider && (
            <>
              {provider.needs_key && (
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="integration-key">
                    {t('integrations.apiKey')}
                    {provider.key_optional ? ` ${t('llm.integration.optional')}` : ''}
                  </Label>
                  <Input
                    id="integration-key"
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    value={apiKey}
                    onChange={(e) => setApiKey(e.target.value)}
                    placeholder={provider.key_format ?? ''}
                    aria-invalid={Boolean(errors.api_key)}
                    aria-describedby={errors.api_key ? 'integration-key-msg integration-key-hint' : 'integration-key-hint'}
                    className="font-mono"
                  />
                  {errors.api_key && (
                    <p id="integration-key-msg" className="text-xs text-destructive" data-field-error>
                      {errors.api_key}
                    </p>
                  )}
                  <p id="integration-key-hint" className="text-xs text-muted-foreground">
                    {provider.key_optional ? t('llm.integration.keyOptionalHint') : provider.key_format ? t('integrations.keyFormat', { format: provider.key_format }) : t('integrations.keyStored')}
                  </p>
                  {provider.keys_url && (
                    <a
                      href={provider.keys_url}
                      target="_blank"
                      rel="noreferrer noopener"
                      className="inline-flex items-center gap-1 text-xs text-primary hover:underline"
                    >
                      {t('integrations.getKey', { provider: provider.display_name })}
                      <ExternalLink className="size-3" aria-hidden />
                    </a>
                  )}
                </div>
              )}
              {(provider.option_specs ?? []).map((spec) => (
                <div key={spec.name} className="flex flex-col gap-1.5">
                  <Label htmlFor={`opt-${spec.name}`}>{OPTION_LABELS[spec.name] ? t(OPTION_LABELS[spec.name] as ParseKeys) : humanize(spec.name)}</Label>
                  {spec.free_text ? (
                    <Input
                      id={`opt-${spec.name}`}
                      value={options[spec.name] ?? ''}
                      onChange={(e) => setOptions((o) => ({ ...o, [spec.name]: e.target.value }))}
                      placeholder={spec.example ?? ''}
                      required={spec.required}
                      spellCheck={false}
                      autoComplete="off"
                      aria-invalid={Boolean(errors[`options.${spec.name}`])}
                      aria-describedby={`opt-${spec.name}-hint`}
                      className="font-mono"
                    />
                  ) : (
                    <Select value={options[spec.name] ?? ''} onValueChange={(v) => setOptions((o) => ({ ...o, [spec.name]: v }))}>
                      <SelectTrigger id={`opt-${spec.name}`}>
                        <SelectValue placeholder={t('integrations.optionDefault')} />
                      </SelectTrigger>
                      <SelectContent>
                        {spec.values.map((v) => (
                          <SelectItem key={v} value={v}>
                            {v}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  )}
                  {errors[`options.${spec.name}`] && (
                    <p className="text-xs text-destructive" data-field-error>
                      {errors[`options.${spec.name}`]}
                    </p>
                  )}
                  {spec.free_text && (
                    <p id={`opt-${spec.name}-hint`} className="text-xs text-muted-foreground">
                      {spec.description}
                    </p>
                  )}
                </div>
              ))}
              {provider.offline_fallback && (
                <p className="text-xs text-muted-foreground">
                  {t('integrations.fallback', {
                    step: provider.categories.map((c) => enumLabel(t, 'integrationCategory', c)).join(', '),
                    fallback: provider.offline_fallback,
                  })}
                </p>
              )}
            </>
          )}
          {add.error && !errors.api_key && !errors.provider ? <ErrorAlert error={add.error} /> : null}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" variant="brand" disabled={!provider || add.isPending || (provider.needs_key && !provider.key_optional && !apiKey.trim())} data-testid="integration-submit">
              {add.isPending ? t('common.saving') : t('integrations.add')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
