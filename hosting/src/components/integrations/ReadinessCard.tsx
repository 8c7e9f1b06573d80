import { CheckCircle2, Cpu, KeyRound, XCircle } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useIntegrationReadiness } from '@/hooks/useIntegrations'
import { enumLabel } from '@/lib/enum-label'
import { cn } from '@/lib/utils'

/** Which provider runs each pipeline step: one of my integrations, or the local (offline) one. */
export function ReadinessCard({ compact = false, showLink = false }: { compact?: boolean; showLink?: boolean }) {
  const { t } = useTranslation()
  const readiness = useIntegrationReadiness()
  const local = readiness.data?.steps.filter((s) => s.source === 'offline').length ?? 0
  return (
    <Card data-testid="readiness-card">
      <CardHeader className={cn(compact && 'pb-3')}>
        <CardTitle className="text-base">{t('readiness.title')}</CardTitle>
        <CardDescription>
          {readiness.data
            ? local > 0
              ? t('readiness.someLocal', { count: local })
              : t('readiness.allProviders')
            : t('readiness.description')}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {readiness.isError ? (
          <ErrorAlert error={readiness.error} />
        ) : !readiness.data ? (
          <div className="flex flex-col gap-2">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-6 w-full" />
            ))}
          </div>
        ) : (
          <ul className="flex flex-col gap-2.5">
            {readiness.data.steps.map((step) => (
              <li key={step.step} className="flex items-start gap-3 text-sm" data-step={step.step} data-source={step.source}>
                {step.source === 'integration' ? (
                  <KeyRound className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
                ) : step.source === 'offline' ? (
                  <Cpu className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
                ) : step.available ? (
                  <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                ) : (
                  <XCircle className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                )}
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className="font-medium">{enumLabel(t, 'integrationCategory', step.step)}</span>
                    <Badge variant={step.source === 'integration' ? 'success' : step.source === 'offline' ? 'secondary' : 'outline'}>
                      {step.source === 'integration'
                        ? step.provider_name
                        : step.source === 'offline'
                          ? t('readiness.local', { provider: step.provider_name })
                          : t('readiness.none')}
                    </Badge>
                  </div>
                  {!compact && step.note && <p className="mt-0.5 text-xs text-muted-foreground">{step.note}</p>}
                  {!compact &&
                    (step.not_used ?? []).map((n) => (
                      <p key={n.integration_id} className="mt-0.5 text-xs text-muted-foreground" data-testid="readiness-not-used" data-provider={n.provider}>
                        {t('readiness.notUsed', { provider: n.provider_name, reason: n.reason })}
                      </p>
                    ))}
                </div>
              </li>
            ))}
          </ul>
        )}
        {showLink && (
          <Link to="/integrations" className="mt-4 inline-block text-sm font-medium text-primary hover:underline">
            {t('readiness.manage')}
          </Link>
        )}
      </CardContent>
    </Card>
  )
}
