import type { SeriesMetric } from '@/hooks/useAnalytics'

/** i18n keys for metric and platform names (no keys built at run time). */
export const METRIC_KEY = {
  views: 'analytics.metric.views',
  likes: 'analytics.metric.likes',
  comments: 'analytics.metric.comments',
  shares: 'analytics.metric.shares',
  saves: 'analytics.metric.saves',
  watch_time_s: 'analytics.metric.watch_time_s',
  subscribers_gained: 'analytics.metric.subscribers_gained',
  engagement_rate: 'analytics.metric.engagement_rate',
} as const satisfies Record<SeriesMetric, string>

export const PLATFORM_KEY = {
  youtube: 'posts.platform.youtube',
  tiktok: 'posts.platform.tiktok',
  instagram: 'posts.platform.instagram',
  facebook: 'posts.platform.facebook',
} as const

export function platformKey(platform: string) {
  return platform in PLATFORM_KEY ? PLATFORM_KEY[platform as keyof typeof PLATFORM_KEY] : null
}
