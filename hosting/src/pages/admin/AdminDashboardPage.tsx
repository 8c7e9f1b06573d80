import { useState } from 'react'
import {
  AlertTriangle,
  Bell,
  Clapperboard,
  LayoutTemplate,
  LineChart,
  Settings,
  UserCheck,
  UserX,
  Users,
  type LucideIcon,
} from 'lucide-react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { ActivityChart } from '@/components/admin/ActivityChart'
import { userLabel } from '@/components/admin/AdminUserRow'
import { BroadcastCard } from '@/components/admin/BroadcastCard'
import { RevenueCard } from '@/components/admin/RevenueCard'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useAdminActivity, useAdminStats, useAdminTopUsers } from '@/hooks/useAdminStats'
import { USER_ROLES } from '@/hooks/useAdminUsers'
import { humanize } from '@/lib/enum-label'
import { ROLE_LABEL_KEYS } from '@/lib/roles'
import { VIDEO_STATUSES, VIDEO_STATUS_BADGE } from '@/lib/video-status'
import { cn } from '@/lib/utils'

const ACTIVITY_RANGES = [7, 30, 90] as const

function Stat({ icon: Icon, label, value, loading }: { icon: LucideIcon; label: string; value: number; loading: boolean }) {
  return (
    <Card className="flex items-center gap-3 p-4 sm:p-5">
      <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-primary">
        <Icon className="size-5" aria-hidden />
      </span>
      <div className="min-w-0">
        <p className="text-xs leading-tight text-muted-foreground sm:text-sm">{label}</p>
        {loading ? <Skeleton className="mt-1 h-7 w-10" /> : <p className="text-2xl font-bold tabular-nums">{value}</p>}
      </div>
    </Card>
  )
}

function Breakdown({ rows }: { rows: { key: string; label: string; value: number }[] }) {
  const total = Math.max(1, ...rows.map((r) => r.value))
  return (
    <ul className="flex flex-col gap-3">
      {rows.map((row) => (
        <li key={row.key} className="flex flex-col gap-1">
          <div className="flex justify-between text-sm">
            <span>{row.label}</span>
            <span className="font-medium tabular-nums">{row.value}</span>
          </div>
          <div className="h-2 rounded-full bg-muted" aria-hidden>
            <div className="h-2 rounded-full bg-primary/80" style={{ width: `${(row.value / total) * 100}%` }} />
          </div>
        </li>
      ))}
    </ul>
  )
}

