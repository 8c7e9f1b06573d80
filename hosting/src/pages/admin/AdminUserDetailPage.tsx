import { useState } from 'react'
import { ArrowLeft, Clapperboard, Clock, HardDrive, Send } from 'lucide-react'
import { Link, useParams } from 'react-router'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { userLabel } from '@/components/admin/AdminUserRow'
import { DeleteUserDialog, DeletionProgress } from '@/components/admin/DeleteUserDialog'
import { formatBytes, formatWhen } from '@/components/admin/format'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useAuth } from '@/contexts/auth'
import { useAdminUserDetail, useRestoreUser } from '@/hooks/useAdminManage'
import { ROLE_LABEL_KEYS } from '@/lib/roles'

function Figure({ icon: Icon, label, value }: { icon: typeof Clock; label: string; value: string }) {
  return (
    <Card className="flex items-center gap-3 p-4">
      <Icon className="size-5 shrink-0 text-primary" aria-hidden />
      <div className="min-w-0">
        <p className="text-xs text-muted-foreground">{label}</p>
        <p className="truncate text-lg font-semibold tabular-nums">{value}</p>
      </div>
    </Card>
  )
}

/** `/admin/users/:uid`: everything about one user, and deleting them (soft or hard). */
export function AdminUserDetailPage() {
  const { uid = '' } = useParams()
  const { t, i18n } = useTranslation()
  const { user: me } = useAuth()
  const detail = useAdminUserDetail(uid)
  const restore = useRestoreUser(uid)
  const [deleting, setDeleting] = useState(false)
  const d = detail.data
  const isSelf = me?.uid === uid
  const back = (
    <Button asChild variant="outline" size="sm">
      <Link to="/admin/users">
        <ArrowLeft className="size-4" aria-hidden />
        {t('admin.userDetail.back')}
      </Link>
    </Button>
  )

  if (detail.isError) {
    return (
      <>
        <PageHeader title={t('admin.userDetail.title')} actions={back} />
        <ErrorAlert error={detail.error} />
      </>
    )
  }
  if (!d) {
    return (
      <div aria-busy="true" aria-label={t('common.loading')} className="flex flex-col gap-3">
        <Skeleton className="h-10 w-64" />
        <Skeleton className="h-24 w-full" />
        <Skeleton className="h-48 w-full" />
      </div>
    )
  }
  const name = userLabel(d.user)
  const sub = d.subscription
  return (
    <>
      <PageHeader title={name} description={d.user.email ?? uid} actions={back} />
      <div className="mb-4 flex flex-wrap gap-2">
        <Badge variant={d.user.role === 'free' ? 'secondary' : 'brand'}>{t(ROLE_LABEL_KEYS[d.user.role])}</Badge>
        <Badge variant={d.user.is_active ? 'success' : 'destructive'}>
          {d.user.is_active ? t('admin.users.active') : t('admin.users.disabled')}
        </Badge>
        {isSelf ? <Badge variant="outline">{t('admin.users.you')}</Badge> : null}
      </div>

      <section aria-label={t('admin.userDetail.statsLabel')} className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure icon={Clapperboard} label={t('admin.userDetail.videos')} value={String(d.videos)} />
        <Figure icon={Send} label={t('admin.userDetail.posts')} value={String(d.posts ?? 0)} />
        <Figure icon={HardDrive} label={t('admin.userDetail.storage')} value={formatBytes(d.storage_bytes ?? 0, i18n.language)} />
        <Figure icon={Clock} label={t('admin.userDetail.lastActivity')} value={formatWhen(d.last_activity_at, i18n.language)} />
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('admin.userDetail.planTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">{t('admin.userDetail.plan')}</dt>
              <dd>{sub?.plan ?? 'free'}</dd>
              <dt className="text-muted-foreground">{t('admin.userDetail.subscriptionStatus')}</dt>
              <dd>{sub?.status ?? '—'}</dd>
              <dt className="text-muted-foreground">{t('admin.userDetail.periodEnd')}</dt>
              <dd>{formatWhen(sub?.current_period_end, i18n.language)}</dd>
              <dt className="text-muted-foreground">{t('admin.userDetail.today')}</dt>
              <dd className="tabular-nums">
                {d.usage.daily_limit === null
                  ? t('admin.userDetail.todayUnlimited', { count: d.usage.videos_today })
                  : t('admin.userDetail.todayOf', { count: d.usage.videos_today, limit: d.usage.daily_limit })}
              </dd>
              <dt className="text-muted-foreground">{t('admin.userDetail.joined')}</dt>
              <dd>{formatWhen(d.user.created_at, i18n.language)}</dd>
            </dl>
            <h3 className="mt-4 mb-2 text-sm font-semibold">{t('admin.userDetail.videosByStatus')}</h3>
            <ul className="flex flex-wrap gap-2 text-xs">
              {Object.entries(d.videos_by_status ?? {}).map(([status, n]) => (
                <li key={status}>
                  <Badge variant="outline">
                    {status}: {n}
                  </Badge>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>{t('admin.userDetail.accountsTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            {(d.connected_accounts ?? []).length === 0 ? (
              <p className="text-sm text-muted-foreground">{t('admin.userDetail.noAccounts')}</p>
            ) : (
              <ul className="flex flex-col divide-y">
                {(d.connected_accounts ?? []).map((a) => (
                  <li key={a.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                    <span className="min-w-0 truncate">
                      <span className="font-medium">{a.display_name}</span>{' '}
                      <span className="text-muted-foreground">({a.platform})</span>
                    </span>
                    <Badge variant={a.status === 'connected' ? 'success' : 'secondary'}>{a.status}</Badge>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>

        <Card className="border-destructive/40 lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('admin.userDetail.dangerTitle')}</CardTitle>
            <CardDescription>
              {isSelf ? t('admin.userDetail.cannotDeleteSelf') : t('admin.userDetail.dangerDescription')}
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            {d.deletion ? <DeletionProgress job={d.deletion} /> : null}
            {restore.error ? <ErrorAlert error={restore.error} /> : null}
            <div className="flex flex-wrap gap-2">
              {d.deletion?.status === 'scheduled' ? (
                <Button
                  variant="outline"
                  disabled={restore.isPending}
                  onClick={() =>
                    restore.mutate(undefined, { onSuccess: () => toast.success(t('admin.userDetail.restored', { name })) })
                  }
                >
                  {t('admin.userDetail.restore')}
                </Button>
              ) : null}
              {!isSelf && d.deletion?.status !== 'running' && d.deletion?.status !== 'done' ? (
                <Button variant="destructive" onClick={() => setDeleting(true)}>
                  {t('admin.userDetail.delete')}
                </Button>
              ) : null}
            </div>
          </CardContent>
        </Card>
      </div>
      {deleting ? <DeleteUserDialog uid={uid} name={name} open={deleting} onOpenChange={setDeleting} /> : null}
    </>
  )
}
