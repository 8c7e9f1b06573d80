import { AlertTriangle } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useIntegrationReadiness } from '@/hooks/useIntegrations'
import { useProfile } from '@/hooks/useProfile'
import { STEP_LABEL_KEYS } from '@/lib/video-status'

type Warning = { id: string; text: string }

const REFUSED = /the last key check said (invalid|forbidden)/

/**
 * Before a video starts: the keys its steps would use that are unchecked,
 * unreachable or troubled, and the ones refused (so not used), with what
 * happens when one fails (the user's fallback preference). Nothing when every
 * key is fine.
 */
export function KeyWarnings() {
  const { t } = useTranslation()
  const readiness = useIntegrationReadiness()
  const profile = useProfile()
  const warnings: Warning[] = []
  for (const s of readiness.data?.steps ?? []) {
    const step = t(STEP_LABEL_KEYS[s.step])
    const provider = s.provider_name
    if (s.source === 'integration') {
      if (s.validation_status === 'pending') warnings.push({ id: `${s.step}-u`, text: t('llm.confirm.unchecked', { step, provider }) })
      else if (s.validation_status === 'unreachable') warnings.push({ id: `${s.step}-x`, text: t('llm.confirm.unreachable', { step, provider }) })
      else if (s.validation_status === 'rate_limited' || s.validation_status === 'provider_error')
        warnings.push({ id: `${s.step}-t`, text: t('llm.confirm.troubled', { step, provider, status: s.validation_status.replace('_', ' ') }) })
    }
    for (const n of s.not_used ?? []) {
      if (REFUSED.test(n.reason)) warnings.push({ id: `${s.step}-r-${n.integration_id}`, text: t('llm.confirm.refused', { step, provider: n.provider_name }) })
    }
  }
  if (warnings.length === 0) return null
  const fallbackOn = profile.data?.preferences.provider_fallback ?? true
  return (
    <div role="status" className="rounded-lg border border-warning/40 bg-warning/10 p-3 text-sm" data-testid="key-warnings">
      <p className="mb-1 flex items-center gap-2 font-medium">
        <AlertTriangle className="size-4 shrink-0" aria-hidden />
        {t('llm.confirm.title')}
      </p>
      <ul className="ml-6 list-disc space-y-0.5">
        {warnings.map((w) => (
          <li key={w.id} className="break-words">
            {w.text}
          </li>
        ))}
      </ul>
      <p className="mt-2 text-muted-foreground">{fallbackOn ? t('llm.confirm.fallbackOn') : t('llm.confirm.fallbackOff')}</p>
      <Link to="/integrations" className="mt-1 inline-block font-medium text-primary hover:underline">
        {t('llm.confirm.manage')}
      </Link>
    </div>
  )
}
