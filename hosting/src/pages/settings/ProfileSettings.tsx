import { useTranslation } from 'react-i18next'
import { Avatar, AvatarFallback, AvatarImage } from '@/components/ui/avatar'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { useAuth } from '@/contexts/auth'
import { ROLE_LABEL_KEYS } from '@/lib/roles'
import { initials } from '@/lib/utils'

function Field({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className={mono ? 'break-all font-mono text-xs' : 'break-words text-sm font-medium'}>{value}</dd>
    </div>
  )
}

/** Read-only: the profile comes from the Google account. */
export function ProfileSettings() {
  const { t } = useTranslation()
  const { user } = useAuth()
  if (!user) return null
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.profile.title')}</CardTitle>
        <CardDescription>{t('settings.profile.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <div className="flex items-center gap-4">
          <Avatar className="size-16">
            {user.photo_url && <AvatarImage src={user.photo_url} alt="" referrerPolicy="no-referrer" />}
            <AvatarFallback className="text-lg">{initials(user.display_name, user.email)}</AvatarFallback>
          </Avatar>
          <div className="min-w-0">
            <p className="truncate text-lg font-semibold">{user.display_name || user.email}</p>
            <div className="mt-1 flex flex-wrap gap-2">
              <Badge variant={user.role === 'free' ? 'secondary' : 'brand'}>{t(ROLE_LABEL_KEYS[user.role])}</Badge>
              <Badge variant={user.is_active ? 'success' : 'destructive'}>
                {user.is_active ? t('settings.profile.active') : t('settings.profile.inactive')}
              </Badge>
            </div>
          </div>
        </div>
        <dl className="flex flex-col gap-4 border-t pt-6">
          <Field label={t('settings.profile.name')} value={user.display_name || t('common.notSet')} />
          <Field label={t('settings.profile.email')} value={user.email} />
          <Field label={t('settings.profile.plan')} value={t(ROLE_LABEL_KEYS[user.role])} />
          <Field label={t('settings.profile.userId')} value={user.id} mono />
        </dl>
      </CardContent>
    </Card>
  )
}
