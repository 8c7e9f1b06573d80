import type { ParseKeys } from 'i18next'
import type { BadgeProps } from '@/components/ui/badge'
import type { Step, StepStatus, VideoStatus } from '@/api/types'

/** Statuses in which the pipeline is still working on a video. */
export const ACTIVE_STATUSES: readonly VideoStatus[] = ['queued', 'processing']

export function isActive(status: VideoStatus | undefined | null): boolean {
  return status != null && ACTIVE_STATUSES.includes(status)
}

/** Every video status (a status the backend adds fails to compile here). */
export const VIDEO_STATUSES = ['queued', 'processing', 'review', 'completed', 'failed', 'cancelled', 'expired'] as const satisfies readonly VideoStatus[]
type _AllStatuses = Exclude<VideoStatus, (typeof VIDEO_STATUSES)[number]> extends never ? true : never
export const _allStatuses: _AllStatuses = true

export interface StatusBadgeStyle {
  labelKey: ParseKeys
  variant: NonNullable<BadgeProps['variant']>
  /** Spinning icon while the pipeline works. */
  busy: boolean
}

export const VIDEO_STATUS_BADGE: Record<VideoStatus, StatusBadgeStyle> = {
  queued: { labelKey: 'videos.status.queued', variant: 'secondary', busy: true },
  processing: { labelKey: 'videos.status.processing', variant: 'warning', busy: true },
  completed: { labelKey: 'videos.status.completed', variant: 'success', busy: false },
  failed: { labelKey: 'videos.status.failed', variant: 'destructive', busy: false },
  review: { labelKey: 'videos.status.review', variant: 'default', busy: false },
  cancelled: { labelKey: 'videos.status.cancelled', variant: 'outline', busy: false },
  expired: { labelKey: 'videos.status.expired', variant: 'outline', busy: false },
}

export const STEP_LABEL_KEYS: Record<Step, ParseKeys> = {
  script: 'videos.steps.script',
  voice: 'videos.steps.voice',
  media: 'videos.steps.media',
  video_ai: 'videos.steps.video_ai',
  assembly: 'videos.steps.assembly',
  finalize: 'videos.steps.finalize',
}

export const STEP_STATUS_LABEL_KEYS: Record<StepStatus, ParseKeys> = {
  pending: 'videos.stepStatus.pending',
  running: 'videos.stepStatus.running',
  done: 'videos.stepStatus.done',
  failed: 'videos.stepStatus.failed',
  skipped: 'videos.stepStatus.skipped',
}
