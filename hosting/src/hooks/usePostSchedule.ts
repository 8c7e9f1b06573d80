import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, fetchText, unwrap } from '@/api/client'
import type { PostStatus } from '@/api/types'
import { postKeys } from '@/hooks/usePosts'

/** This video's queued, publishing or published targets on these accounts (a warning, not a refusal). */
export function usePostConflicts(videoId: string | null, accountIds: string[]) {
  const ids = [...accountIds].sort()
  return useQuery({
    queryKey: ['posts', 'conflicts', videoId, ids.join(',')],
    queryFn: () =>
      unwrap(api.GET('/api/v1/posts/conflicts', { params: { query: { video_id: videoId ?? '', account_ids: ids.join(',') } } })),
    enabled: Boolean(videoId) && ids.length > 0,
  })
}

/** The analytics heatmap's best slots, in `tz`. */
export function useBestSlots(tz: string, enabled = true) {
  return useQuery({
    queryKey: ['analytics', 'heatmap', 'best-slots', tz],
    queryFn: () => unwrap(api.GET('/api/v1/analytics/heatmap', { params: { query: { tz } } })),
    staleTime: 10 * 60_000,
    enabled,
  })
}

/** Move a post to another time (PATCH); the calendar and lists refresh. */
export function useReschedule() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, at }: { id: string; at: Date }) =>
      unwrap(
        api.PATCH('/api/v1/posts/{post_id}', {
          params: { path: { post_id: id } },
          body: { scheduled_at: at.toISOString() },
        }),
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: postKeys.all }),
  })
}

/** Check (dry run) or import a CSV schedule; each row comes back with its errors. */
export function useImportSchedule() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { csv: string; dry_run: boolean; partial: boolean; time_zone: string }) =>
      unwrap(api.POST('/api/v1/posts/import', { body })),
    onSuccess: (result) => {
      if (result.posts_created > 0) void queryClient.invalidateQueries({ queryKey: postKeys.all })
    },
  })
}

/** The schedule as CSV text (one row per target), optionally only posts in `status`. */
export function exportSchedule(status: PostStatus | null): Promise<string> {
  return fetchText('/api/v1/posts/export', status ? { status } : {})
}

/** Save text as a file through a temporary object URL. */
export function saveText(text: string, filename: string, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
