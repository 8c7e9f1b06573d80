import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { Template } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { enumLabel } from '@/lib/enum-label'
import { getPath } from '@/lib/template-config'
import { cn } from '@/lib/utils'

/** Swatch of a template's palette, from its config. */
function Palette({ template }: { template: Template }) {
  const colors = ['primary', 'secondary', 'accent']
    .map((k) => getPath(template.config, `visual_style.color_palette.${k}`))
    .filter((c): c is string => typeof c === 'string')
  return (
    <div className="flex h-2 overflow-hidden rounded-full" aria-hidden>
      {colors.map((c, i) => (
        <span key={i} className="flex-1" style={{ backgroundColor: c }} />
      ))}
    </div>
  )
}

/**
 * A template tile; `selected` + `onSelect` make it a radio-like choice, `actions` add buttons,
 * `insight` a line above them (how the template performs for me).
 */
export function TemplateCard({
  template,
  selected,
  onSelect,
  actions,
  insight,
}: {
  template: Template
  selected?: boolean
  onSelect?: () => void
  actions?: ReactNode
  insight?: ReactNode
}) {
  const { t } = useTranslation()
  const aspect = getPath(template.config, 'visual_style.aspect_ratio')
  const body = (
    <>
      <Palette template={template} />
      <div className="flex items-start justify-between gap-2">
        <h3 className="font-semibold leading-tight">{template.name}</h3>
        {template.is_system ? <Badge variant="brand">{t('templates.system')}</Badge> : null}
      </div>
      <p className="line-clamp-2 text-sm text-muted-foreground">{template.description}</p>
      <div className="mt-auto flex flex-wrap gap-1.5">
        <Badge variant="secondary">{enumLabel(t, 'category', template.category)}</Badge>
        {typeof aspect === 'string' && <Badge variant="outline">{aspect}</Badge>}
        {template.platforms.slice(0, 3).map((p) => (
          <Badge key={p} variant="outline">
            {enumLabel(t, 'platform', p)}
          </Badge>
        ))}
      </div>
    </>
  )
  const base = 'flex h-full w-full flex-col gap-3 rounded-xl border bg-card p-4 text-left shadow-sm transition-colors'
  if (onSelect) {
    return (
      <button
        type="button"
        role="radio"
        aria-checked={Boolean(selected)}
        onClick={onSelect}
        data-testid="template-option"
        data-template-id={template.id}
        className={cn(
          base,
          'hover:border-primary/60 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
          selected && 'border-primary ring-2 ring-primary/40',
        )}
      >
        {body}
      </button>
    )
  }
  return (
    <div className={base} data-testid="template-card" data-template-id={template.id}>
      {body}
      {insight}
      {actions && <div className="flex flex-wrap gap-2 border-t pt-3">{actions}</div>}
    </div>
  )
}
