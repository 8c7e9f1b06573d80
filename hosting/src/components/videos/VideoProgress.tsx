import { useTranslation } from 'react-i18next'
import type { Step } from '@/api/types'
import { Progress } from '@/components/ui/progress'
import { STEP_LABEL_KEYS } from '@/lib/video-status'

/** The overall progress bar with the step running now (live region for screen readers). */
export function VideoProgress({ progress, currentStep, className }: { progress: number; currentStep: Step | null; className?: string }) {
  const { t } = useTranslation()
  return (
    <div className={className}>
      <div className="mb-1.5 flex items-center justify-between gap-2 text-xs font-medium">
        <span aria-live="polite">{currentStep ? t('videos.currentStep', { step: t(STEP_LABEL_KEYS[currentStep]) }) : null}</span>
        <span className="tabular-nums" data-testid="video-progress-value">
          {t('videos.progressValue', { progress })}
        </span>
      </div>
      <Progress value={progress} aria-label={t('videos.progressLabel')} data-testid="video-progress" />
    </div>
  )
}
