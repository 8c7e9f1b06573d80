import { useTranslation } from 'react-i18next'
import { ApiError } from '@/api/errors'
import type { components } from '@/api/schema'
import { ErrorAlert } from '@/components/ErrorAlert'
import { formatDay } from '@/components/admin/ActivityChart'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useRevenueStats } from '@/hooks/useAdminStats'

type RevenuePoint = components['schemas']['RevenuePoint']

const PLAN_KEYS = { monthly: 'admin.revenue.monthly', annual: 'admin.revenue.annual', other: 'admin.revenue.other' } as const

export function formatMoney(amount: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100)
}

/** MRR per day as an inline SVG line (decorative; screen readers get the table). */
export function RevenueChart({ points, currency }: { points: RevenuePoint[]; currency: string }) {
  const { t } = useTranslation()
  const width = 100
  const height = 40
  const max = Math.max(1, ...points.map((p) => p.mrr))
  const x = (i: number) => (points.length > 1 ? (i / (points.length - 1)) * width : width / 2)
  const y = (mrr: number) => height - (mrr / max) * (height - 2)
  const line = points.map((p, i) => `${x(i).toFixed(2)},${y(p.mrr).toFixed(2)}`).join(' ')
  const first = points.at(0)
  const last = points.at(-1)
  return (
    <figure className="flex flex-col gap-2">
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" className="h-40 w-full text-primary" aria-hidden="true" data-testid="revenue-chart">
        <line x1="0" y1={height} x2={width} y2={height} className="stroke-border" strokeWidth="0.3" />
        {points.length > 1 ? (
          <polyline points={line} fill="none" className="stroke-current" strokeWidth="0.8" vectorEffect="non-scaling-stroke" />
        ) : null}
        {points.map((p, i) => (
          <circle key={p.day} cx={x(i)} cy={y(p.mrr)} r="0.9" className="fill-current">
            <title>{t('admin.revenue.mrrOn', { day: formatDay(p.day), amount: formatMoney(p.mrr, currency) })}</title>
          </circle>
        ))}
      </svg>
      {first && last ? (
        <figcaption className="flex justify-between text-xs text-muted-foreground" aria-hidden="true">
          <span>{formatDay(first.day)}</span>
          <span>{formatDay(last.day)}</span>
        </figcaption>
      ) : null}
      <table className="sr-only">
        <caption>{t('admin.revenue.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.dashboard.day')}</th>
            <th scope="col">{t('admin.revenue.mrr')}</th>
            <th scope="col">{t('admin.revenue.arr')}</th>
            <th scope="col">{t('admin.revenue.monthly')}</th>
            <th scope="col">{t('admin.revenue.annual')}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.day}>
              <td>{formatDay(p.day)}</td>
              <td>{formatMoney(p.mrr, currency)}</td>
              <td>{formatMoney(p.arr, currency)}</td>
              <td>{p.by_plan.monthly ?? 0}</td>
              <td>{p.by_plan.annual ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

/** The admin dashboard's revenue: MRR and ARR now and over time, subscribers by plan. */
export function RevenueCard() {
  const { t } = useTranslation()
  const stats = useRevenueStats()
  const off = stats.error instanceof ApiError && stats.error.status === 503
  const s = stats.data
  return (
    <Card data-testid="revenue-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          {t('admin.revenue.title')}
          {s?.emulated ? <Badge variant="secondary">{t('settings.subscription.emulated')}</Badge> : null}
        </CardTitle>
        <CardDescription>{t('admin.revenue.description', { days: s?.history.length ?? 0 })}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        {off ? (
          <p className="text-sm text-muted-foreground">{t('admin.revenue.notConfigured')}</p>
        ) : stats.isError ? (
          <ErrorAlert error={stats.error} />
        ) : !s ? (
          <Skeleton className="h-40 w-full" />
        ) : (
          <>
            <dl className="grid grid-cols-3 gap-3">
              <div>
                <dt className="text-xs text-muted-foreground">{t('admin.revenue.mrr')}</dt>
                <dd className="text-xl font-bold tabular-nums" data-testid="revenue-mrr">
                  {formatMoney(s.mrr, s.currency)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('admin.revenue.arr')}</dt>
                <dd className="text-xl font-bold tabular-nums" data-testid="revenue-arr">
                  {formatMoney(s.arr, s.currency)}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-muted-foreground">{t('admin.revenue.subscribers')}</dt>
                <dd className="text-xl font-bold tabular-nums">{s.subscribers}</dd>
              </div>
            </dl>
            <RevenueChart points={s.history} currency={s.currency} />
            <div>
              <h3 className="mb-2 text-sm font-semibold">{t('admin.revenue.byPlan')}</h3>
              <ul className="flex flex-wrap gap-2">
                {(Object.keys(PLAN_KEYS) as (keyof typeof PLAN_KEYS)[]).map((plan) => (
                  <li key={plan}>
                    <Badge variant="secondary">
                      {t(PLAN_KEYS[plan])}: <span className="ml-1 tabular-nums">{s.subscribers_by_plan[plan] ?? 0}</span>
                    </Badge>
                  </li>
                ))}
              </ul>
            </div>
          </>
        )}
      </CardContent>
    </Card>
  )
}
