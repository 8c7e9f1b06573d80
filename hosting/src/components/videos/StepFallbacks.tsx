import { ArrowRightLeft } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { components } from '@/api/schema'
import { STEP_LABEL_KEYS } from '@/lib/video-status'

type StepOut = components['schemas']['StepOut']
type Fallback = NonNullable<StepOut['fallback']>

/** Literal keys, so the i18n scan can check each one has an English string. */
const REASON_KEYS = {
  unreachable: 'llm.fallback.reasons.unreachable',
  key_refused: 'llm.fallback.reasons.key_refused',
  retries_exhausted: 'llm.fallback.reasons.retries_exhausted',
} as const satisfies Record<Exclude<Fallback['reason'], 'failed_earlier'>, string>

/**
 * The steps that left their provider for another one ("Script: OpenAI
 * unreachable → template writer"), from each step's recorded fallback.
 * Renders nothing when no step fell back.
 */
export function StepFallbacks({ steps }: { steps: StepOut[] }) {
  const { t } = useTranslation()
  const fallen = steps.filter((s): s is StepOut & { fallback: Fallback } => s.fallback != null)
  if (fallen.length === 0) return null
  const reason = (f: Fallback) =>
    f.reason === 'failed_earlier'
      ? t('llm.fallback.reasons.failed_earlier', { source: f.source_step ? t(STEP_LABEL_KEYS[f.source_step]) : '' })
      : t(REASON_KEYS[f.reason])
  return (
    <section aria-labelledby="step-fallbacks-title" className="mt-4 rounded-lg border border-warning/40 bg-warning/10 p-3" data-testid="step-fallbacks">
      <h3 id="step-fallbacks-title" className="mb-2 flex items-center gap-2 text-sm font-medium">
        <ArrowRightLeft className="size-4 shrink-0" aria-hidden />
        {t('llm.fallback.title')}
      </h3>
      <ul className="flex flex-col gap-1.5 text-sm">
        {fallen.map((s) => (
          <li key={s.step} className="break-words" title={s.fallback.message || undefined}>
            {t('llm.fallback.line', {
              step: t(STEP_LABEL_KEYS[s.step]),
              from: s.fallback.from_name,
              reason: reason(s.fallback),
              to: s.fallback.to_name,
            })}
          </li>
        ))}
      </ul>
    </section>
  )
}
