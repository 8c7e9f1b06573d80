import { useState } from 'react'
import { Search, Users } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/ConfirmDialog'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { AdminUserRow, userLabel } from '@/components/admin/AdminUserRow'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { useAuth } from '@/contexts/auth'
import {
  USER_ROLES,
  useAdminUserAction,
  useAdminUserPages,
  type AdminUser,
  type UserAction,
  type UserFilters,
  type UserRole,
} from '@/hooks/useAdminUsers'
import { useDebouncedValue } from '@/hooks/useDebouncedValue'
import { ROLE_LABEL_KEYS } from '@/lib/roles'

const ALL = 'all'

/** Actions that take something away ask first; granting and enabling run at once. */
function needsConfirmation(user: AdminUser, action: UserAction): boolean {
  switch (action.kind) {
    case 'role':
      return action.role !== user.role
    case 'status':
      return !action.isActive
    case 'revokePremium':
      return true
    case 'grantPremium':
      return false
  }
}

/** `/admin/users`: every account, searchable and filterable, with role, status and premium changes. */
export function AdminUsersPage() {
  const { t } = useTranslation()
  const { user: me } = useAuth()
  const [search, setSearch] = useState('')
  const [searchBy, setSearchBy] = useState<UserFilters['searchBy']>('email')
  const [role, setRole] = useState<UserRole | null>(null)
  const [isActive, setIsActive] = useState<boolean | null>(null)
  const debouncedSearch = useDebouncedValue(search)
  const pages = useAdminUserPages({ search: debouncedSearch, searchBy, role, isActive })
  const action = useAdminUserAction()
  const [pending, setPending] = useState<{ user: AdminUser; action: UserAction } | null>(null)

  const users = pages.data?.pages.flatMap((page) => page.items) ?? []

  const run = (user: AdminUser, next: UserAction) =>
    action.mutate(
      { uid: user.uid, action: next },
      {
        onSuccess: () => {
          setPending(null)
          toast.success(t('admin.users.updated', { name: userLabel(user) }))
        },
      },
    )

  const onAction = (user: AdminUser, next: UserAction) => {
    if (next.kind === 'role' && next.role === user.role) return
    action.reset()
    if (needsConfirmation(user, next)) setPending({ user, action: next })
    else run(user, next)
  }

  const dialog = pending ? confirmText(pending.user, pending.action) : null

  function confirmText(user: AdminUser, next: UserAction) {
    const name = userLabel(user)
    switch (next.kind) {
      case 'role':
        return {
          title: t('admin.users.confirmRoleTitle'),
          description: t('admin.users.confirmRoleDescription', { name, role: t(ROLE_LABEL_KEYS[next.role]) }),
          confirm: t('admin.users.confirmRole'),
        }
      case 'status':
        return {
          title: t('admin.users.confirmDisableTitle'),
          description: t('admin.users.confirmDisableDescription', { name }),
          confirm: t('admin.users.disable'),
        }
      default:
        return {
          title: t('admin.users.confirmRevokeTitle'),
          description: t('admin.users.confirmRevokeDescription', { name }),
          confirm: t('admin.users.revokePremium'),
        }
    }
  }

  return (
    <>
      <PageHeader title={t('pages.adminUsers.title')} description={t('pages.adminUsers.description')} />
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))]">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="admin-user-search">{t('admin.users.search')}</Label>
          <div className="relative">
              <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
              <Input
                id="admin-user-search"
                type="search"
                className="pl-9"
                value={search}
                placeholder={searchBy === 'email' ? t('admin.users.searchEmailPlaceholder') : t('admin.users.searchNamePlaceholder')}
                onChange={(e) => setSearch(e.target.value)}
              />
            </div>
          </div>
          <div className="flex flex-col gap-1.5">
            <span className="text-sm font-medium" id="admin-user-search-by">
              {t('admin.users.searchBy')}
            </span>
            <Select value={searchBy} onValueChange={(v) => setSearchBy(v as UserFilters['searchBy'])}>
              <SelectTrigger aria-labelledby="admin-user-search-by">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="email">{t('admin.users.byEmail')}</SelectItem>
                <SelectItem value="name">{t('admin.users.byName')}</SelectItem>
              </SelectContent>
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <span className="text-sm font-medium" id="admin-user-role-filter">
              {t('admin.users.roleFilter')}
            </span>
            <Select value={role ?? ALL} onValueChange={(v) => setRole(v === ALL ? null : (v as UserRole))}>
              <SelectTrigger aria-labelledby="admin-user-role-filter">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>{t('admin.users.allRoles')}</SelectItem>
                {USER_ROLES.map((r) => (
                  <SelectItem key={r} value={r}>
                    {t(ROLE_LABEL_KEYS[r])}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <span className="text-sm font-medium" id="admin-user-status-filter">
              {t('admin.users.statusFilter')}
            </span>
            <Select
              value={isActive === null ? ALL : isActive ? 'active' : 'disabled'}
              onValueChange={(v) => setIsActive(v === ALL ? null : v === 'active')}
            >
              <SelectTrigger aria-labelledby="admin-user-status-filter">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>{t('admin.users.allStatuses')}</SelectItem>
                <SelectItem value="active">{t('admin.users.active')}</SelectItem>
                <SelectItem value="disabled">{t('admin.users.disabled')}</SelectItem>
              </SelectContent>
            </Select>
          </div>
        </div>

        {action.error && !pending ? <ErrorAlert error={action.error} className="mb-4" /> : null}

        {pages.isError ? (
          <ErrorAlert
            error={pages.error}
            action={
              <Button size="sm" variant="outline" onClick={() => void pages.refetch()}>
                {t('common.retry')}
              </Button>
            }
          />
        ) : pages.isPending ? (
          <div className="flex flex-col gap-2" aria-busy="true" aria-label={t('common.loading')}>
            {[0, 1, 2, 3, 4].map((i) => (
              <Skeleton key={i} className="h-14 w-full" />
            ))}
          </div>
        ) : users.length === 0 ? (
          <EmptyState icon={Users} title={t('admin.users.noneTitle')} description={t('admin.users.noneDescription')} />
        ) : (
          <>
            <p className="mb-2 text-xs text-muted-foreground lg:hidden" id="admin-users-scroll-hint">
              {t('admin.users.scrollHint')}
            </p>
          <div className="relative">
            <div
              className="overflow-x-auto rounded-xl border bg-card"
              tabIndex={0}
              role="region"
              aria-label={t('admin.users.tableLabel')}
              aria-describedby="admin-users-scroll-hint"
            >
              <table className="w-full min-w-[52rem] text-sm">
                <caption className="sr-only">{t('admin.users.tableLabel')}</caption>
                <thead className="text-left text-xs uppercase tracking-wider text-muted-foreground">
                  <tr>
                    <th scope="col" className="py-3 pr-4 pl-4 font-medium">
                      {t('admin.users.colUser')}
                    </th>
                    <th scope="col" className="py-3 pr-4 font-medium">
                      {t('admin.users.colRole')}
                    </th>
                    <th scope="col" className="py-3 pr-4 font-medium">
                      {t('admin.users.colStatus')}
                    </th>
                    <th scope="col" className="py-3 pr-4 text-right font-medium">
                      {t('admin.users.colVideos')}
                    </th>
                    <th scope="col" className="py-3 pr-4 font-medium">
                      {t('admin.users.colJoined')}
                    </th>
                    <th scope="col" className="py-3 pr-4 text-right font-medium">
                      {t('admin.users.colActions')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((user) => (
                    <AdminUserRow
                      key={user.uid}
                      user={user}
                      isSelf={user.uid === me?.uid}
                      busy={action.isPending && action.variables?.uid === user.uid}
                      onAction={onAction}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          {/* A fade on the right edge: more columns are there (phones and narrow windows). */}
          <div
            aria-hidden
            className="pointer-events-none absolute inset-y-0 right-0 w-8 rounded-r-xl bg-gradient-to-l from-background/90 to-transparent lg:hidden"
          />
          </div>
          <div className="mt-4 flex flex-col items-center gap-2">
            <p className="text-xs text-muted-foreground" aria-live="polite">
              {t('admin.users.shown', { count: users.length })}
            </p>
            {pages.hasNextPage ? (
              <Button variant="outline" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
                {pages.isFetchingNextPage ? t('common.loading') : t('admin.users.loadMore')}
              </Button>
            ) : null}
          </div>
        </>
      )}

      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => {
          if (!open) setPending(null)
        }}
        title={dialog?.title ?? ''}
        description={dialog?.description ?? ''}
        confirmLabel={dialog?.confirm ?? ''}
        pendingLabel={t('common.saving')}
        pending={action.isPending}
        error={pending ? action.error : null}
        onConfirm={() => {
          if (pending) run(pending.user, pending.action)
        }}
      />
    </>
  )
}
