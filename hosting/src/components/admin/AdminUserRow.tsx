import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { USER_ROLES, type AdminUser, type UserAction, type UserRole } from '@/hooks/useAdminUsers'
import { ROLE_LABEL_KEYS } from '@/lib/roles'

/** The name an admin recognises a user by. */
export function userLabel(user: Pick<AdminUser, 'display_name' | 'email' | 'uid'>): string {
  return user.display_name || user.email || user.uid
}

/** One user in the admin table: role select, status and premium buttons. */
export function AdminUserRow({
  user,
  isSelf,
  busy,
  onAction,
}: {
  user: AdminUser
  isSelf: boolean
  busy: boolean
  onAction: (user: AdminUser, action: UserAction) => void
}) {
  const { t } = useTranslation()
  const name = userLabel(user)
  return (
    <tr className="border-t align-middle" data-testid={`user-row-${user.uid}`}>
      <td className="max-w-64 py-3 pr-4 pl-4">
        <div className="flex items-center gap-2">
          <Link
            className="truncate font-medium underline-offset-2 hover:underline"
            to={`/admin/users/${encodeURIComponent(user.uid)}`}
          >
            {name}
          </Link>
          {isSelf ? <Badge variant="outline">{t('admin.users.you')}</Badge> : null}
        </div>
        {user.display_name && user.email ? <p className="truncate text-xs text-muted-foreground">{user.email}</p> : null}
      </td>
      <td className="py-3 pr-4">
        <Select
          value={user.role}
          onValueChange={(role) => onAction(user, { kind: 'role', role: role as UserRole })}
          disabled={busy || isSelf}
        >
          <SelectTrigger
            className="h-9 w-32"
            aria-label={t('admin.users.roleOf', { name })}
            title={isSelf ? t('admin.users.selfRoleLocked') : undefined}
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {USER_ROLES.map((role) => (
              <SelectItem key={role} value={role}>
                {t(ROLE_LABEL_KEYS[role])}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </td>
      <td className="py-3 pr-4">
        <Badge variant={user.is_active ? 'success' : 'destructive'}>
          {user.is_active ? t('admin.users.active') : t('admin.users.disabled')}
        </Badge>
      </td>
      <td className="py-3 pr-4 text-right tabular-nums">{user.stats?.videos_created ?? 0}</td>
      <td className="py-3 pr-4 whitespace-nowrap text-muted-foreground">
        {user.created_at ? new Date(user.created_at).toLocaleDateString() : t('common.notSet')}
      </td>
      <td className="py-3 pr-4">
        <div className="flex justify-end gap-2">
          {user.role === 'free' ? (
            <Button
              size="sm"
              variant="outline"
              disabled={busy}
              onClick={() => onAction(user, { kind: 'grantPremium' })}
              aria-label={t('admin.users.grantPremiumFor', { name })}
            >
              {t('admin.users.grantPremium')}
            </Button>
          ) : user.role === 'premium' ? (
            <Button
              size="sm"
              variant="outline"
              disabled={busy}
              onClick={() => onAction(user, { kind: 'revokePremium' })}
              aria-label={t('admin.users.revokePremiumFor', { name })}
            >
              {t('admin.users.revokePremium')}
            </Button>
          ) : null}
          {isSelf ? (
            <span className="py-1.5 text-xs text-muted-foreground">{t('admin.users.selfNoActions')}</span>
          ) : user.is_active ? (
            <Button
              size="sm"
              variant="outline"
              className="text-destructive"
              disabled={busy}
              onClick={() => onAction(user, { kind: 'status', isActive: false })}
              aria-label={t('admin.users.disableFor', { name })}
            >
              {t('admin.users.disable')}
            </Button>
          ) : (
            <Button
              size="sm"
              variant="outline"
              disabled={busy}
              onClick={() => onAction(user, { kind: 'status', isActive: true })}
              aria-label={t('admin.users.enableFor', { name })}
            >
              {t('admin.users.enable')}
            </Button>
          )}
        </div>
      </td>
    </tr>
  )
}
