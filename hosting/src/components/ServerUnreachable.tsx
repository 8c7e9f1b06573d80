import { RefreshCw, ServerCrash } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'

/** Shown instead of the app when `GET /api/v1/config` fails: the API is down or not running. */
export function ServerUnreachable({
  error,
  onRetry,
  retrying,
}: {
  error: unknown
  onRetry: () => void
  retrying: boolean
}) {
  const { t } = useTranslation()
  const detail =
    error instanceof ApiError ? `${error.code}${error.status ? ` (${error.status})` : ''}: ${error.message}` : String(error)
  return (
    <Card role="alert" className="w-full max-w-md border-destructive/30 bg-card/80 shadow-2xl backdrop-blur-xl animate-slide-up">
      <CardHeader className="items-center text-center">
        <span className="mb-2 flex size-12 items-center justify-center rounded-full bg-destructive/15 text-destructive">
          <ServerCrash className="size-6" aria-hidden />
        </span>
        <CardTitle className="text-xl">{t('serverUnreachable.title')}</CardTitle>
        <CardDescription>{t('serverUnreachable.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <ul className="list-disc space-y-1 pl-5 text-sm text-muted-foreground">
          <li>{t('serverUnreachable.hintLocal')}</li>
          <li>{t('serverUnreachable.hintDeployed')}</li>
        </ul>
        <p className="break-words rounded-md bg-muted px-3 py-2 font-mono text-xs text-muted-foreground">{detail}</p>
        <Button variant="brand" onClick={onRetry} disabled={retrying} className="w-full">
          <RefreshCw className={retrying ? 'animate-spin' : undefined} aria-hidden />
          {retrying ? t('serverUnreachable.retrying') : t('serverUnreachable.retry')}
        </Button>
      </CardContent>
    </Card>
  )
}
