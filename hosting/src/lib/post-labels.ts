import type { PostStatus, PostTargetStatus } from '@/api/types'

/** i18n keys of post and target states, and of the platforms (no keys built at run time). */
export const POST_STATUS_KEY = {
  scheduled: 'posts.status.scheduled',
  publishing: 'posts.status.publishing',
  published: 'posts.status.published',
  partially_published: 'posts.status.partially_published',
  failed: 'posts.status.failed',
  cancelled: 'posts.status.cancelled',
} as const satisfies Record<PostStatus, string>

export const TARGET_STATUS_KEY = {
  queued: 'posts.targetStatus.queued',
  publishing: 'posts.targetStatus.publishing',
  processing: 'posts.targetStatus.processing',
  published: 'posts.targetStatus.published',
  failed: 'posts.targetStatus.failed',
  cancelled: 'posts.targetStatus.cancelled',
} as const satisfies Record<PostTargetStatus, string>

export const PLATFORM_KEY = {
  youtube: 'posts.platform.youtube',
  tiktok: 'posts.platform.tiktok',
  instagram: 'posts.platform.instagram',
  facebook: 'posts.platform.facebook',
} as const
