import { useState } from 'react'
import { ArrowLeft, ExternalLink } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { AnalyticsPostPlatform } from '@/api/types'
import { METRIC_KEY, platformKey } from '@/components/analytics/labels'
import { LineChart } from '@/components/analytics/LineChart'
import { PickerSelect } from '@/components/analytics/Pickers'
import { SyncButton } from '@/components/analytics/SyncButton'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { usePostAnalytics, useSyncPost } from '@/hooks/useAnalytics'
import { formatDateTime, formatMetric } from '@/lib/analytics-format'

const HISTORY_METRICS = ['views', 'likes', 'comments', 'shares', 'saves', 'watch_time_s'] as const
type HistoryMetric = (typeof HISTORY_METRICS)[number]
const TOTAL_METRICS = ['views', 'likes', 'comments', 'shares', 'saves', 'watch_time_s', 'engagement_rate'] as const

function PlatformHistory({ item }: { item: AnalyticsPostPlatform }) {
  const { t, i18n } = useTranslation()
  const [metric, setMetric] = useState<HistoryMetric>('views')
  const key = platformKey(item.platform)
  const name = key ? t(key) : item.platform
  // A fetch that did not carry the metric (a lagging report) is left out, never drawn as 0.
  const points = item.history
    .filter((h) => h.metrics[metric] != null)
    .map((h) => ({ label: formatDateTime(h.fetched_at, i18n.language), value: Number(h.metrics[metric]) }))
  return (
    <Card data-testid={`analytics-post-${item.platform}`}>
      <CardHeader className="gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <CardTitle>{name}</CardTitle>
          <CardDescription>
            {item.published_at
              ? t('analytics.post.publishedAt', { when: formatDateTime(item.published_at, i18n.language) })
              : t('analytics.post.notPublished')}
            {' · '}
            {item.last_synced_at
              ? t('analytics.post.lastSynced', { when: formatDateTime(item.last_synced_at, i18n.language) })
              : t('analytics.neverSynced')}
          </CardDescription>
        </div>
        <PickerSelect
          label={t('analytics.series.metric')}
          value={metric}
          onChange={setMetric}
          options={HISTORY_METRICS.map((m) => ({ value: m, label: t(METRIC_KEY[m]) }))}
        />
      </CardHeader>
      <CardContent className="space-y-4">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
          {TOTAL_METRICS.map((m) => {
            const value = m === 'engagement_rate' ? item.totals.engagement_rate : item.totals[m]
            return (
              <div key={m} className="rounded-lg border p-3">
                <dt className="text-xs text-muted-foreground">{t(METRIC_KEY[m])}</dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid={`analytics-post-${item.platform}-${m}`}>
                  {value == null ? '—' : formatMetric(m, value, i18n.language)}
                </dd>
              </div>
            )
          })}
        </dl>
        {points.length ? (
          <LineChart
            points={points}
            title={t('analytics.post.historyTitle', { metric: t(METRIC_KEY[metric]), platform: name })}
            format={(v) => formatMetric(metric, v, i18n.language)}
          />
        ) : (
          <p className="text-sm text-muted-foreground">{t('analytics.post.noHistory')}</p>
        )}
        <p className="text-xs text-muted-foreground">
          {t('analytics.post.snapshots', { count: item.history.length })}
          {item.history.length > 0 &&
            ` · ${t('analytics.post.definitions', { version: item.history[item.history.length - 1]?.definitions ?? '' })}`}
        </p>
      </CardContent>
    </Card>
  )
}

/** One post's numbers per platform, with every stored snapshot, and a "sync this post" button. */
export function AnalyticsPostPage() {
  const { t } = useTranslation()
  const { postId = '' } = useParams()
  const analytics = usePostAnalytics(postId)
  const post = useQuery({
    queryKey: ['posts', 'detail', postId],
    queryFn: () => unwrap(api.GET('/api/v1/posts/{post_id}', { params: { path: { post_id: postId } } })),
  })
  const sync = useSyncPost(postId)
  const urls = new Map<string, string | null>((post.data?.targets ?? []).map((target) => [target.platform, target.url]))
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link to="/analytics">
          <ArrowLeft aria-hidden />
          {t('analytics.post.back')}
        </Link>
      </Button>
      <PageHeader
        title={post.data?.video_title || t('analytics.post.title')}
        description={t('analytics.post.description')}
        actions={
          <SyncButton
            pending={sync.isPending}
            storeKey={`synthora.analytics.nextSyncAt.${postId}`}
            label={t('analytics.post.syncNow')}
            successMessage={t('analytics.post.synced')}
            run={async () => {
              await sync.mutateAsync()
              // The server allows one per post every 5 minutes.
              return new Date(Date.now() + 5 * 60_000).toISOString()
            }}
          />
        }
      />
      {analytics.isError ? (
        <ErrorAlert error={analytics.error} />
      ) : !analytics.data ? (
        <Skeleton className="h-64 w-full" />
      ) : analytics.data.platforms.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-sm text-muted-foreground">{t('analytics.post.empty')}</p>
      ) : (
        <div className="space-y-6">
          {analytics.data.platforms.map((item) => (
            <div key={item.item_id} className="space-y-2">
              <PlatformHistory item={item} />
              {urls.get(item.platform) && (
                <a
                  className="inline-flex items-center gap-1 text-sm underline"
                  href={urls.get(item.platform) ?? undefined}
                  target="_blank"
                  rel="noreferrer"
                >
                  {t('posts.open')}
                  <ExternalLink className="size-3" aria-hidden />
                </a>
              )}
            </div>
          ))}
        </div>
      )}
    </>
  )
}
