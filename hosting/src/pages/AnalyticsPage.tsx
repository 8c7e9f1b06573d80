import { useEffect, useRef, useState } from 'react'
import { ArrowDownRight, ArrowUpRight, BarChart3, Clock, Link2, Minus, Send } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useQueryClient } from '@tanstack/react-query'
import type { AnalyticsHeatmap, AnalyticsOverview, AnalyticsTotals } from '@/api/types'
import { Heatmap } from '@/components/analytics/Heatmap'
import { METRIC_KEY, platformKey } from '@/components/analytics/labels'
import { LineChart } from '@/components/analytics/LineChart'
import { PickerSelect, SegmentedPicker } from '@/components/analytics/Pickers'
import { SyncButton } from '@/components/analytics/SyncButton'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import {
  ANALYTICS_PLATFORMS,
  SERIES_METRICS,
  TOP_METRICS,
  analyticsKeys,
  localTimeZone,
  useAnalyticsOverview,
  useHasPublished,
  useHeatmap,
  usePlatformComparison,
  useSyncAll,
  useTimeSeries,
  useTopPosts,
  type AnalyticsPlatform,
  type SeriesMetric,
  type TopMetric,
} from '@/hooks/useAnalytics'
import { useSocialAccounts } from '@/hooks/useSocialAccounts'
import {
  formatCompact,
  formatDateTime,
  formatDay,
  formatMetric,
  formatPercent,
} from '@/lib/analytics-format'

const PERIODS = [7, 30, 90] as const
type Period = (typeof PERIODS)[number]
const HEATMAP_WINDOWS = ['30', '90', '180', '365'] as const
type HeatmapWindow = (typeof HEATMAP_WINDOWS)[number]
const ALL = 'all'
/** How long the page polls for a manual sync's results. */
const SYNC_POLL_MS = 3000
const SYNC_POLL_FOR_MS = 90_000

const TOTALS: { key: keyof AnalyticsTotals & SeriesMetric }[] = [
  { key: 'views' },
  { key: 'watch_time_s' },
  { key: 'likes' },
  { key: 'comments' },
  { key: 'shares' },
  { key: 'engagement_rate' },
]

function Change({ change, current, days }: { change: number | null | undefined; current: number; days: number }) {
  const { t, i18n } = useTranslation()
  if (change === null || change === undefined) {
    return (
      <span className="text-xs text-muted-foreground">
        {current > 0 ? t('analytics.change.new', { days }) : t('analytics.change.none')}
      </span>
    )
  }
  const Icon = change > 0 ? ArrowUpRight : change < 0 ? ArrowDownRight : Minus
  const text = formatPercent(Math.abs(change), i18n.language, 0)
  return (
    <span
      className={
        change > 0 ? 'text-xs text-success-text' : change < 0 ? 'text-xs text-destructive-text' : 'text-xs text-muted-foreground'
      }
    >
      <Icon className="mr-0.5 inline size-3.5" aria-hidden />
      {change > 0
        ? t('analytics.change.up', { value: text, days })
        : change < 0
          ? t('analytics.change.down', { value: text, days })
          : t('analytics.change.same', { days })}
    </span>
  )
}

function TotalsGrid({ overview }: { overview: AnalyticsOverview }) {
  const { t, i18n } = useTranslation()
  return (
    <section aria-labelledby="analytics-totals" className="space-y-3">
      <h2 id="analytics-totals" className="sr-only">
        {t('analytics.totals.title')}
      </h2>
      <ul className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {TOTALS.map(({ key }) => {
          const value = key === 'engagement_rate' ? (overview.totals.engagement_rate ?? 0) : Number(overview.totals[key])
          return (
            <li key={key}>
              <Card className="h-full" data-testid={`analytics-total-${key}`}>
                <CardContent className="space-y-1 p-4">
                  <p className="text-xs text-muted-foreground">{t(METRIC_KEY[key])}</p>
                  <p className="text-2xl font-semibold tabular-nums" data-testid={`analytics-total-${key}-value`} data-value={value}>
                    {key === 'engagement_rate' && overview.totals.engagement_rate == null
                      ? '—'
                      : formatMetric(key, value, i18n.language)}
                  </p>
                  <Change change={overview.changes[key]} current={value} days={overview.days} />
                </CardContent>
              </Card>
            </li>
          )
        })}
      </ul>
      <p className="text-sm text-muted-foreground">
        {t('analytics.totals.postsPublished', { count: overview.posts_published, days: overview.days })}
        {overview.followers != null && ` · ${t('analytics.totals.followers', { value: formatCompact(overview.followers, i18n.language) })}`}
      </p>
    </section>
  )
}

