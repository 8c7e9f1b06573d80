import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { AnalyticsPost } from '@/api/types'

export type AnalyticsPlatform = 'youtube' | 'tiktok' | 'instagram' | 'facebook'
export const ANALYTICS_PLATFORMS: AnalyticsPlatform[] = ['youtube', 'tiktok', 'instagram', 'facebook']
export type SeriesMetric =
  | 'views'
  | 'likes'
  | 'comments'
  | 'shares'
  | 'saves'
  | 'watch_time_s'
  | 'subscribers_gained'
  | 'engagement_rate'
export const SERIES_METRICS: SeriesMetric[] = [
  'views',
  'likes',
  'comments',
  'shares',
  'saves',
  'watch_time_s',
  'subscribers_gained',
  'engagement_rate',
]
export type TopMetric = 'views' | 'likes' | 'comments' | 'shares' | 'saves' | 'engagement_rate'
export const TOP_METRICS: TopMetric[] = ['views', 'likes', 'comments', 'shares', 'saves', 'engagement_rate']

export const analyticsKeys = {
  all: ['analytics'] as const,
  overview: (days: number) => ['analytics', 'overview', days] as const,
  series: (metric: SeriesMetric, days: number, platform: AnalyticsPlatform | null) =>
    ['analytics', 'time-series', metric, days, platform ?? 'all'] as const,
  platforms: (days: number) => ['analytics', 'platforms', days] as const,
  top: (metric: TopMetric, days: number) => ['analytics', 'top', metric, days] as const,
  heatmap: (days: number, tz: string) => ['analytics', 'heatmap', days, tz] as const,
  post: (postId: string) => ['analytics', 'post', postId] as const,
}

/** The browser's IANA zone: the heatmap's weekdays and hours are the user's local ones. */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/**
 * Totals over the last `days` and their change. While a manual sync runs
 * (`pollMs` set), it refreshes until the sync time moves.
 */
export function useAnalyticsOverview(days: number, pollMs: number | false = false) {
  return useQuery({
    queryKey: analyticsKeys.overview(days),
    queryFn: () => unwrap(api.GET('/api/v1/analytics/overview', { params: { query: { days } } })),
    placeholderData: keepPreviousData,
    refetchInterval: pollMs,
  })
}

export function useTimeSeries(metric: SeriesMetric, days: number, platform: AnalyticsPlatform | null) {
  return useQuery({
    queryKey: analyticsKeys.series(metric, days, platform),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/analytics/time-series', {
          params: { query: { metric, days, ...(platform ? { platform } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  })
}

export function usePlatformComparison(days: number) {
  return useQuery({
    queryKey: analyticsKeys.platforms(days),
    queryFn: () => unwrap(api.GET('/api/v1/analytics/platforms', { params: { query: { days } } })),
    placeholderData: keepPreviousData,
  })
}

export function useTopPosts(metric: TopMetric, days: number) {
  return useQuery({
    queryKey: analyticsKeys.top(metric, days),
    queryFn: () =>
      unwrap(api.GET('/api/v1/analytics/top-performing', { params: { query: { metric, days, limit: 10 } } })),
    placeholderData: keepPreviousData,
  })
}

export function useHeatmap(days: number, tz: string) {
  return useQuery({
    queryKey: analyticsKeys.heatmap(days, tz),
    queryFn: () => unwrap(api.GET('/api/v1/analytics/heatmap', { params: { query: { days, tz } } })),
    placeholderData: keepPreviousData,
  })
}

export function usePostAnalytics(postId: string) {
  return useQuery({
    queryKey: analyticsKeys.post(postId),
    queryFn: () => unwrap(api.GET('/api/v1/analytics/posts/{post_id}', { params: { path: { post_id: postId } } })),
  })
}

/** Sync all my accounts now (one task each, in the background); the server allows one every 15 minutes. */
export function useSyncAll() {
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/analytics/sync')),
  })
}

/** Fetch one post's numbers now (inline); the answer is the post's fresh analytics. */
export function useSyncPost(postId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/analytics/sync/{post_id}', { params: { path: { post_id: postId } } })),
    onSuccess: (data: AnalyticsPost) => {
      queryClient.setQueryData(analyticsKeys.post(postId), data)
      void queryClient.invalidateQueries({
        queryKey: analyticsKeys.all,
        predicate: (q) => q.queryKey[1] !== 'post',
      })
    },
  })
}

/** Whether I have published anything yet (any post with a published target), for the empty states. */
export function useHasPublished() {
  return useQuery({
    queryKey: ['posts', 'analytics-published-check'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/posts', { params: { query: { limit: 50 } } }))
      return page.items.some((p) => p.targets.some((t) => t.status === 'published'))
    },
    staleTime: 60_000,
  })
}
