import { useRef, useState, type KeyboardEvent } from 'react'
import { Star } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { AnalyticsBestSlot, AnalyticsHeatmap } from '@/api/types'
import { cn } from '@/lib/utils'

const HOURS = Array.from({ length: 24 }, (_, h) => h)
const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]
const CONFIDENCE_KEY = {
  low: 'analytics.heatmap.confidence.low',
  medium: 'analytics.heatmap.confidence.medium',
  high: 'analytics.heatmap.confidence.high',
} as const satisfies Record<AnalyticsBestSlot['confidence_label'], string>

/** Weekday names, Monday first (the API's 0 = Monday), in the UI language. */
export function weekdayNames(language: string, width: 'long' | 'short'): string[] {
  // 2024-01-01 was a Monday.
  return WEEKDAYS.map((d) =>
    new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + d))),
  )
}

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`
}

/**
 * The best-time heatmap as a table: weekdays are row headers, hours column
 * headers. Each cell is a button (one tab stop for the whole grid, arrow keys
 * move) whose label and tooltip carry the slot, its sample size and score; the
 * best slots are numbered and starred, not only coloured.
 */
export function Heatmap({ data }: { data: AnalyticsHeatmap }) {
  const { t, i18n } = useTranslation()
  const long = weekdayNames(i18n.language, 'long')
  const short = weekdayNames(i18n.language, 'short')
  const [focus, setFocus] = useState<[number, number]>(() => {
    const first = data.best_slots[0]
    return first ? [first.weekday, first.hour] : [0, 0]
  })
  const refs = useRef<Map<string, HTMLButtonElement>>(new Map())
  const box = useRef<HTMLDivElement>(null)
  // One tooltip for the grid (not 168): the hovered or focused cell's text, placed above it.
  const [tip, setTip] = useState<{ text: string; left: number; top: number } | null>(null)
  const showTip = (el: HTMLElement, text: string) => {
    const outer = box.current?.getBoundingClientRect()
    const cell = el.getBoundingClientRect()
    if (!outer) return
    setTip({ text, left: cell.left - outer.left + cell.width / 2, top: cell.top - outer.top })
  }
  const cells = new Map(data.cells.map((c) => [`${c.weekday}-${c.hour}`, c]))
  const best = new Map<string, { slot: AnalyticsBestSlot; rank: number }>(
    data.best_slots.map((slot, i) => [`${slot.weekday}-${slot.hour}`, { slot, rank: i + 1 }]),
  )
  const maxScore = Math.max(1, ...data.cells.map((c) => c.score ?? 0))

  const move = (event: KeyboardEvent<HTMLButtonElement>, weekday: number, hour: number) => {
    let [w, h] = [weekday, hour]
    if (event.key === 'ArrowRight') h = Math.min(23, h + 1)
    else if (event.key === 'ArrowLeft') h = Math.max(0, h - 1)
    else if (event.key === 'ArrowDown') w = Math.min(6, w + 1)
    else if (event.key === 'ArrowUp') w = Math.max(0, w - 1)
    else if (event.key === 'Home') h = 0
    else if (event.key === 'End') h = 23
    else return
    event.preventDefault()
    setFocus([w, h])
    refs.current.get(`${w}-${h}`)?.focus()
  }

  const describe = (weekday: number, hour: number) => {
    const cell = cells.get(`${weekday}-${hour}`)
    const posts = cell?.posts ?? 0
    const parts = [
      t('analytics.heatmap.slot', { day: long[weekday], from: hourLabel(hour), to: hourLabel((hour + 1) % 24) }),
      t('analytics.heatmap.posts', { count: posts }),
    ]
    if (cell?.score != null) parts.push(t('analytics.heatmap.score', { score: cell.score.toFixed(2) }))
    const mark = best.get(`${weekday}-${hour}`)
    if (mark)
      parts.push(
        t('analytics.heatmap.bestMark', {
          rank: mark.rank,
          confidence: t(CONFIDENCE_KEY[mark.slot.confidence_label]),
        }),
      )
    return parts.join(' · ')
  }

  return (
    <div className="space-y-4">
      <div className="relative" ref={box} onMouseLeave={() => setTip(null)}>
        <div className="relative -mx-2 overflow-x-auto px-2 pb-2" onScroll={() => setTip(null)}>
          <table className="border-separate border-spacing-0.5 text-xs" data-testid="analytics-heatmap">
            <caption className="sr-only">{t('analytics.heatmap.caption', { timezone: data.timezone })}</caption>
            <thead>
              <tr>
                <td />
                {HOURS.map((h) => (
                  <th key={h} scope="col" className="w-6 min-w-6 p-0 text-center font-normal text-muted-foreground">
                    <span className="sr-only">{hourLabel(h)}</span>
                    <span aria-hidden>{h % 3 === 0 ? String(h).padStart(2, '0') : ''}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((w) => (
                <tr key={w}>
                  <th scope="row" className="pr-2 text-left font-normal text-muted-foreground">
                    <abbr title={long[w]} className="no-underline">
                      {short[w]}
                    </abbr>
                  </th>
                  {HOURS.map((h) => {
                    const key = `${w}-${h}`
                    const cell = cells.get(key)
                    const mark = best.get(key)
                    const strength = cell?.score != null ? Math.min(1, cell.score / maxScore) : 0
                    const label = describe(w, h)
                    return (
                      <td key={h} className="p-0">
                        <button
                          type="button"
                          ref={(el) => {
                            if (el) refs.current.set(key, el)
                            else refs.current.delete(key)
                          }}
                          tabIndex={focus[0] === w && focus[1] === h ? 0 : -1}
                          onKeyDown={(event) => move(event, w, h)}
                          onFocus={(event) => {
                            setFocus([w, h])
                            showTip(event.currentTarget, label)
                          }}
                          onBlur={() => setTip(null)}
                          onMouseEnter={(event) => showTip(event.currentTarget, label)}
                          aria-label={label}
                          data-posts={cell?.posts ?? 0}
                          data-best={mark ? mark.rank : undefined}
                          className={cn(
                            'relative flex size-6 items-center justify-center rounded-[4px] border text-[10px] font-semibold outline-none focus-visible:ring-2 focus-visible:ring-ring',
                            cell?.posts ? 'border-transparent' : 'border-border/60 bg-muted/30',
                            mark && 'ring-2 ring-foreground',
                          )}
                          style={
                            cell?.posts
                              ? { backgroundColor: `color-mix(in oklch, var(--primary) ${Math.round(15 + strength * 85)}%, transparent)` }
                              : undefined
                          }
                        >
                          {mark ? (
                            <span className="text-primary-foreground drop-shadow" aria-hidden>
                              {mark.rank}
                            </span>
                          ) : null}
                        </button>
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {tip && (
          <div
            role="tooltip"
            data-testid="analytics-heatmap-tip"
            className="pointer-events-none absolute z-10 max-w-64 -translate-x-1/2 -translate-y-full rounded-md border bg-popover px-2.5 py-1.5 text-xs text-popover-foreground shadow-md"
            style={{ left: tip.left, top: tip.top - 6 }}
          >
            {tip.text}
          </div>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-hidden>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block size-3 rounded-[3px] border border-border/60 bg-muted/30" />
          {t('analytics.heatmap.legendEmpty')}
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block size-3 rounded-[3px]" style={{ backgroundColor: 'color-mix(in oklch, var(--primary) 25%, transparent)' }} />
          <span className="inline-block size-3 rounded-[3px]" style={{ backgroundColor: 'color-mix(in oklch, var(--primary) 100%, transparent)' }} />
          {t('analytics.heatmap.legendScore')}
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-flex size-3 items-center justify-center rounded-[3px] ring-2 ring-foreground text-[8px]">1</span>
          {t('analytics.heatmap.legendBest')}
        </span>
      </div>
      {data.best_slots.length > 0 && (
        <div>
          <h3 className="mb-2 text-sm font-semibold">{t('analytics.heatmap.bestTitle')}</h3>
          <ol className="space-y-1 text-sm" data-testid="analytics-best-slots">
            {data.best_slots.map((slot, i) => (
              <li key={`${slot.weekday}-${slot.hour}`} className="flex flex-wrap items-center gap-x-2">
                <Star className="size-3.5 text-primary" aria-hidden />
                <span className="font-medium">
                  {i + 1}. {t('analytics.heatmap.slot', { day: long[slot.weekday], from: hourLabel(slot.hour), to: hourLabel((slot.hour + 1) % 24) })}
                </span>{' '}
                <span className="text-muted-foreground">
                  {t('analytics.heatmap.bestDetail', {
                    count: slot.posts,
                    above: slot.above_median,
                    score: slot.score.toFixed(2),
                    confidence: t(CONFIDENCE_KEY[slot.confidence_label]),
                  })}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  )
}