function SeriesCard({ days }: { days: Period }) {
  const { t, i18n } = useTranslation()
  const [metric, setMetric] = useState<SeriesMetric>('views')
  const [platform, setPlatform] = useState<AnalyticsPlatform | null>(null)
  const series = useTimeSeries(metric, days, platform)
  const points = (series.data?.points ?? []).map((p) => ({ label: formatDay(p.day, i18n.language), value: p.value }))
  const title = t('analytics.series.chartTitle', { metric: t(METRIC_KEY[metric]) })
  return (
    <Card className="min-w-0">
      <CardHeader className="gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <CardTitle>{t('analytics.series.title')}</CardTitle>
          <CardDescription>{t('analytics.series.description', { days })}</CardDescription>
        </div>
        <div className="grid grid-cols-2 gap-2 sm:flex">
          <PickerSelect
            label={t('analytics.series.metric')}
            value={metric}
            onChange={setMetric}
            options={SERIES_METRICS.map((m) => ({ value: m, label: t(METRIC_KEY[m]) }))}
            testId="analytics-series-metric"
          />
          <PickerSelect
            label={t('analytics.series.platform')}
            value={platform ?? ALL}
            onChange={(v) => setPlatform(v === ALL ? null : (v as AnalyticsPlatform))}
            options={[
              { value: ALL, label: t('analytics.allPlatforms') },
              ...ANALYTICS_PLATFORMS.map((p) => ({ value: p, label: t(platformKey(p) ?? 'analytics.allPlatforms') })),
            ]}
            testId="analytics-series-platform"
          />
        </div>
      </CardHeader>
      <CardContent>
        {series.isError ? (
          <ErrorAlert error={series.error} />
        ) : series.data ? (
          <LineChart
            points={points}
            title={title}
            format={(v) => formatMetric(metric, v, i18n.language)}
            testId="analytics-series"
          />
        ) : (
          <Skeleton className="h-48 w-full" />
        )}
      </CardContent>
    </Card>
  )
}

