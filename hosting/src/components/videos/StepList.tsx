import { CheckCircle2, Circle, Loader2, MinusCircle, XCircle } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { VideoStep } from '@/api/types'
import { STEP_LABEL_KEYS, STEP_STATUS_LABEL_KEYS } from '@/lib/video-status'
import { cn } from '@/lib/utils'

const ICONS = { pending: Circle, running: Loader2, done: CheckCircle2, failed: XCircle, skipped: MinusCircle } as const
const COLORS = {
  pending: 'text-muted-foreground',
  running: 'text-primary',
  done: 'text-success',
  failed: 'text-destructive',
  skipped: 'text-muted-foreground',
} as const

/** Every pipeline step with its state, provider and note. */
export function StepList({ steps }: { steps: VideoStep[] }) {
  const { t } = useTranslation()
  return (
    <ol className="flex flex-col gap-3" aria-label={t('videoDetail.stepsTitle')} data-testid="video-steps">
      {steps.map((step) => {
        const Icon = ICONS[step.status] ?? Circle
        return (
          <li key={step.step} className="flex items-start gap-3" data-step={step.step} data-step-status={step.status}>
            <Icon
              className={cn('mt-0.5 size-5 shrink-0', COLORS[step.status], step.status === 'running' && 'animate-spin')}
              aria-hidden
            />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-2">
                <span className="font-medium">{t(STEP_LABEL_KEYS[step.step])}</span>
                <span className={cn('text-xs', COLORS[step.status])}>{t(STEP_STATUS_LABEL_KEYS[step.status])}</span>
              </div>
              {(step.provider || step.attempts > 1) && (
                <p className="text-xs text-muted-foreground">
                  {[
                    step.provider ? t('videoDetail.provider', { provider: step.provider }) : null,
                    step.attempts > 1 ? t('videoDetail.attempts', { count: step.attempts }) : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              )}
              {step.status === 'running' && step.progress?.total ? (
                <p className="text-xs tabular-nums text-muted-foreground" data-testid="step-progress">
                  {t('videoDetail.stepFrames', { done: step.progress.done ?? 0, total: step.progress.total })}
                  {step.progress.eta_s != null ? ` · ${t('videoDetail.stepEta', { seconds: Math.ceil(step.progress.eta_s) })}` : ''}
                </p>
              ) : null}
              {step.note && <p className="mt-0.5 text-xs text-muted-foreground">{step.note}</p>}
            </div>
          </li>
        )
      })}
    </ol>
  )
}
