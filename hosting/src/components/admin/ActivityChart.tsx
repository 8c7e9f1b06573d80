import { useTranslation } from 'react-i18next'
import type { components } from '@/api/schema'

type DayCount = components['schemas']['DayCount']

/** The day as the reader's locale writes it (the API sends `YYYY-MM-DD`, read as a calendar date). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return day
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
}

/**
 * Signups per day as a small inline SVG bar chart (decorative for screen
 * readers, which get the same figures as a table).
 */
export function ActivityChart({ days }: { days: DayCount[] }) {
  const { t } = useTranslation()
  const max = Math.max(1, ...days.map((d) => d.signups))
  const width = 100
  const height = 40
  const gap = days.length > 45 ? 0.2 : 0.6
  const first = days.at(0)
  const last = days.at(-1)
  const barWidth = days.length > 0 ? width / days.length - gap : 0
  return (
    <figure className="flex flex-col gap-2">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        className="h-40 w-full text-primary"
        aria-hidden="true"
        data-testid="activity-chart"
      >
        <line x1="0" y1={height} x2={width} y2={height} className="stroke-border" strokeWidth="0.3" />
        {days.map((d, i) => {
          const h = (d.signups / max) * (height - 2)
          return (
            <rect
              key={d.day}
              x={i * (barWidth + gap) + gap / 2}
              y={height - h}
              width={Math.max(barWidth, 0.1)}
              height={h}
              rx="0.4"
              className="fill-current opacity-80"
            >
              <title>{t('admin.dashboard.signupsOn', { day: formatDay(d.day), count: d.signups })}</title>
            </rect>
          )
        })}
      </svg>
      {first && last ? (
        <figcaption className="flex justify-between text-xs text-muted-foreground" aria-hidden="true">
          <span>{formatDay(first.day)}</span>
          <span>{formatDay(last.day)}</span>
        </figcaption>
      ) : null}
      <table className="sr-only">
        <caption>{t('admin.dashboard.activityTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.dashboard.day')}</th>
            <th scope="col">{t('admin.dashboard.signups')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <td>{formatDay(d.day)}</td>
              <td>{d.signups}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
