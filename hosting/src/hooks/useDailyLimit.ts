import type { components } from '@/api/schema'
import { useMe } from './useMe'

export interface DailyLimit {
  /** Videos allowed per day; null when unlimited. */
  limit: number | null
  /** Videos started today. */
  used: number | null
  /** Videos left today; null when unlimited. */
  remaining: number | null
  /** When the count starts again (ISO). */
  resetsAt: string | null
}

type Usage = components['schemas']['UsageOut']

/** The daily video limit from `auth-me`'s `limits` (null until it has loaded). */
export function readDailyLimit(usage: Usage | null | undefined): DailyLimit | null {
  if (!usage) return null
  if (usage.daily_limit === null) return { limit: null, used: usage.videos_today, remaining: null, resetsAt: usage.resets_at }
  const remaining = usage.remaining_today ?? Math.max(0, usage.daily_limit - usage.videos_today)
  return { limit: usage.daily_limit, used: usage.videos_today, remaining: Math.max(0, remaining), resetsAt: usage.resets_at }
}

/** Videos left today for the signed-in user; `useCreateVideo` refreshes it after each video. */
export function useDailyLimit(): DailyLimit | null {
  const me = useMe()
  return readDailyLimit(me.data?.limits)
}
