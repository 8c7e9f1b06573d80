import { TriangleAlert } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { isRouteErrorResponse, useRouteError } from 'react-router'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { AuthBackdrop } from '@/layouts/AuthLayout'
import { isPremiumGateError } from '@/components/billing/UpgradePrompt'
import { ForbiddenPage } from './ForbiddenPage'
import { NotFoundPage } from './NotFoundPage'
import { StatusMessage } from './StatusMessage'

/** Route error boundary: anything thrown while rendering or loading a route lands here. */
export function ErrorPage() {
  const { t } = useTranslation()
  const error = useRouteError()
  if ((isRouteErrorResponse(error) || error instanceof ApiError) && error.status === 404) {
    return (
      <AuthBackdrop>
        <NotFoundPage />
      </AuthBackdrop>
    )
  }
  if (error instanceof ApiError && error.status === 403 && !isPremiumGateError(error)) {
    return (
      <AuthBackdrop>
        <ForbiddenPage description={error.message} />
      </AuthBackdrop>
    )
  }
  const requestId = error instanceof ApiError ? error.requestId : null
  const detail =
    error instanceof ApiError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : isRouteErrorResponse(error)
          ? `${error.status} ${error.statusText}`
          : String(error)
  return (
    <AuthBackdrop>
      <StatusMessage
        code="500"
        icon={TriangleAlert}
        title={t('errors.unexpected.title')}
        description={t('errors.unexpected.description')}
        actions={
          <>
            <Button variant="brand" onClick={() => window.location.reload()} autoFocus>
              {t('errors.reload')}
            </Button>
            <Button variant="outline" onClick={() => window.location.assign('/')}>
              {t('errors.backToDashboard')}
            </Button>
          </>
        }
      >
        {detail && (
          <pre className="mt-6 max-h-40 w-full overflow-auto whitespace-pre-wrap break-words rounded-lg border bg-muted/50 p-3 text-left font-mono text-xs text-muted-foreground">
            {detail}
          </pre>
        )}
        {requestId && (
          <p className="mt-3 text-xs text-muted-foreground" data-testid="request-id">
            {t('errors.requestId')} <code className="select-all font-mono">{requestId}</code>
          </p>
        )}
      </StatusMessage>
    </AuthBackdrop>
  )
}
