import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'

/** One month of my posts, grouped by day in my time zone (or `tz`). */
export function usePostCalendar(year: number, month: number, tz?: string) {
  return useQuery({
    queryKey: ['posts', 'calendar', year, month, tz ?? 'mine'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/posts/calendar/{year}/{month}', {
          params: { path: { year: String(year), month: String(month) }, query: tz ? { tz } : {} },
        }),
      ),
    placeholderData: keepPreviousData,
  })
}
