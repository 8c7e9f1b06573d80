import { useTranslation } from 'react-i18next'
import type { Template } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { enumLabel } from '@/lib/enum-label'
import { CONFIG_SECTIONS, getPath, withDefaults, type ConfigField } from '@/lib/template-config'

function FieldValue({ field, value }: { field: ConfigField; value: unknown }) {
  const { t } = useTranslation()
  switch (field.kind) {
    case 'enum':
      return <>{enumLabel(t, field.group, String(value))}</>
    case 'boolean':
      return <>{value ? t('common.on') : t('common.off')}</>
    case 'color':
      return (
        <span className="inline-flex items-center gap-2 font-mono text-xs">
          <span className="size-4 rounded border" style={{ backgroundColor: String(value) }} aria-hidden />
          {String(value)}
        </span>
      )
    case 'platforms':
      return <>{(Array.isArray(value) ? value : []).map((p: string) => enumLabel(t, 'platform', p)).join(', ')}</>
    case 'tags':
      return <>{Array.isArray(value) && value.length > 0 ? value.join(' ') : t('common.notSet')}</>
    default:
      return <>{value === '' || value == null ? t('common.notSet') : String(value)}</>
  }
}

/** Read-only view of a template and its whole config. */
export function TemplateDetail({ template }: { template: Template }) {
  const { t } = useTranslation()
  const config = withDefaults(template.config)
  return (
    <div className="flex flex-col gap-5" data-testid="template-detail">
      <div className="flex flex-wrap gap-1.5">
        <Badge variant="secondary">{enumLabel(t, 'category', template.category)}</Badge>
        {template.is_system && <Badge variant="brand">{t('templates.system')}</Badge>}
        {template.is_public && !template.is_system && <Badge variant="outline">{t('templateForm.public')}</Badge>}
        {template.tags.map((tag) => (
          <Badge key={tag} variant="outline">
            {tag}
          </Badge>
        ))}
      </div>
      {CONFIG_SECTIONS.map((section) => (
        <section key={section.id}>
          <h3 className="mb-2 text-sm font-semibold">{t(section.titleKey)}</h3>
          <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-2">
            {section.fields.map((field) => (
              <div key={field.path} className="flex justify-between gap-3 border-b border-border/50 pb-1.5 text-sm">
                <dt className="text-muted-foreground">{t(field.labelKey)}</dt>
                <dd className="min-w-0 break-words text-right font-medium">
                  <FieldValue field={field} value={getPath(config, field.path)} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  )
}
