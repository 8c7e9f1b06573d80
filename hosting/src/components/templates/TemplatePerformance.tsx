import { BarChart3 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { Template } from '@/api/types'
import type { Attribution, GroupStat } from '@/hooks/useSuggestions'

/**
 * The template's figure in my attribution (the closed loop): its videos are matched by the
 * template name they were made with (the attribution groups by it) or by its id.
 */
export function templateStat(attribution: Attribution | undefined, template: Pick<Template, 'id' | 'name'>): GroupStat | null {
  const values = attribution?.dimensions.find((d) => d.dimension === 'template')?.values ?? []
  return values.find((v) => v.value === template.name) ?? values.find((v) => v.value === template.id) ?? null
}

/** "1.4x your median views · 9 videos", or "not enough data" (premium: shown on Templates). */
export function TemplatePerformance({ template, attribution }: { template: Pick<Template, 'id' | 'name'>; attribution: Attribution | undefined }) {
  const { t } = useTranslation()
  if (!attribution) return null
  const stat = templateStat(attribution, template)
  return (
    <p
      className="flex items-start gap-1.5 text-xs text-muted-foreground"
      data-testid="template-performance"
      data-ratio={stat?.ratio ?? undefined}
    >
      <BarChart3 className="mt-px size-3.5 shrink-0" aria-hidden />
      {stat ? (
        <span>
          <span className="font-medium text-foreground">{t('loop.templates.ratio', { ratio: stat.ratio.toFixed(1) })}</span>
          {' · '}
          {t('loop.templates.videos', { count: stat.videos })}
          {' · '}
          {t(CONFIDENCE_KEY[stat.confidence_label])}
        </span>
      ) : (
        <span>{t('loop.templates.notEnough')}</span>
      )}
    </p>
  )
}

const CONFIDENCE_KEY = {
  low: 'loop.templates.confidence.low',
  medium: 'loop.templates.confidence.medium',
  high: 'loop.templates.confidence.high',
} as const satisfies Record<GroupStat['confidence_label'], string>
