import { useState } from 'react'
import {
  useDismissNotification,
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
  useRecentNotifications,
  useUnreadCount,
} from '@/hooks/useNotifications'
import { NotificationBell } from './NotificationBell'

/** The header bell fed by the notifications API (count polled; the list loads when opened). */
export function ConnectedNotificationBell() {
  const [open, setOpen] = useState(false)
  const unread = useUnreadCount()
  const recent = useRecentNotifications(open)
  const markRead = useMarkNotificationRead()
  const markAll = useMarkAllNotificationsRead()
  const dismiss = useDismissNotification()
  const items = (recent.data?.items ?? []).map((n) => ({
    id: n.id,
    title: n.title,
    message: n.message,
    is_read: Boolean(n.read),
    created_at: n.created_at,
    action_url: n.link ?? null,
  }))
  return (
    <NotificationBell
      unreadCount={unread.data?.total ?? recent.data?.unread_count ?? 0}
      items={items}
      loading={recent.isPending && open}
      onOpenChange={(next) => {
        setOpen(next)
        if (next) void unread.refetch()
      }}
      onMarkRead={(id) => markRead.mutate(id)}
      onMarkAllRead={() => markAll.mutate()}
      onDismiss={(id) => dismiss.mutate(id)}
    />
  )
}
