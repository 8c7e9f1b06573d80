import { Crown } from 'lucide-react'
import { useContext } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { AuthContext } from '@/contexts/auth'
import { useMe } from '@/hooks/useMe'
import { cn } from '@/lib/utils'

/** Where every upgrade call to action leads. */
export const SUBSCRIPTION_PATH = '/settings/subscription'

/** API error codes that a Premium plan lifts (a free user's limits, or a premium-only feature). */
export const PREMIUM_GATE_CODES = new Set(['premium_required', 'daily_limit_reached', 'concurrent_limit_reached'])

/** True when the error is a refusal that upgrading would lift. */
export function isPremiumGateError(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 429) && PREMIUM_GATE_CODES.has(error.code)
}

/** The "Upgrade" link to Settings › Subscription, alone (for inside an alert or a row). */
export function UpgradeButton({ className }: { className?: string }) {
  const { t } = useTranslation()
  return (
    <Button asChild variant="brand" size="sm" className={className}>
      <Link to={SUBSCRIPTION_PATH}>
        <Crown aria-hidden />
        {t('upgrade.action')}
      </Link>
    </Button>
  )
}

/**
 * The one upgrade call to action, shown wherever a premium gate stops a free user.
 * Renders nothing for premium users and admins (nothing to upgrade to) or when signed out.
 */
export function UpgradePrompt({ message, className }: { message?: string; className?: string }) {
  const { t } = useTranslation()
  const user = useContext(AuthContext)?.user
  if (!user || user.role !== 'free') return null
  return (
    <div
      data-testid="upgrade-prompt"
      className={cn('flex flex-wrap items-center gap-3 rounded-lg border border-brand-violet/40 bg-brand-violet/10 p-3 text-sm', className)}
    >
      <p className="min-w-0 flex-1">{message ?? t('upgrade.message')}</p>
      <UpgradeButton />
    </div>
  )
}

/** The "Upgrade" link, only for a signed-in free user. */
export function UpgradeButtonIfFree() {
  const user = useContext(AuthContext)?.user
  if (!user || user.role !== 'free') return null
  return <UpgradeButton className="shrink-0" />
}

/** The upgrade link for a failed call, when upgrading would lift that refusal and the user is free. */
export function UpgradeForError({ error }: { error: unknown }) {
  return isPremiumGateError(error) ? <UpgradeButtonIfFree /> : null
}

const FEATURE = {
  schedule: { usage: 'can_schedule', message: 'upgrade.schedule' },
  suggestions: { usage: 'can_use_ai_suggestions', message: 'upgrade.suggestions' },
} as const

/** The upgrade offer on a premium-only feature's page, when the user's plan does not include it. */
export function UpgradeForFeature({ feature, className }: { feature: keyof typeof FEATURE; className?: string }) {
  const { t } = useTranslation()
  const usage = useMe().data?.limits
  if (!usage || usage[FEATURE[feature].usage]) return null
  return <UpgradePrompt message={t(FEATURE[feature].message)} className={className} />
}
