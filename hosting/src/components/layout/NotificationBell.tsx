import { Bell, Check, CheckCheck, X } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { cn } from '@/lib/utils'

/** What the bell needs of one notification (the API's item has more). */
export interface BellNotification {
  id: string
  title: string
  message?: string | null
  is_read: boolean
  created_at?: string | null
  action_url?: string | null
}

function timeAgo(iso: string | null | undefined, locale?: string): string {
  if (!iso) return ''
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000)
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const abs = Math.abs(seconds)
  if (abs < 60) return rtf.format(seconds, 'second')
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour')
  return rtf.format(Math.round(seconds / 86400), 'day')
}

/**
 * Header bell: unread count badge and a dropdown of recent notifications with
 * mark-read / dismiss. `ConnectedNotificationBell` feeds it from the API.
 */
export function NotificationBell({
  unreadCount = 0,
  items = [],
  loading = false,
  onMarkRead,
  onMarkAllRead,
  onDismiss,
  onOpenChange,
}: {
  unreadCount?: number
  items?: BellNotification[]
  loading?: boolean
  onMarkRead?: (id: string) => void
  onMarkAllRead?: () => void
  onDismiss?: (id: string) => void
  onOpenChange?: (open: boolean) => void
}) {
  const { t, i18n } = useTranslation()
  const label =
    unreadCount > 0 ? t('notifications.bellLabelUnread', { count: unreadCount }) : t('notifications.bellLabel')
  return (
    <DropdownMenu onOpenChange={onOpenChange}>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={label} className="relative" data-testid="notification-bell">
          <Bell aria-hidden />
          {unreadCount > 0 && (
            // a deeper fuchsia than the brand's: white on it is 6.3:1 (the brand's is 3.4:1)
            <span
              aria-hidden
              className="absolute right-1.5 top-1.5 flex min-w-4 items-center justify-center rounded-full bg-[oklch(0.52_0.24_323)] px-1 text-[10px] font-bold leading-4 text-white"
            >
              {unreadCount > 99 ? '99+' : unreadCount}
            </span>
          )}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-[min(22rem,calc(100vw-2rem))] p-0">
        <div className="flex items-center justify-between gap-2 px-1 pt-1">
          <DropdownMenuLabel>{t('notifications.title')}</DropdownMenuLabel>
          {onMarkAllRead && unreadCount > 0 && (
            <Button variant="ghost" size="sm" onClick={onMarkAllRead}>
              <CheckCheck aria-hidden />
              {t('notifications.markAllRead')}
            </Button>
          )}
        </div>
        <DropdownMenuSeparator className="mb-0" />
        {items.length === 0 ? (
          <p className="px-2 py-6 text-center text-sm text-muted-foreground">
            {loading ? t('common.loading') : t('notifications.empty')}
          </p>
        ) : (
          <ul className="max-h-96 overflow-y-auto" aria-label={t('notifications.title')}>
            {items.map((n) => (
              <li
                key={n.id}
                className={cn('group flex gap-2 border-b px-3 py-2.5 last:border-0', !n.is_read && 'bg-primary/5')}
                data-notification-id={n.id}
              >
                <span
                  aria-hidden
                  className={cn('mt-1.5 size-2 shrink-0 rounded-full', n.is_read ? 'bg-transparent' : 'bg-brand-fuchsia')}
                />
                <div className="min-w-0 flex-1">
                  {n.action_url && n.action_url.startsWith('/') ? (
                    <Link
                      to={n.action_url}
                      className="text-sm font-medium hover:underline"
                      onClick={() => !n.is_read && onMarkRead?.(n.id)}
                    >
                      {n.title}
                    </Link>
                  ) : (
                    <p className="text-sm font-medium">{n.title}</p>
                  )}
                  {n.message && <p className="line-clamp-2 text-xs text-muted-foreground">{n.message}</p>}
                  {n.created_at && <p className="mt-0.5 text-[11px] text-muted-foreground">{timeAgo(n.created_at, i18n.language)}</p>}
                </div>
                <div className="flex shrink-0 flex-col gap-1">
                  {!n.is_read && onMarkRead && (
                    <Button variant="ghost" size="icon-sm" onClick={() => onMarkRead(n.id)} aria-label={t('notifications.markRead', { title: n.title })}>
                      <Check aria-hidden />
                    </Button>
                  )}
                  {onDismiss && (
                    <Button variant="ghost" size="icon-sm" onClick={() => onDismiss(n.id)} aria-label={t('notifications.dismiss', { title: n.title })}>
                      <X aria-hidden />
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
