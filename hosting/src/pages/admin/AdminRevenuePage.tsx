import { useState } from 'react'
import { ArrowLeft } from 'lucide-react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { userLabel } from '@/components/admin/AdminUserRow'
import { RevenueCard } from '@/components/admin/RevenueCard'
import { formatBytes } from '@/components/admin/format'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useTemplateUsage, useTopUsersBy } from '@/hooks/useAdminManage'

const METRICS = ['videos', 'posts', 'views', 'storage'] as const
const METRIC_KEYS = {
  videos: 'admin.revenuePage.metric_videos',
  posts: 'admin.revenuePage.metric_posts',
  views: 'admin.revenuePage.metric_views',
  storage: 'admin.revenuePage.metric_storage',
} as const satisfies Record<(typeof METRICS)[number], string>
type Metric = (typeof METRICS)[number]

function TopUsers() {
  const { t, i18n } = useTranslation()
  const [metric, setMetric] = useState<Metric>('videos')
  const top = useTopUsersBy(metric)
  return (
    <Card>
      <CardHeader className="flex flex-col gap-3">
        <div>
          <CardTitle>{t('admin.revenuePage.topTitle')}</CardTitle>
          <CardDescription>{top.data?.basis ?? t('admin.revenuePage.topDescription')}</CardDescription>
        </div>
        <div role="group" aria-label={t('admin.revenuePage.metric')} className="flex flex-wrap gap-1">
          {METRICS.map((m) => (
            <Button key={m} size="sm" variant={metric === m ? 'secondary' : 'ghost'} aria-pressed={metric === m} onClick={() => setMetric(m)}>
              {t(METRIC_KEYS[m])}
            </Button>
          ))}
        </div>
      </CardHeader>
      <CardContent>
        {top.isError ? (
          <ErrorAlert error={top.error} />
        ) : top.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : top.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('admin.dashboard.topUsersNone')}</p>
        ) : (
          <ol className="flex flex-col divide-y">
            {top.data.items.map((row, i) => (
              <li key={row.user.uid} className="flex items-center gap-3 py-2 text-sm">
                <span className="w-5 text-right text-muted-foreground tabular-nums">{i + 1}</span>
                <Link className="min-w-0 flex-1 truncate font-medium underline-offset-2 hover:underline" to={`/admin/users/${encodeURIComponent(row.user.uid)}`}>
                  {userLabel(row.user)}
                </Link>
                <span className="tabular-nums">{metric === 'storage' ? formatBytes(row.value, i18n.language) : row.value}</span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  )
}

function TemplateUsage() {
  const { t, i18n } = useTranslation()
  const usage = useTemplateUsage()
  return (
    <Card className="lg:col-span-2">
      <CardHeader>
        <CardTitle>{t('admin.revenuePage.templatesTitle')}</CardTitle>
        <CardDescription>{t('admin.revenuePage.templatesDescription')}</CardDescription>
      </CardHeader>
      <CardContent>
        {usage.isError ? (
          <ErrorAlert error={usage.error} />
        ) : usage.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('admin.revenuePage.templatesTitle')}>
            <table className="w-full min-w-[36rem] text-sm">
              <thead className="text-left text-xs uppercase tracking-wider text-muted-foreground">
                <tr>
                  <th scope="col" className="py-2 pr-4">{t('admin.revenuePage.colTemplate')}</th>
                  <th scope="col" className="py-2 pr-4 text-right">{t('admin.revenuePage.colVideos')}</th>
                  <th scope="col" className="py-2 pr-4 text-right">{t('admin.revenuePage.colSuccess')}</th>
                  <th scope="col" className="py-2 pr-4 text-right">{t('admin.revenuePage.colMedianViews')}</th>
                </tr>
              </thead>
              <tbody>
                {usage.data.items.map((row) => (
                  <tr key={row.template_id} className="border-t">
                    <td className="py-2 pr-4">{row.name}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">{row.videos}</td>
                    <td className="py-2 pr-4 text-right tabular-nums">
                      {row.success_rate === null || row.success_rate === undefined
                        ? '—'
                        : new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(row.success_rate)}
                    </td>
                    <td className="py-2 pr-4 text-right tabular-nums">{row.median_views ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  )
}

/** `/admin/revenue`: MRR and subscribers (billing), top users by a metric, template usage. */
export function AdminRevenuePage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader
        title={t('admin.revenuePage.title')}
        description={t('admin.revenuePage.description')}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link to="/admin">
              <ArrowLeft className="size-4" aria-hidden />
              {t('admin.content.back')}
            </Link>
          </Button>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <RevenueCard />
        <TopUsers />
        <TemplateUsage />
      </div>
    </>
  )
}
