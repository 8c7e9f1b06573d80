import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { BatchFileBody, BatchRow, BatchStartBody } from '@/api/types'
import { meQueryKey } from '@/api/queries'
import { videoKeys } from '@/hooks/useVideos'

/** Check a batch file (CSV or YAML): its rows and each bad row's errors; nothing is created. */
export function useValidateBatch() {
  return useMutation({
    mutationFn: (body: BatchFileBody) => unwrap(api.POST('/api/v1/videos/batch/validate', { body })),
  })
}

/** Start a batch file's videos: each row once (by its key); limits refuse single rows. */
export function useStartBatch() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: BatchStartBody) => unwrap(api.POST('/api/v1/videos/batch', { body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: videoKeys.all })
      void queryClient.invalidateQueries({ queryKey: meQueryKey }) // videos left today
    },
  })
}

export type BatchPostOutcome = { status: 'posted' | 'scheduled' | 'already'; postId: string | null }

/**
 * Post (or schedule) a finished batch video to its row's accounts, once: a post
 * the video already has to those accounts (a second upload of the same file, a
 * reload) is found and not made again.
 */
export async function postBatchRow(videoId: string, row: BatchRow): Promise<BatchPostOutcome> {
  const accounts = row.accounts ?? []
  const found = await unwrap(
    api.GET('/api/v1/posts/conflicts', { params: { query: { video_id: videoId, account_ids: accounts.join(',') } } }),
  )
  const existing = found.conflicts[0]
  if (existing) return { status: 'already', postId: existing.post_id }
  const at = row.schedule_at ?? null
  const post = await unwrap(
    api.POST('/api/v1/posts', {
      body: {
        video_id: videoId,
        // the video's own title, caption and hashtags, as the CLI posts them
        title: null,
        caption: null,
        hashtags: null,
        privacy: null,
        cover_frame_s: null,
        targets: accounts.map((id) => ({
          social_account_id: id,
          title: null,
          caption: null,
          hashtags: null,
          privacy: null,
          cover_frame_s: null,
        })),
        scheduled_at: at,
        timezone: row.timezone ?? null,
      },
    }),
  )
  const later = at !== null && new Date(post.scheduled_at).getTime() > Date.now()
  return { status: later ? 'scheduled' : 'posted', postId: post.id }
}
