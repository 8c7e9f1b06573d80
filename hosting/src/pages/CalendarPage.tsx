import { useMemo, useState, type DragEvent } from 'react'
import { CalendarDays, ChevronLeft, ChevronRight, Plus } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Post } from '@/api/types'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert, errorMessage } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { PostDialog } from '@/components/posts/PostDialog'
import { RescheduleDialog } from '@/components/posts/RescheduleDialog'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { usePostCalendar } from '@/hooks/usePostCalendar'
import { useReschedule } from '@/hooks/usePostSchedule'
import { UpgradeForFeature } from '@/components/billing/UpgradePrompt'
import { addDays, isoDate, wallTime, weekday, zonedToDate, type WallTime } from '@/lib/zoned-time'
import { POST_STATUS_KEY } from '@/lib/post-labels'
import { cn } from '@/lib/utils'

type Day = { year: number; month: number; day: number }
type View = 'month' | 'week'
const HOURS = Array.from({ length: 24 }, (_, h) => h)

const mondayOf = (d: Day): Day => addDays(d, -weekday(d))

/**
 * The schedule by month or by week, in the user's time zone: drag a scheduled post
 * to another day (month) or hour (week) to move it, or open it to pick a time with
 * the keyboard; an empty day or hour opens the Post dialog at that time.
 */
