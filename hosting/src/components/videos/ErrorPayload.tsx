import { AlertTriangle } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { VideoError } from '@/api/types'
import { STEP_LABEL_KEYS } from '@/lib/video-status'

/** A failed video's error: the message up front, the full payload as pretty JSON behind a disclosure. */
export function ErrorPayload({ error }: { error: VideoError }) {
  const { t } = useTranslation()
  return (
    <div role="alert" className="rounded-lg border border-destructive/40 bg-destructive/10 p-4" data-testid="video-error">
      <div className="flex items-start gap-3">
        <AlertTriangle className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden />
        <div className="min-w-0 flex-1">
          <p className="font-semibold text-destructive">
            {t('videoDetail.failedAt', { step: t(STEP_LABEL_KEYS[error.step]) })}
            {error.provider ? ` (${error.provider})` : null}
          </p>
          <p className="mt-1 break-words text-sm">{error.message}</p>
        </div>
      </div>
      <details className="mt-3">
        <summary className="cursor-pointer text-sm font-medium text-muted-foreground hover:text-foreground">
          {t('videoDetail.errorDetails')}
        </summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-background/80 p-3 text-xs leading-relaxed" data-testid="video-error-json">
          {JSON.stringify(error, null, 2)}
        </pre>
      </details>
    </div>
  )
}
