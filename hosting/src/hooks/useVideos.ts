import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { meQueryKey } from '@/api/queries'
import type { CreateVideoBody, Video, VideoStatus, VideoStatusReport } from '@/api/types'
import { isActive } from '@/lib/video-status'

/** How often a generating video's status is polled. */
export const POLL_INTERVAL_MS = 2000

export const videoKeys = {
  all: ['videos'] as const,
  list: (status: VideoStatus | null) => ['videos', 'list', status ?? 'all'] as const,
  detail: (id: string) => ['videos', 'detail', id] as const,
  status: (id: string) => ['videos', 'status', id] as const,
  stats: ['videos', 'stats'] as const,
}

/** My videos, newest first (the first `limit`); polls while any listed video is still generating. */
export function useVideos(status: VideoStatus | null = null, limit = 24) {
  return useQuery({
    queryKey: [...videoKeys.list(status), limit],
    queryFn: () =>
      unwrap(api.GET('/api/v1/videos', { params: { query: { limit, ...(status ? { status } : {}) } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some((v) => isActive(v.status)) ? POLL_INTERVAL_MS : false),
  })
}

/** All my videos page by page (cursor pagination); polls while any loaded video is generating. */
export function useVideoPages(status: VideoStatus | null = null, pageSize = 24) {
  return useInfiniteQuery({
    queryKey: [...videoKeys.list(status), 'pages', pageSize],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/videos', {
          params: { query: { limit: pageSize, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((v) => isActive(v.status))) ? POLL_INTERVAL_MS : false,
  })
}

export function useVideoStats() {
  return useQuery({
    queryKey: videoKeys.stats,
    queryFn: () => unwrap(api.GET('/api/v1/videos/stats/me')),
  })
}

/** One video (signed URLs come with it once it is completed). */
export function useVideo(id: string | undefined) {
  return useQuery({
    queryKey: videoKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/videos/{video_id}', { params: { path: { video_id: id ?? '' } } })),
    enabled: Boolean(id),
  })
}

/** Interval for a status query: poll while the video is active, stop once it has finished or failed. */
export function statusRefetchInterval(data: Pick<VideoStatusReport, 'status'> | undefined): number | false {
  return data === undefined || isActive(data.status) ? POLL_INTERVAL_MS : false
}

function refreshAfterFinish(queryClient: QueryClient, id: string) {
  void queryClient.invalidateQueries({ queryKey: videoKeys.detail(id) })
  void queryClient.invalidateQueries({ queryKey: ['videos', 'list'] })
  void queryClient.invalidateQueries({ queryKey: videoKeys.stats })
  void queryClient.invalidateQueries({ queryKey: ['notifications'] }) // "video ready/failed" just arrived
}

/**
 * Live progress of one video: polls `videos-status` every ~2 s while it is
 * queued or processing, and stops once it is completed or failed (then
 * refreshes the video itself, whose signed URLs only exist when done).
 */
export function useVideoStatus(id: string | undefined, { enabled = true }: { enabled?: boolean } = {}) {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: videoKeys.status(id ?? ''),
    queryFn: async () => {
      const previous = queryClient.getQueryData<VideoStatusReport>(videoKeys.status(id ?? ''))
      const data = await unwrap(api.GET('/api/v1/videos/{video_id}/status', { params: { path: { video_id: id ?? '' } } }))
      const detail = queryClient.getQueryData<Video>(videoKeys.detail(id ?? ''))
      const wasActive = (previous && isActive(previous.status)) || (detail && isActive(detail.status))
      if (id && wasActive && !isActive(data.status)) refreshAfterFinish(queryClient, id)
      return data
    },
    enabled: Boolean(id) && enabled,
    // Poll while the status says active. Right after "Continue" the video is processing
    // while a status read may still answer "review": keep polling then too, or the page
    // would wait for ever (a finished or failed answer still stops it).
    refetchInterval: (query) => {
      if (query.state.error) return false
      const detail = queryClient.getQueryData<Video>(videoKeys.detail(id ?? ''))
      const waitingOnReview = query.state.data?.status === 'review' && isActive(detail?.status)
      return waitingOnReview ? POLL_INTERVAL_MS : statusRefetchInterval(query.state.data)
    },
    refetchIntervalInBackground: false,
  })
}

export function useCreateVideo() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: CreateVideoBody) => unwrap(api.POST('/api/v1/videos', { body })),
    onSuccess: (video: Video) => {
      queryClient.setQueryData(videoKeys.detail(video.id), video)
      void queryClient.invalidateQueries({ queryKey: videoKeys.all })
      void queryClient.invalidateQueries({ queryKey: meQueryKey }) // videos left today
    },
  })
}

export function useRetryVideo(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (integrationId: string | null) =>
      unwrap(
        api.POST('/api/v1/videos/{video_id}/retry', {
          params: { path: { video_id: id } },
          body: { integration_id: integrationId },
        }),
      ),
    onSuccess: (video: Video) => {
      queryClient.setQueryData(videoKeys.detail(id), video)
      void queryClient.invalidateQueries({ queryKey: meQueryKey })
      void queryClient.invalidateQueries({ queryKey: videoKeys.status(id) })
      void queryClient.invalidateQueries({ queryKey: ['videos', 'list'] })
    },
  })
}

export function useDeleteVideo() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/videos/{video_id}', { params: { path: { video_id: id } } })),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: videoKeys.detail(id) })
      void queryClient.invalidateQueries({ queryKey: videoKeys.all })
    },
  })
}
