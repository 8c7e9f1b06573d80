import { ArrowRight, Crown, Lightbulb, Sparkles } from 'lucide-react'
import { useContext } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ErrorAlert } from '@/components/ErrorAlert'
import { SUBSCRIPTION_PATH } from '@/components/billing/UpgradePrompt'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { AuthContext } from '@/contexts/auth'
import { useMe } from '@/hooks/useMe'
import { makeThisLink, useSuggestionPerformance, useUnreadSuggestions } from '@/hooks/useSuggestions'
import { SUGGESTION_TYPE_KEYS } from './labels'

const TOP = 3

/** What a premium user with no suggestions still needs: the attribution's own words, else the rule. */
function Needs() {
  const { t } = useTranslation()
  const performance = useSuggestionPerformance(true)
  const message = performance.data?.status === 'insufficient_data' ? performance.data.message : null
  return (
    <div className="text-sm" data-testid="suggestions-panel-needs">
      <p className="font-medium">{t('loop.panel.none')}</p>
      <p className="mt-1 text-muted-foreground">{message ?? t('suggestions.emptyNeeds')}</p>
    </div>
  )
}

/**
 * The dashboard's suggestions panel: my newest unread suggestions with "make this", the
 * unread count and a link to the Suggestions page. A free user sees a short premium teaser
 * with the upgrade link the Suggestions page uses; a plan without suggestions otherwise
 * (the feature switched off) shows nothing.
 */
export function SuggestionsPanel() {
  const { t } = useTranslation()
  const me = useMe()
  const role = useContext(AuthContext)?.user?.role
  const allowed = me.data?.limits.can_use_ai_suggestions === true
  const unread = useUnreadSuggestions(TOP, allowed)

  if (me.isPending) return null
  if (!allowed) {
    if (role !== 'free') return null
    return (
      <Card data-testid="suggestions-teaser" className="border-brand-violet/40">
        <CardHeader className="pb-3">
          <CardTitle className="flex items-center gap-2 text-base">
            <Lightbulb className="size-4 text-primary" aria-hidden />
            {t('loop.panel.title')}
          </CardTitle>
          <CardDescription>{t('loop.panel.teaser')}</CardDescription>
        </CardHeader>
        <CardContent>
          <Button asChild variant="brand" size="sm">
            <Link to={SUBSCRIPTION_PATH}>
              <Crown aria-hidden />
              {t('upgrade.action')}
            </Link>
          </Button>
        </CardContent>
      </Card>
    )
  }

  const count = unread.data?.unread_count ?? 0
  const items = unread.data?.items ?? []
  return (
    <Card role="region" data-testid="suggestions-panel" aria-labelledby="suggestions-panel-title">
      <CardHeader className="pb-3">
        <div className="flex items-center justify-between gap-2">
          <CardTitle id="suggestions-panel-title" className="flex items-center gap-2 text-base">
            <Lightbulb className="size-4 text-primary" aria-hidden />
            {t('loop.panel.title')}
          </CardTitle>
          {unread.data && (
            <Badge variant={count > 0 ? 'brand' : 'secondary'} data-testid="suggestions-panel-unread" data-count={count}>
              {t('loop.panel.unread', { count })}
            </Badge>
          )}
        </div>
        <CardDescription>{t('loop.panel.description')}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-3">
        {unread.isError ? (
          <ErrorAlert error={unread.error} />
        ) : unread.isPending ? (
          <div className="flex flex-col gap-2">
            {Array.from({ length: 2 }, (_, i) => (
              <Skeleton key={i} className="h-12 w-full" />
            ))}
          </div>
        ) : items.length === 0 ? (
          <Needs />
        ) : (
          <ul className="flex flex-col gap-3">
            {items.map((s) => {
              const link = makeThisLink(s)
              return (
                <li key={s.id} className="rounded-lg border p-3 text-sm" data-testid="suggestions-panel-item">
                  <Badge variant="secondary" className="mb-1">
                    {t(SUGGESTION_TYPE_KEYS[s.type])}
                  </Badge>
                  <p className="font-medium break-words">{s.title}</p>
                  {s.evidence.points[0] && <p className="mt-0.5 text-xs break-words text-muted-foreground">{s.evidence.points[0]}</p>}
                  {link && (
                    <Button asChild variant="outline" size="sm" className="mt-2">
                      <Link to={link} aria-label={t('loop.panel.makeThisNamed', { title: s.title })}>
                        <Sparkles aria-hidden />
                        {t('suggestions.makeThis')}
                      </Link>
                    </Button>
                  )}
                </li>
              )
            })}
          </ul>
        )}
        <Link to="/suggestions" className="flex items-center gap-1 text-sm font-medium text-primary hover:underline">
          {t('loop.panel.all')}
          <ArrowRight className="size-4" aria-hidden />
        </Link>
      </CardContent>
    </Card>
  )
}
