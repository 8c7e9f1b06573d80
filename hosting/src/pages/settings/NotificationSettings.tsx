import { Info } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ParseKeys } from 'i18next'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Switch } from '@/components/ui/switch'
import {
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_CHANNELS,
  useNotificationPreferences,
  type NotificationCategory,
  type NotificationChannel,
} from '@/hooks/useNotificationPreferences'

const CATEGORY_KEYS = {
  videoCompleted: { label: 'settings.notifications.categories.videoCompleted', hint: 'settings.notifications.hints.videoCompleted' },
  videoFailed: { label: 'settings.notifications.categories.videoFailed', hint: 'settings.notifications.hints.videoFailed' },
  postPublished: { label: 'settings.notifications.categories.postPublished', hint: 'settings.notifications.hints.postPublished' },
  postFailed: { label: 'settings.notifications.categories.postFailed', hint: 'settings.notifications.hints.postFailed' },
  suggestions: { label: 'settings.notifications.categories.suggestions', hint: 'settings.notifications.hints.suggestions' },
  billing: { label: 'settings.notifications.categories.billing', hint: 'settings.notifications.hints.billing' },
} as const satisfies Record<NotificationCategory, { label: ParseKeys; hint: ParseKeys }>

const CHANNEL_KEYS = {
  inApp: 'settings.notifications.channels.inApp',
  email: 'settings.notifications.channels.email',
} as const satisfies Record<NotificationChannel, ParseKeys>

export function NotificationSettings() {
  const { t } = useTranslation()
  const { preferences, setPreference } = useNotificationPreferences()
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.notifications.title')}</CardTitle>
        <CardDescription>{t('settings.notifications.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-2">
        <div className="hidden grid-cols-[1fr_5rem_5rem] gap-4 px-1 pb-2 text-xs font-medium uppercase tracking-wider text-muted-foreground sm:grid">
          <span />
          {NOTIFICATION_CHANNELS.map((channel) => (
            <span key={channel} className="text-center">
              {t(CHANNEL_KEYS[channel])}
            </span>
          ))}
        </div>
        {NOTIFICATION_CATEGORIES.map((category) => (
          <div
            key={category}
            className="grid grid-cols-1 gap-3 border-t px-1 py-4 sm:grid-cols-[1fr_5rem_5rem] sm:items-center sm:gap-4"
          >
            <div>
              <p className="text-sm font-medium">{t(CATEGORY_KEYS[category].label)}</p>
              <p className="text-xs text-muted-foreground">{t(CATEGORY_KEYS[category].hint)}</p>
            </div>
            {NOTIFICATION_CHANNELS.map((channel) => (
              <label key={channel} className="flex items-center justify-between gap-3 sm:justify-center">
                <span className="text-sm text-muted-foreground sm:sr-only">{t(CHANNEL_KEYS[channel])}</span>
                <Switch
                  checked={preferences[category][channel]}
                  onCheckedChange={(value) => setPreference(category, channel, value)}
                  aria-label={t('settings.notifications.toggleLabel', {
                    category: t(CATEGORY_KEYS[category].label),
                    channel: t(CHANNEL_KEYS[channel]),
                  })}
                />
              </label>
            ))}
          </div>
        ))}
        <p className="mt-2 flex items-start gap-2 rounded-lg bg-muted/60 px-3 py-2 text-xs text-muted-foreground">
          <Info className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          {t('settings.notifications.localNote')}
        </p>
      </CardContent>
    </Card>
  )
}
