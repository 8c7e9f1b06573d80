import { Mail } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ParseKeys } from 'i18next'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Switch } from '@/components/ui/switch'
import { CATEGORY_ORDER, useNotificationPreferences, type NotificationCategory } from '@/hooks/useNotificationPreferences'

const CATEGORY_KEYS = {
  videoCompleted: { label: 'settings.notifications.categories.videoCompleted', hint: 'settings.notifications.hints.videoCompleted' },
  videoFailed: { label: 'settings.notifications.categories.videoFailed', hint: 'settings.notifications.hints.videoFailed' },
  postPublished: { label: 'settings.notifications.categories.postPublished', hint: 'settings.notifications.hints.postPublished' },
  postFailed: { label: 'settings.notifications.categories.postFailed', hint: 'settings.notifications.hints.postFailed' },
  connections: { label: 'settings.notifications.categories.connections', hint: 'settings.notifications.hints.connections' },
  billing: { label: 'settings.notifications.categories.billing', hint: 'settings.notifications.hints.billing' },
} as const satisfies Record<NotificationCategory, { label: ParseKeys; hint: ParseKeys }>

/** In-app notifications per category and email on/off, saved to my account. */
export function NotificationSettings() {
  const { t } = useTranslation()
  const prefs = useNotificationPreferences()
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.notifications.title')}</CardTitle>
        <CardDescription>{t('settings.notifications.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-2">
        {prefs.loadError ? (
          <ErrorAlert
            error={prefs.loadError}
            action={
              <Button size="sm" variant="outline" onClick={() => void prefs.refetch()}>
                {t('common.retry')}
              </Button>
            }
          />
        ) : prefs.isLoading ? (
          <div className="flex flex-col gap-3" aria-busy="true">
            {CATEGORY_ORDER.map((category) => (
              <Skeleton key={category} className="h-12 w-full" />
            ))}
          </div>
        ) : (
          <>
            {prefs.saveError ? <ErrorAlert error={prefs.saveError} /> : null}
            <p className="px-1 pb-1 text-xs font-medium uppercase tracking-wider text-muted-foreground">
              {t('settings.notifications.inApp')}
            </p>
            {CATEGORY_ORDER.map((category) => (
              <label
                key={category}
                className="flex items-center justify-between gap-4 border-t px-1 py-4"
              >
                <span>
                  <span className="block text-sm font-medium">{t(CATEGORY_KEYS[category].label)}</span>
                  <span className="block text-xs text-muted-foreground">{t(CATEGORY_KEYS[category].hint)}</span>
                </span>
                <Switch
                  checked={prefs.inApp(category)}
                  onCheckedChange={(on) => prefs.setInApp(category, on)}
                  aria-label={t('settings.notifications.toggleLabel', { category: t(CATEGORY_KEYS[category].label) })}
                />
              </label>
            ))}
            <label className="mt-2 flex items-center justify-between gap-4 rounded-lg bg-muted/60 px-3 py-3">
              <span className="flex items-start gap-2">
                <Mail className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                <span>
                  <span className="block text-sm font-medium">{t('settings.notifications.email')}</span>
                  <span className="block text-xs text-muted-foreground">{t('settings.notifications.emailHint')}</span>
                </span>
              </span>
              <Switch
                checked={prefs.email}
                onCheckedChange={(on) => prefs.setEmail(on)}
                aria-label={t('settings.notifications.email')}
              />
            </label>
          </>
        )}
      </CardContent>
    </Card>
  )
}
