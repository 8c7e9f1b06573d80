import { useState } from 'react'
import { CalendarDays, ChevronLeft, ChevronRight } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { usePostCalendar } from '@/hooks/usePostCalendar'
import { UpgradeForFeature } from '@/components/billing/UpgradePrompt'

const pad = (n: number) => String(n).padStart(2, '0')

/** The month grid: days in the user's time zone, Monday first, with each day's posts. */
export function CalendarPage() {
  const { t, i18n } = useTranslation()
  const today = new Date()
  const [cursor, setCursor] = useState({ year: today.getFullYear(), month: today.getMonth() + 1 })
  const calendar = usePostCalendar(cursor.year, cursor.month)
  const move = (delta: number) =>
    setCursor(({ year, month }) => {
      const index = year * 12 + (month - 1) + delta
      return { year: Math.floor(index / 12), month: (index % 12) + 1 }
    })
  const first = new Date(Date.UTC(cursor.year, cursor.month - 1, 1))
  const daysInMonth = new Date(Date.UTC(cursor.year, cursor.month, 0)).getUTCDate()
  const lead = (first.getUTCDay() + 6) % 7
  const byDate = new Map((calendar.data?.days ?? []).map((d) => [d.date, d.posts]))
  const timeZone = calendar.data?.timezone ?? 'UTC'
  const monthLabel = new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(first)
  const time = (iso: string) => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone }).format(new Date(iso))
  return (
    <>
      <PageHeader title={t('pages.calendar.title')} description={t('pages.calendar.description')} />
      <UpgradeForFeature feature="schedule" className="mb-6" />
      <div className="mb-4 flex items-center gap-2">
        <Button size="icon" variant="outline" aria-label={t('calendar.previous')} onClick={() => move(-1)}>
          <ChevronLeft aria-hidden />
        </Button>
        <h2 className="min-w-40 text-center font-medium" data-testid="calendar-month">
          {monthLabel}
        </h2>
        <Button size="icon" variant="outline" aria-label={t('calendar.next')} onClick={() => move(1)}>
          <ChevronRight aria-hidden />
        </Button>
        <span className="text-muted-foreground text-sm">{t('calendar.timezone', { timezone: timeZone })}</span>
      </div>
      {calendar.isError ? (
        <ErrorAlert error={calendar.error} />
      ) : calendar.isPending ? (
        <Skeleton className="h-96 w-full rounded-xl" />
      ) : (
        <>
          <ol className="grid grid-cols-7 gap-1" data-testid="calendar-grid">
            {Array.from({ length: lead }, (_, i) => (
              <li key={`lead-${i}`} aria-hidden />
            ))}
            {Array.from({ length: daysInMonth }, (_, i) => {
              const date = `${cursor.year}-${pad(cursor.month)}-${pad(i + 1)}`
              const posts = byDate.get(date) ?? []
              return (
                <li key={date} className="min-h-24 rounded-md border p-1 text-xs" data-testid={`day-${date}`}>
                  <div className="text-muted-foreground">{i + 1}</div>
                  <ul className="space-y-1">
                    {posts.map((post) => (
                      <li key={post.id} className="bg-muted truncate rounded px-1">
                        {t('calendar.entry', { time: time(post.scheduled_at), title: post.video_title ?? post.video_id })}
                      </li>
                    ))}
                  </ul>
                </li>
              )
            })}
          </ol>
          {byDate.size === 0 && (
            <EmptyState
              icon={CalendarDays}
              title={t('pages.calendar.emptyTitle')}
              description={t('pages.calendar.emptyDescription')}
            />
          )}
        </>
      )}
    </>
  )
}
