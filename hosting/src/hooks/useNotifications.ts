import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { useAuth } from '@/contexts/auth'

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  recent: ['notifications', 'recent'] as const,
}

/** The unread count refreshes this often (and when the window regains focus). */
const UNREAD_POLL_MS = 30_000

/** `notifications-unread_count`, polled for the header bell. */
export function useUnreadCount() {
  const { status } = useAuth()
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => unwrap(api.GET('/api/v1/notifications/unread-count')),
    enabled: status === 'signed-in',
    refetchInterval: UNREAD_POLL_MS,
    refetchOnWindowFocus: true,
  })
}

/** The latest notifications (not dismissed), loaded when the bell opens. */
export function useRecentNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.recent,
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: { limit: 20 } } })),
    enabled,
  })
}

function useRefresh() {
  const queryClient = useQueryClient()
  return () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all })
}

export function useMarkNotificationRead() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: id } } })),
    onSuccess: refresh,
  })
}

export function useMarkAllNotificationsRead() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/read-all')),
    onSuccess: refresh,
  })
}

export function useDismissNotification() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/notifications/{notification_id}/dismiss', { params: { path: { notification_id: id } } })),
    onSuccess: refresh,
  })
}