export function CalendarPage() {
  const { t, i18n } = useTranslation()
  const browserToday = wallTime(new Date(), Intl.DateTimeFormat().resolvedOptions().timeZone)
  const [view, setView] = useState<View>('month')
  const [cursor, setCursor] = useState({ year: browserToday.year, month: browserToday.month })
  const [weekStart, setWeekStart] = useState<Day>(() => mondayOf(browserToday))
  const weekEnd = addDays(weekStart, 6)
  const shown = view === 'month' ? cursor : { year: weekStart.year, month: weekStart.month }
  const calendar = usePostCalendar(shown.year, shown.month)
  const spill = usePostCalendar(view === 'week' ? weekEnd.year : shown.year, view === 'week' ? weekEnd.month : shown.month)
  const reschedule = useReschedule()
  const [dragging, setDragging] = useState<Post | null>(null)
  const [dropTarget, setDropTarget] = useState<string | null>(null)
  const [opened, setOpened] = useState<Post | null>(null)
  const [slot, setSlot] = useState<Date | null>(null)
  const timeZone = calendar.data?.timezone ?? 'UTC'
  const now = new Date()
  const today = wallTime(now, timeZone)
  const byDate = useMemo(() => {
    const map = new Map<string, Post[]>()
    for (const source of [calendar.data, spill.data])
      for (const d of source?.days ?? []) if (!map.has(d.date)) map.set(d.date, d.posts)
    return map
  }, [calendar.data, spill.data])

  const moveMonth = (delta: number) =>
    setCursor(({ year, month }) => {
      const index = year * 12 + (month - 1) + delta
      return { year: Math.floor(index / 12), month: (index % 12) + 1 }
    })
  const move = (delta: number) => (view === 'month' ? moveMonth(delta) : setWeekStart((w) => addDays(w, 7 * delta)))
  const switchView = (next: View) => {
    if (next === view) return
    if (next === 'week') {
      const inMonth = cursor.year === today.year && cursor.month === today.month ? today : { ...cursor, day: 1 }
      setWeekStart(mondayOf(inMonth))
    } else setCursor({ year: weekStart.year, month: weekStart.month })
    setView(next)
  }

  const time = (iso: string) => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone }).format(new Date(iso))
  const dayLabel = (d: Day, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(i18n.language, { ...options, timeZone: 'UTC' }).format(new Date(Date.UTC(d.year, d.month - 1, d.day)))
  const heading =
    view === 'month'
      ? dayLabel({ ...cursor, day: 1 }, { month: 'long', year: 'numeric' })
      : t('calendar.weekOf', { start: dayLabel(weekStart, { day: 'numeric', month: 'short' }), end: dayLabel(weekEnd, { day: 'numeric', month: 'short', year: 'numeric' }) })

  /** Move the dragged post to `wall` (its own minutes kept when only the day changes). */
  const dropAt = (wall: WallTime) => {
    const post = dragging
    setDragging(null)
    setDropTarget(null)
    if (!post) return
    const at = zonedToDate(wall, timeZone)
    if (at.getTime() === new Date(post.scheduled_at).getTime()) return
    if (at.getTime() <= Date.now()) {
      toast.error(t('calendar.pastSlot'))
      return
    }
    reschedule.mutate(
      { id: post.id, at },
      {
        onSuccess: () => toast.success(t('calendar.moved')),
        onError: (error) => toast.error(errorMessage(error, t('common.unknownError'))),
      },
    )
  }
  const dropProps = (key: string, wall: () => WallTime) => ({
    onDragOver: (e: DragEvent) => {
      if (!dragging) return
      e.preventDefault()
      if (dropTarget !== key) setDropTarget(key)
    },
    onDragLeave: () => setDropTarget((k) => (k === key ? null : k)),
    onDrop: (e: DragEvent) => {
      e.preventDefault()
      dropAt(wall())
    },
  })
  /** A slot opens the Post dialog at that time (a day: 09:00, or the next full hour today). */
  const openSlot = (wall: WallTime) => {
    let at = zonedToDate(wall, timeZone)
    if (at.getTime() <= Date.now()) at = new Date(Math.ceil((Date.now() + 60_000) / 3_600_000) * 3_600_000)
    setSlot(at)
  }
  const isPastDay = (d: Day) => isoDate(d) < isoDate(today)

  const entry = (post: Post) => {
    const movable = post.status === 'scheduled'
    return (
      <li key={post.id}>
        <button
          type="button"
          draggable={movable}
          onDragStart={(e) => {
            setDragging(post)
            e.dataTransfer?.setData('text/plain', post.id)
          }}
          onDragEnd={() => {
            setDragging(null)
            setDropTarget(null)
          }}
          onClick={() => setOpened(post)}
          className={cn(
            'bg-muted hover:bg-accent focus-visible:ring-ring min-h-6 w-full truncate rounded px-1 text-left focus-visible:ring-2 focus-visible:outline-none',
            movable && 'cursor-grab',
            post.status === 'cancelled' && 'line-through opacity-70',
          )}
          data-testid={`calendar-post-${post.id}`}
          data-status={post.status}
          aria-label={t('calendar.entryAria', { time: time(post.scheduled_at), title: post.video_title ?? post.video_id, status: t(POST_STATUS_KEY[post.status]) })}
        >
          {t('calendar.entry', { time: time(post.scheduled_at), title: post.video_title ?? post.video_id })}
        </button>
      </li>
    )
  }

  const monthGrid = () => {
    const first: Day = { ...cursor, day: 1 }
    const daysInMonth = new Date(Date.UTC(cursor.year, cursor.month, 0)).getUTCDate()
    return (
      <ol className="grid grid-cols-7 gap-1" data-testid="calendar-grid">
        {Array.from({ length: weekday(first) }, (_, i) => (
          <li key={`lead-${i}`} aria-hidden />
        ))}
        {Array.from({ length: daysInMonth }, (_, i) => {
          const d: Day = { ...cursor, day: i + 1 }
          const date = isoDate(d)
          const posts = byDate.get(date) ?? []
          const past = isPastDay(d)
          const wallFor = (): WallTime => {
            const src = dragging ? wallTime(new Date(dragging.scheduled_at), timeZone) : { hour: 9, minute: 0 }
            return { ...d, hour: src.hour, minute: src.minute }
          }
          return (
            <li
              key={date}
              className={cn(
                'group min-h-24 min-w-0 rounded-md border p-1 text-xs',
                date === isoDate(today) && 'border-primary',
                dropTarget === date && 'bg-accent ring-primary ring-2',
                past && 'bg-muted/30',
              )}
              data-testid={`day-${date}`}
              {...dropProps(date, wallFor)}
            >
              <div className="text-muted-foreground flex items-center justify-between">
                <span>{i + 1}</span>
                {!past && (
                  <button
                    type="button"
                    className="hover:bg-muted focus-visible:ring-ring inline-flex size-6 items-center justify-center rounded focus-visible:ring-2 focus-visible:outline-none sm:opacity-0 sm:group-hover:opacity-100 sm:focus-visible:opacity-100"
                    aria-label={t('calendar.scheduleOn', { date: dayLabel(d, { dateStyle: 'full' }) })}
                    data-testid={`schedule-${date}`}
                    onClick={() => openSlot({ ...d, hour: 9, minute: 0 })}
                  >
                    <Plus className="size-3.5" aria-hidden />
                  </button>
                )}
              </div>
              <ul className="space-y-1">{posts.map(entry)}</ul>
            </li>
          )
        })}
      </ol>
    )
  }

  const weekGrid = () => {
    const days = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i))
    const postsAt = (d: Day, hour: number) =>
      (byDate.get(isoDate(d)) ?? []).filter((p) => wallTime(new Date(p.scheduled_at), timeZone).hour === hour)
    return (
      <div className="max-h-[70vh] overflow-auto rounded-md border" data-testid="calendar-week">
        <table className="w-full min-w-[640px] table-fixed border-collapse text-xs">
          <thead className="bg-background sticky top-0 z-10">
            <tr>
              <th className="w-14" scope="col">
                <span className="sr-only">{t('calendar.hour')}</span>
              </th>
              {days.map((d) => (
                <th key={isoDate(d)} scope="col" className={cn('p-1 font-medium', isoDate(d) === isoDate(today) && 'text-primary')}>
                  {dayLabel(d, { weekday: 'short', day: 'numeric' })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {HOURS.map((hour) => (
              <tr key={hour} className="border-t">
                <th scope="row" className="text-muted-foreground p-1 text-right align-top font-normal">
                  {`${String(hour).padStart(2, '0')}:00`}
                </th>
                {days.map((d) => {
                  const key = `${isoDate(d)}T${hour}`
                  const posts = postsAt(d, hour)
                  const wall: WallTime = { ...d, hour, minute: 0 }
                  const past = zonedToDate({ ...wall, minute: 59 }, timeZone).getTime() < now.getTime()
                  const wallFor = (): WallTime => ({
                    ...wall,
                    minute: dragging ? wallTime(new Date(dragging.scheduled_at), timeZone).minute : 0,
                  })
                  return (
                    <td
                      key={key}
                      className={cn('h-10 border-l p-0.5 align-top', dropTarget === key && 'bg-accent ring-primary ring-2 ring-inset', past && 'bg-muted/30')}
                      data-testid={`slot-${key}`}
                      {...dropProps(key, wallFor)}
                    >
                      {posts.length > 0 ? (
                        <ul className="space-y-0.5">{posts.map(entry)}</ul>
                      ) : (
                        !past && (
                          <button
                            type="button"
                            className="hover:bg-muted focus-visible:ring-ring size-full min-h-9 rounded focus-visible:ring-2 focus-visible:outline-none"
                            aria-label={t('calendar.scheduleAt', { date: dayLabel(d, { dateStyle: 'full' }), hour: `${String(hour).padStart(2, '0')}:00` })}
                            onClick={() => openSlot(wall)}
                          />
                        )
                      )}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )
  }

  return (
    <>
      <PageHeader title={t('pages.calendar.title')} description={t('pages.calendar.description')} />
      <UpgradeForFeature feature="schedule" className="mb-6" />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <Button size="icon" variant="outline" aria-label={view === 'month' ? t('calendar.previous') : t('calendar.previousWeek')} onClick={() => move(-1)}>
          <ChevronLeft aria-hidden />
        </Button>
        <h2 className="min-w-40 text-center font-medium" data-testid="calendar-month" aria-live="polite">
          {heading}
        </h2>
        <Button size="icon" variant="outline" aria-label={view === 'month' ? t('calendar.next') : t('calendar.nextWeek')} onClick={() => move(1)}>
          <ChevronRight aria-hidden />
        </Button>
        <div className="flex rounded-md border p-0.5" role="group" aria-label={t('calendar.view')}>
          {(['month', 'week'] as const).map((v) => (
            <Button key={v} size="sm" variant={view === v ? 'secondary' : 'ghost'} aria-pressed={view === v} onClick={() => switchView(v)}>
              {v === 'month' ? t('calendar.month') : t('calendar.week')}
            </Button>
          ))}
        </div>
        <span className="text-muted-foreground text-sm">{t('calendar.timezone', { timezone: timeZone })}</span>
      </div>
      <p className="text-muted-foreground mb-3 text-xs">{t('calendar.hint')}</p>
      {calendar.isError ? (
        <ErrorAlert error={calendar.error} />
      ) : calendar.isPending ? (
        <Skeleton className="h-96 w-full rounded-xl" />
      ) : (
        <>
          {view === 'month' ? monthGrid() : weekGrid()}
          {byDate.size === 0 && (
            <EmptyState icon={CalendarDays} title={t('pages.calendar.emptyTitle')} description={t('pages.calendar.emptyDescription')} />
          )}
        </>
      )}
      <RescheduleDialog post={opened} timeZone={timeZone} onOpenChange={(o) => !o && setOpened(null)} />
      {slot && <PostDialog open onOpenChange={(o) => !o && setSlot(null)} initialAt={slot} timeZone={timeZone} />}
    </>
  )
}