/** `/admin`: platform totals, signups over time, top creators, revenue, and broadcasts. */
export function AdminDashboardPage() {
  const { t } = useTranslation()
  const stats = useAdminStats()
  const [days, setDays] = useState<number>(30)
  const activity = useAdminActivity(days)
  const top = useAdminTopUsers(5)
  const s = stats.data
  const loading = stats.isPending

  const videoRows = s
    ? [
        ...VIDEO_STATUSES.map((status) => ({
          key: status,
          label: t(VIDEO_STATUS_BADGE[status].labelKey),
          value: s.videos_by_status[status] ?? 0,
        })),
        ...Object.entries(s.videos_by_status)
          .filter(([status]) => !(VIDEO_STATUSES as readonly string[]).includes(status))
          .map(([status, value]) => ({ key: status, label: humanize(status), value })),
      ]
    : []

  return (
    <>
      <PageHeader
        title={t('pages.adminDashboard.title')}
        description={t('pages.adminDashboard.description')}
        actions={
          <nav aria-label={t('admin.dashboard.sectionsLabel')} className="flex flex-wrap gap-2">
            <Button asChild variant="outline" size="sm">
              <Link to="/admin/users">
                <Users className="size-4" aria-hidden />
                {t('admin.dashboard.manageUsers')}
              </Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link to="/admin/settings">
                <Settings className="size-4" aria-hidden />
                {t('admin.dashboard.platformSettings')}
              </Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link to="/admin/content">
                <AlertTriangle className="size-4" aria-hidden />
                {t('admin.dashboard.content')}
              </Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link to="/admin/templates">
                <LayoutTemplate className="size-4" aria-hidden />
                {t('admin.dashboard.systemTemplates')}
              </Link>
            </Button>
            <Button asChild variant="outline" size="sm">
              <Link to="/admin/revenue">
                <LineChart className="size-4" aria-hidden />
                {t('admin.dashboard.revenueAndUsage')}
              </Link>
            </Button>
          </nav>
        }
      />
      {stats.isError ? (
        <ErrorAlert
          className="mb-6"
          error={stats.error}
          action={
            <Button size="sm" variant="outline" onClick={() => void stats.refetch()}>
              {t('common.retry')}
            </Button>
          }
        />
      ) : null}
      <section aria-label={t('admin.dashboard.statsLabel')} className="mb-6 grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-5">
        <Stat icon={Users} label={t('admin.dashboard.totalUsers')} value={s?.users.total ?? 0} loading={loading} />
        <Stat icon={UserCheck} label={t('admin.dashboard.activeUsers')} value={s?.users.active ?? 0} loading={loading} />
        <Stat icon={UserX} label={t('admin.dashboard.disabledUsers')} value={s?.users.disabled ?? 0} loading={loading} />
        <Stat icon={Clapperboard} label={t('admin.dashboard.videosCreated')} value={s?.videos_created_total ?? 0} loading={loading} />
        <Stat icon={Bell} label={t('admin.dashboard.unreadNotifications')} value={s?.notifications_unread ?? 0} loading={loading} />
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
            <div>
              <CardTitle>{t('admin.dashboard.activityTitle')}</CardTitle>
              <CardDescription>
                {activity.data
                  ? t('admin.dashboard.activityTotal', { count: activity.data.total_signups, days: activity.data.days })
                  : t('admin.dashboard.activityDescription')}
              </CardDescription>
            </div>
            <div role="group" aria-label={t('admin.dashboard.range')} className="flex gap-1">
              {ACTIVITY_RANGES.map((n) => (
                <Button
                  key={n}
                  size="sm"
                  variant={days === n ? 'secondary' : 'ghost'}
                  aria-pressed={days === n}
                  onClick={() => setDays(n)}
                >
                  {t('admin.dashboard.lastDays', { count: n })}
                </Button>
              ))}
            </div>
          </CardHeader>
          <CardContent>
            {activity.isError ? (
              <ErrorAlert error={activity.error} />
            ) : activity.isPending ? (
              <Skeleton className="h-40 w-full" />
            ) : (
              <div className={cn(activity.isPlaceholderData && 'opacity-60')}>
                <ActivityChart days={activity.data.signups} />
              </div>
            )}
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>{t('admin.dashboard.breakdownTitle')}</CardTitle>
            <CardDescription>{t('admin.dashboard.breakdownDescription')}</CardDescription>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-6 sm:grid-cols-2">
            {loading ? (
              <>
                <Skeleton className="h-32 w-full" />
                <Skeleton className="h-32 w-full" />
              </>
            ) : s ? (
              <>
                <div>
                  <h3 className="mb-3 text-sm font-semibold">{t('admin.dashboard.usersByRole')}</h3>
                  <Breakdown
                    rows={USER_ROLES.map((role) => ({ key: role, label: t(ROLE_LABEL_KEYS[role]), value: s.users.by_role[role] ?? 0 }))}
                  />
                </div>
                <div>
                  <h3 className="mb-3 text-sm font-semibold">{t('admin.dashboard.videosByStatus')}</h3>
                  <Breakdown rows={videoRows} />
                </div>
              </>
            ) : null}
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>{t('admin.dashboard.topUsersTitle')}</CardTitle>
            <CardDescription>{t('admin.dashboard.topUsersDescription')}</CardDescription>
          </CardHeader>
          <CardContent>
            {top.isError ? (
              <ErrorAlert error={top.error} />
            ) : top.isPending ? (
              <div className="flex flex-col gap-2" aria-busy="true">
                {[0, 1, 2].map((i) => (
                  <Skeleton key={i} className="h-10 w-full" />
                ))}
              </div>
            ) : top.data.items.length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('admin.dashboard.topUsersNone')}</p>
            ) : (
              <ol className="flex flex-col divide-y">
                {top.data.items.map(({ user: u, value }, i) => (
                  <li key={u.uid} className="flex items-center gap-3 py-2.5">
                    <span className="w-5 text-right text-sm text-muted-foreground tabular-nums">{i + 1}</span>
                    <div className="min-w-0 flex-1">
                      <Link
                        className="block truncate text-sm font-medium underline-offset-2 hover:underline"
                        to={`/admin/users/${encodeURIComponent(u.uid)}`}
                      >
                        {userLabel(u)}
                      </Link>
                      {u.display_name && u.email ? <p className="truncate text-xs text-muted-foreground">{u.email}</p> : null}
                    </div>
                    <Badge variant={u.role === 'free' ? 'secondary' : 'brand'}>{t(ROLE_LABEL_KEYS[u.role])}</Badge>
                    <span className="text-sm font-medium tabular-nums">
                      {t('admin.dashboard.videoCount', { count: value })}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>

        <RevenueCard />

        <BroadcastCard />
      </div>
    </>
  )
}
