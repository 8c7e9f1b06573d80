import { useState } from 'react'
import { Eye, EyeOff, Loader2, RefreshCw, Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Integration, ValidationStatus } from '@/api/types'
import { errorMessage } from '@/components/ErrorAlert'
import { Badge, type BadgeProps } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Switch } from '@/components/ui/switch'
import { useRevealIntegration, useToggleIntegration, useValidateIntegration } from '@/hooks/useIntegrations'
import { enumLabel } from '@/lib/enum-label'

export const VALIDATION_VARIANT: Record<ValidationStatus, NonNullable<BadgeProps['variant']>> = {
  pending: 'secondary',
  valid: 'success',
  invalid: 'destructive',
  forbidden: 'destructive',
  rate_limited: 'warning',
  provider_error: 'warning',
  unreachable: 'warning',
}

/** One connected provider: masked key with reveal, latest check, validate, on/off, delete. */
export function IntegrationCard({ integration, onDelete }: { integration: Integration; onDelete: (i: Integration) => void }) {
  const { t } = useTranslation()
  const [revealed, setRevealed] = useState<string | null>(null)
  const reveal = useRevealIntegration()
  const validate = useValidateIntegration()
  const toggle = useToggleIntegration()
  const v = integration.validation
  const checking = validate.isPending || (v.status === 'pending' && v.seq > 0)
  const switchId = `integration-active-${integration.id}`

  const onReveal = () => {
    if (revealed) return setRevealed(null)
    reveal.mutate(integration.id, {
      onSuccess: (data) => setRevealed(data.api_key),
      onError: (error) => toast.error(errorMessage(error, t('common.unknownError'))),
    })
  }

  return (
    <Card className="flex flex-col gap-4 p-4 sm:p-5" data-testid="integration-card" data-provider={integration.provider}>
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="font-semibold">{integration.display_name}</h3>
          <p className="text-xs text-muted-foreground">
            {integration.categories.map((c) => enumLabel(t, 'integrationCategory', c)).join(' · ')}
          </p>
          {integration.provider_status !== 'active' && (
            <div className="mt-1.5 flex flex-col gap-1" data-testid="integration-provider-status" data-status={integration.provider_status}>
              <Badge variant={integration.provider_status === 'retired' ? 'destructive' : 'warning'} className="w-fit">
                {enumLabel(t, 'providerStatus', integration.provider_status)}
              </Badge>
              {integration.provider_status_reason && (
                <p className="text-xs text-muted-foreground">{integration.provider_status_reason}</p>
              )}
            </div>
          )}
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor={switchId} className="text-xs text-muted-foreground">
            {integration.is_active ? t('integrations.active') : t('integrations.inactive')}
          </label>
          <Switch
            id={switchId}
            checked={integration.is_active}
            disabled={toggle.isPending}
            onCheckedChange={(isActive) =>
              toggle.mutate(
                { id: integration.id, isActive },
                { onError: (error) => toast.error(errorMessage(error, t('common.unknownError'))) },
              )
            }
          />
        </div>
      </div>

      {integration.masked_key !== null && (
        <div className="flex items-center gap-2">
          <code className="min-w-0 flex-1 truncate rounded-md bg-muted px-2.5 py-1.5 font-mono text-xs" data-testid="integration-key">
            {revealed ?? integration.masked_key}
          </code>
          <Button
            size="icon-sm"
            variant="ghost"
            onClick={onReveal}
            disabled={reveal.isPending}
            aria-label={revealed ? t('integrations.hideKey') : t('integrations.revealKey')}
            aria-pressed={Boolean(revealed)}
          >
            {revealed ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
          </Button>
        </div>
      )}

      <div className="rounded-md border p-3" data-testid="integration-validation" data-status={v.status}>
        <div className="flex items-center justify-between gap-2">
          <Badge variant={VALIDATION_VARIANT[v.status]}>
            {checking && <Loader2 className="animate-spin" aria-hidden />}
            {checking ? t('integrations.checking') : enumLabel(t, 'validationStatus', v.status)}
          </Badge>
          {v.checked_at && <span className="text-xs text-muted-foreground">{new Date(v.checked_at).toLocaleString()}</span>}
        </div>
        <p className="mt-2 break-words text-sm text-muted-foreground" aria-live="polite" data-testid="integration-validation-message">
          {v.message}
        </p>
      </div>

      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant="outline"
          disabled={checking}
          onClick={() =>
            validate.mutate(integration.id, { onError: (error) => toast.error(errorMessage(error, t('common.unknownError'))) })
          }
        >
          <RefreshCw aria-hidden className={checking ? 'animate-spin' : undefined} />
          {t('integrations.validate')}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto text-muted-foreground hover:text-destructive"
          onClick={() => onDelete(integration)}
          aria-label={t('integrations.deleteNamed', { name: integration.display_name })}
        >
          <Trash2 aria-hidden />
          {t('common.delete')}
        </Button>
      </div>
    </Card>
  )
}