function PlatformsCard({ days }: { days: Period }) {
  const { t, i18n } = useTranslation()
  const query = usePlatformComparison(days)
  const rows = query.data?.platforms ?? []
  const maxViews = Math.max(1, ...rows.map((r) => r.totals.views))
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{t('analytics.platforms.title')}</CardTitle>
        <CardDescription>{t('analytics.platforms.description', { days })}</CardDescription>
      </CardHeader>
      <CardContent>
        {query.isError ? (
          <ErrorAlert error={query.error} />
        ) : !query.data ? (
          <Skeleton className="h-32 w-full" />
        ) : rows.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('analytics.platforms.empty')}</p>
        ) : (
          <div className="overflow-x-auto rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring" tabIndex={0} role="region" aria-label={t('analytics.platforms.title')}>
            <table className="w-full min-w-[28rem] text-left text-sm" data-testid="analytics-platforms">
              <thead className="text-xs text-muted-foreground">
                <tr>
                  <th scope="col" className="py-2 font-medium">{t('analytics.platforms.platform')}</th>
                  <th scope="col" className="py-2 font-medium">{t('analytics.metric.views')}</th>
                  <th scope="col" className="py-2 text-right font-medium">{t('analytics.metric.engagement_rate')}</th>
                  <th scope="col" className="py-2 text-right font-medium">{t('analytics.platforms.posts')}</th>
                  <th scope="col" className="py-2 text-right font-medium">{t('analytics.platforms.avgViews')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const key = platformKey(row.platform)
                  return (
                    <tr key={row.platform} className="border-t">
                      <th scope="row" className="py-2 font-medium">{key ? t(key) : row.platform}</th>
                      <td className="py-2">
                        <div className="flex items-center gap-2">
                          <span className="w-14 tabular-nums">{formatCompact(row.totals.views, i18n.language)}</span>
                          <span className="h-2 flex-1 rounded-full bg-muted" aria-hidden>
                            <span
                              className="block h-2 rounded-full bg-primary"
                              style={{ width: `${(row.totals.views / maxViews) * 100}%` }}
                            />
                          </span>
                        </div>
                      </td>
                      <td className="py-2 text-right tabular-nums">
                        {row.totals.engagement_rate == null ? '—' : formatPercent(row.totals.engagement_rate, i18n.language, 2)}
                      </td>
                      <td className="py-2 text-right tabular-nums">{row.posts_published}</td>
                      <td className="py-2 text-right tabular-nums">
                        {row.avg_views_per_post == null ? '—' : formatCompact(row.avg_views_per_post, i18n.language)}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  )
}

function TopPostsCard({ days }: { days: Period }) {
  const { t, i18n } = useTranslation()
  const [metric, setMetric] = useState<TopMetric>('views')
  const query = useTopPosts(metric, days)
  const posts = query.data?.posts ?? []
  return (
    <Card className="min-w-0">
      <CardHeader className="gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <CardTitle>{t('analytics.top.title')}</CardTitle>
          <CardDescription>{t('analytics.top.description', { days })}</CardDescription>
        </div>
        <PickerSelect
          label={t('analytics.top.rankBy')}
          value={metric}
          onChange={setMetric}
          options={TOP_METRICS.map((m) => ({ value: m, label: t(METRIC_KEY[m]) }))}
          testId="analytics-top-metric"
        />
      </CardHeader>
      <CardContent>
        {query.isError ? (
          <ErrorAlert error={query.error} />
        ) : !query.data ? (
          <Skeleton className="h-32 w-full" />
        ) : posts.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('analytics.top.empty', { days })}</p>
        ) : (
          <div className="overflow-x-auto rounded focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring" tabIndex={0} role="region" aria-label={t('analytics.top.title')}>
            <table className="w-full min-w-[30rem] text-left text-sm" data-testid="analytics-top">
              <thead className="text-xs text-muted-foreground">
                <tr>
                  <th scope="col" className="py-2 font-medium">#</th>
                  <th scope="col" className="py-2 font-medium">{t('analytics.top.post')}</th>
                  <th scope="col" className="py-2 font-medium">{t('analytics.platforms.platform')}</th>
                  <th scope="col" className="py-2 font-medium">{t('analytics.top.published')}</th>
                  <th scope="col" className="py-2 text-right font-medium">{t(METRIC_KEY[metric])}</th>
                </tr>
              </thead>
              <tbody>
                {posts.map((p, i) => {
                  const key = platformKey(p.platform)
                  return (
                    <tr key={p.item_id} className="border-t">
                      <td className="py-2 tabular-nums text-muted-foreground">{i + 1}</td>
                      <th scope="row" className="py-2 font-medium">
                        <Link
                          className="block max-w-56 truncate underline-offset-4 hover:underline"
                          title={p.title ?? undefined}
                          to={`/analytics/posts/${encodeURIComponent(p.post_id)}`}
                        >
                          {p.title || t('analytics.top.untitled')}
                        </Link>
                      </th>
                      <td className="py-2">{key ? t(key) : p.platform}</td>
                      <td className="py-2 text-muted-foreground">
                        {p.published_at ? formatDateTime(p.published_at, i18n.language) : '—'}
                      </td>
                      <td className="py-2 text-right tabular-nums">
                        {p.value == null ? '—' : formatMetric(metric, p.value, i18n.language)}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  )
}

function HeatmapCard() {
  const { t } = useTranslation()
  const [windowDays, setWindowDays] = useState<HeatmapWindow>('90')
  const tz = localTimeZone()
  const query = useHeatmap(Number(windowDays), tz)
  return (
    <Card className="min-w-0">
      <CardHeader className="gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <CardTitle>{t('analytics.heatmap.title')}</CardTitle>
          <CardDescription>{t('analytics.heatmap.description', { timezone: tz })}</CardDescription>
        </div>
        <PickerSelect
          label={t('analytics.heatmap.window')}
          value={windowDays}
          onChange={setWindowDays}
          options={HEATMAP_WINDOWS.map((d) => ({ value: d, label: t('analytics.period', { count: Number(d) }) }))}
          testId="analytics-heatmap-window"
        />
      </CardHeader>
      <CardContent className="space-y-4">
        {query.isError ? (
          <ErrorAlert error={query.error} />
        ) : !query.data ? (
          <Skeleton className="h-48 w-full" />
        ) : (
          <>
            <HeatmapStatus data={query.data} />
            <Heatmap data={query.data} />
          </>
        )}
      </CardContent>
    </Card>
  )
}

function HeatmapStatus({ data }: { data: AnalyticsHeatmap }) {
  const { t } = useTranslation()
  if (data.status === 'ok')
    return <p className="text-sm text-muted-foreground">{t('analytics.heatmap.basedOn', { count: data.measured_posts, days: data.days })}</p>
  return (
    <p role="status" className="rounded-lg border border-dashed p-3 text-sm" data-testid="analytics-heatmap-thin">
      {data.measured_posts < 10
        ? t('analytics.heatmap.notEnoughPosts', { count: data.measured_posts, days: data.days })
        : t('analytics.heatmap.noClearSlot', { count: data.measured_posts })}
    </p>
  )
}

/** Polls the overview for a while after a manual sync; when the sync time moves, everything refreshes. */
function useSyncRefresh(overview: AnalyticsOverview | undefined, pollUntil: number, stop: () => void) {
  const queryClient = useQueryClient()
  const seen = useRef<string | null | undefined>(undefined)
  const syncedAt = overview?.synced_at
  useEffect(() => {
    if (overview === undefined) return
    if (seen.current !== undefined && seen.current !== syncedAt) {
      void queryClient.invalidateQueries({
        queryKey: analyticsKeys.all,
        predicate: (q) => q.queryKey[1] !== 'overview',
      })
      if (pollUntil) stop()
    }
    seen.current = syncedAt
  }, [overview, syncedAt, queryClient, pollUntil, stop])
  useEffect(() => {
    if (!pollUntil) return
    const timer = window.setTimeout(stop, Math.max(0, pollUntil - Date.now()))
    return () => window.clearTimeout(timer)
  }, [pollUntil, stop])
}

export function AnalyticsPage() {
  const { t, i18n } = useTranslation()
  const [days, setDays] = useState<Period>(30)
  const [pollUntil, setPollUntil] = useState(0)
  const stopPolling = useRef(() => setPollUntil(0)).current
  const overview = useAnalyticsOverview(days, pollUntil ? SYNC_POLL_MS : false)
  const accounts = useSocialAccounts()
  const published = useHasPublished()
  const sync = useSyncAll()
  useSyncRefresh(overview.data, pollUntil, stopPolling)

  const syncButton = (
    <SyncButton
      pending={sync.isPending || pollUntil > 0}
      run={async () => (await sync.mutateAsync()).next_allowed_at}
      onStarted={() => setPollUntil(Date.now() + SYNC_POLL_FOR_MS)}
    />
  )
  const connected = (accounts.data?.items ?? []).filter((a) => a.status !== 'disconnected')
  const hasData = Boolean(overview.data?.synced_at)

  let body
  if (overview.isError) body = <ErrorAlert error={overview.error} action={<Button size="sm" variant="outline" onClick={() => void overview.refetch()}>{t('common.retry')}</Button>} />
  else if (!overview.data || (!hasData && (accounts.isPending || published.isPending)))
    body = (
      <div className="space-y-4" aria-busy>
        <Skeleton className="h-24 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    )
  else if (!hasData && connected.length === 0)
    body = (
      <EmptyState
        icon={Link2}
        title={t('analytics.empty.connectTitle')}
        description={t('analytics.empty.connectDescription')}
        action={
          <Button asChild>
            <Link to="/social-accounts">{t('analytics.empty.connectAction')}</Link>
          </Button>
        }
      />
    )
  else if (!hasData && !published.data)
    body = (
      <EmptyState
        icon={Send}
        title={t('analytics.empty.postTitle')}
        description={t('analytics.empty.postDescription')}
        action={
          <Button asChild>
            <Link to="/videos">{t('analytics.empty.postAction')}</Link>
          </Button>
        }
      />
    )
  else if (!hasData)
    body = (
      <EmptyState
        icon={Clock}
        title={t('analytics.empty.waitTitle')}
        description={t('analytics.empty.waitDescription')}
        action={syncButton}
      />
    )
  else
    body = (
      <div className="min-w-0 space-y-6">
        <TotalsGrid overview={overview.data} />
        <SeriesCard days={days} />
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
          <PlatformsCard days={days} />
          <TopPostsCard days={days} />
        </div>
        <HeatmapCard />
      </div>
    )

  return (
    <>
      <PageHeader
        title={t('pages.analytics.title')}
        description={t('pages.analytics.description')}
        actions={
          <>
            <SegmentedPicker
              label={t('analytics.periodLabel')}
              value={days}
              onChange={setDays}
              options={PERIODS.map((d) => ({ value: d, label: t('analytics.periodShort', { count: d }) }))}
            />
            {hasData && syncButton}
          </>
        }
      />
      {overview.data && (
        <p className="-mt-3 mb-4 flex items-center gap-1.5 text-xs text-muted-foreground sm:-mt-5" data-testid="analytics-synced-at">
          <BarChart3 className="size-3.5" aria-hidden />
          {overview.data.synced_at
            ? t('analytics.syncedAt', { when: formatDateTime(overview.data.synced_at, i18n.language) })
            : t('analytics.neverSynced')}
        </p>
      )}
      {body}
    </>
  )
}
