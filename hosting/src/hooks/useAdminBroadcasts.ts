import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

export type BroadcastRequest = components['schemas']['BroadcastRequest']
export type BroadcastStatus = components['schemas']['BroadcastStatus']

/** How often the broadcast list is refreshed while one is still sending. */
export const BROADCAST_POLL_MS = 3000

export const broadcastKeys = {
  all: ['admin', 'broadcasts'] as const,
  list: (limit: number) => ['admin', 'broadcasts', limit] as const,
}

/** `notifications-list_broadcasts`: newest first; polls while any listed broadcast is still sending. */
export function useAdminBroadcasts(limit = 10) {
  return useQuery({
    queryKey: broadcastKeys.list(limit),
    queryFn: () => unwrap(api.GET('/api/v1/notifications/admin/broadcasts', { params: { query: { limit } } })),
    refetchInterval: (query) =>
      query.state.data?.items.some((b) => b.status === 'sending') ? BROADCAST_POLL_MS : false,
  })
}

/** `notifications-broadcast` (202): stores the broadcast and starts the fan-out; the list refreshes. */
export function useSendBroadcast() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: BroadcastRequest) => unwrap(api.POST('/api/v1/notifications/admin/broadcast', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: broadcastKeys.all }),
  })
}
