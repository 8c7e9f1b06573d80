import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'

export const adminStatsKeys = {
  stats: ['admin', 'stats'] as const,
  activity: (days: number) => ['admin', 'activity', days] as const,
  topUsers: (limit: number) => ['admin', 'top-users', limit] as const,
}

/** `admin-stats`: platform totals (users by role and status, videos, unread notifications). */
export function useAdminStats() {
  return useQuery({
    queryKey: adminStatsKeys.stats,
    queryFn: () => unwrap(api.GET('/api/v1/admin/stats')),
  })
}

/** `admin-activity`: signups per day over the last `days` days (1-90). */
export function useAdminActivity(days: number) {
  return useQuery({
    queryKey: adminStatsKeys.activity(days),
    queryFn: () => unwrap(api.GET('/api/v1/admin/activity', { params: { query: { days } } })),
    placeholderData: keepPreviousData,
  })
}

/** `admin-top_users`: users who created the most videos. */
export function useAdminTopUsers(limit = 5) {
  return useQuery({
    queryKey: adminStatsKeys.topUsers(limit),
    queryFn: () => unwrap(api.GET('/api/v1/admin/top-users', { params: { query: { limit } } })),
  })
}

/** `subscriptions-admin_stats`: MRR, ARR, subscribers by plan, and their daily history (admin). */
export function useRevenueStats() {
  return useQuery({
    queryKey: ['admin', 'revenue'] as const,
    queryFn: () => unwrap(api.GET('/api/v1/subscriptions/admin/stats')),
    retry: false,
  })
}
