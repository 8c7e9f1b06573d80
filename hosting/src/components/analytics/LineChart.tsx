import { useId, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { cn } from '@/lib/utils'

export interface ChartPoint {
  /** What the point is, for people ("Dec 3"). */
  label: string
  value: number
}

const W = 600
const H = 200
const PAD_TOP = 10
const PAD_BOTTOM = 4

/**
 * A hand-rolled SVG line and area chart (no chart library: this page's chunk
 * stays small). Keyboard: focus the chart, then arrow keys / Home / End move a
 * marker from point to point and its value is announced. The same numbers are
 * available as a table under "Show as table".
 */
export function LineChart({
  points,
  format,
  title,
  className,
  testId,
}: {
  points: ChartPoint[]
  format: (value: number) => string
  /** The chart's name ("Views per day"); also the table's caption. */
  title: string
  className?: string
  testId?: string
}) {
  const { t } = useTranslation()
  const id = useId()
  const [active, setActive] = useState<number | null>(null)
  const max = Math.max(0, ...points.map((p) => p.value))
  const min = Math.min(0, ...points.map((p) => p.value))
  const span = max - min || 1
  const x = (i: number) => (points.length <= 1 ? W / 2 : (i / (points.length - 1)) * W)
  const y = (v: number) => PAD_TOP + (1 - (v - min) / span) * (H - PAD_TOP - PAD_BOTTOM)
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')
  const area = points.length ? `${line} L${x(points.length - 1).toFixed(1)},${y(min)} L${x(0).toFixed(1)},${y(min)} Z` : ''
  const total = points.reduce((sum, p) => sum + p.value, 0)
  const peak = points.reduce<ChartPoint | null>((best, p) => (best === null || p.value > best.value ? p : best), null)
  const summary =
    points.length && peak
      ? t('analytics.chart.summary', {
          title,
          count: points.length,
          from: points[0]?.label ?? '',
          to: points[points.length - 1]?.label ?? '',
          max: format(peak.value),
          peak: peak.label,
        })
      : t('analytics.chart.noData', { title })

  const onKey = (event: KeyboardEvent<SVGSVGElement>) => {
    if (!points.length) return
    const last = points.length - 1
    const current = active ?? -1
    let next: number | null = null
    if (event.key === 'ArrowRight' || event.key === 'ArrowUp') next = Math.min(last, current + 1)
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') next = Math.max(0, current < 0 ? last : current - 1)
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = last
    else if (event.key === 'Escape') next = null
    else return
    event.preventDefault()
    setActive(next)
  }
  const shown = active === null ? null : points[active]

  return (
    <figure className={cn('space-y-2', className)} data-testid={testId} data-total={total}>
      <div className="relative">
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          className="h-48 w-full overflow-visible rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-ring"
          role="img"
          aria-label={summary}
          aria-describedby={`${id}-hint`}
          tabIndex={points.length ? 0 : -1}
          onKeyDown={onKey}
          onBlur={() => setActive(null)}
          onMouseLeave={() => setActive(null)}
          onMouseMove={(event) => {
            if (!points.length) return
            const box = event.currentTarget.getBoundingClientRect()
            const ratio = box.width ? (event.clientX - box.left) / box.width : 0
            setActive(Math.max(0, Math.min(points.length - 1, Math.round(ratio * (points.length - 1)))))
          }}
        >
          {[0.25, 0.5, 0.75].map((f) => (
            <line
              key={f}
              x1={0}
              x2={W}
              y1={PAD_TOP + f * (H - PAD_TOP - PAD_BOTTOM)}
              y2={PAD_TOP + f * (H - PAD_TOP - PAD_BOTTOM)}
              className="stroke-border"
              strokeDasharray="4 4"
              vectorEffect="non-scaling-stroke"
            />
          ))}
          <line x1={0} x2={W} y1={y(min)} y2={y(min)} className="stroke-border" vectorEffect="non-scaling-stroke" />
          {area && <path d={area} className="fill-primary/15" />}
          {line && (
            <path
              d={line}
              className="fill-none stroke-primary"
              strokeWidth={2.5}
              strokeLinejoin="round"
              vectorEffect="non-scaling-stroke"
            />
          )}
          {shown && active !== null && (
            <line
              x1={x(active)}
              x2={x(active)}
              y1={0}
              y2={H}
              className="stroke-foreground/50"
              vectorEffect="non-scaling-stroke"
            />
          )}
        </svg>
        {shown && active !== null && (
          <span
            aria-hidden
            className="pointer-events-none absolute size-2.5 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-background bg-primary"
            style={{ left: `${(x(active) / W) * 100}%`, top: `${(y(shown.value) / H) * 100}%` }}
          />
        )}
        <span className="pointer-events-none absolute left-1 top-0 text-[11px] text-muted-foreground" aria-hidden>
          {format(max)}
        </span>
      </div>
      <div className="flex justify-between text-xs text-muted-foreground" aria-hidden>
        <span>{points[0]?.label}</span>
        <span>{points[points.length - 1]?.label}</span>
      </div>
      <p id={`${id}-hint`} className="sr-only">
        {t('analytics.chart.keyboardHint')}
      </p>
      <p className="min-h-5 text-sm" aria-live="polite" data-testid={testId ? `${testId}-readout` : undefined}>
        {shown ? t('analytics.chart.point', { label: shown.label, value: format(shown.value) }) : ''}
      </p>
      <details className="text-sm">
        <summary className="cursor-pointer text-muted-foreground hover:text-foreground">{t('analytics.chart.showTable')}</summary>
        <div className="mt-2 max-h-64 overflow-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr className="text-muted-foreground">
                <th scope="col" className="py-1 font-medium">
                  {t('analytics.chart.day')}
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  {t('analytics.chart.value')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                <tr key={i} className="border-t">
                  <th scope="row" className="py-1 font-normal">
                    {p.label}
                  </th>
                  <td className="py-1 text-right tabular-nums">{format(p.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
