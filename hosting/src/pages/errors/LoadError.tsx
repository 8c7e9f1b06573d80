import { useTranslation } from 'react-i18next'
import { ApiError } from '@/api/errors'
import { isPremiumGateError } from '@/components/billing/UpgradePrompt'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { ForbiddenPage } from './ForbiddenPage'
import { NotFoundPage } from './NotFoundPage'

/**
 * A page whose main query failed: the API's 404 is the not-found page, its 403
 * the forbidden page (with the API's reason), anything else the API's message
 * with a retry.
 */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation()
  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />
  if (error instanceof ApiError && error.status === 403 && !isPremiumGateError(error)) {
    return <ForbiddenPage description={error.message} />
  }
  return (
    <ErrorAlert
      error={error}
      action={
        onRetry ? (
          <Button size="sm" variant="outline" onClick={onRetry}>
            {t('common.tryAgain')}
          </Button>
        ) : undefined
      }
    />
  )
}
