import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Avatar, AvatarFallback, AvatarImage } from '@/components/ui/avatar'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useAuth } from '@/contexts/auth'
import { useProfile, useUpdateProfile } from '@/hooks/useProfile'
import { mapFieldErrors } from '@/lib/field-errors'
import { ROLE_LABEL_KEYS } from '@/lib/roles'
import { cn, initials } from '@/lib/utils'

function Field({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="flex flex-col gap-1 sm:flex-row sm:items-center sm:justify-between sm:gap-4">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className={mono ? 'break-all font-mono text-xs' : 'break-words text-sm font-medium'}>{value}</dd>
    </div>
  )
}

/** My profile from `users-get_profile`; the display name can be changed (`users-update_profile`). */
export function ProfileSettings() {
  const { t } = useTranslation()
  const { user: authUser } = useAuth()
  const profile = useProfile()
  const update = useUpdateProfile()
  const user = profile.data ?? authUser
  const [name, setName] = useState<string | null>(null)
  if (!user) return null
  const shownName = name ?? user.display_name ?? ''
  const errors = mapFieldErrors(update.error)

  const save = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      // An absent field is left as it is.
      { display_name: shownName.trim() },
      {
        onSuccess: () => {
          setName(null)
          toast.success(t('settings.profile.saved'))
        },
      },
    )
  }

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
        <form onSubmit={save} className="flex flex-col gap-2 border-t pt-6" noValidate>
          <Label htmlFor="profile-name">{t('settings.profile.name')}</Label>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Input
              id="profile-name"
              value={shownName}
              maxLength={100}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={Boolean(errors.display_name)}
              aria-describedby="profile-name-msg"
            />
            <Button type="submit" variant="secondary" disabled={update.isPending || name === null || !shownName.trim()}>
              {update.isPending ? t('common.saving') : t('common.save')}
            </Button>
          </div>
          <p id="profile-name-msg" className={cn('text-xs', errors.display_name ? 'text-destructive' : 'text-muted-foreground')}>
            {errors.display_name || t('settings.profile.nameHint')}
          </p>
          {update.error && !errors.display_name ? <ErrorAlert error={update.error} /> : null}
        </form>
        <dl className="flex flex-col gap-4 border-t pt-6">
          <Field label={t('settings.profile.email')} value={user.email || t('common.notSet')} />
          <Field label={t('settings.profile.plan')} value={t(ROLE_LABEL_KEYS[user.role])} />
          <Field label={t('settings.profile.videosCreated')} value={String(user.stats?.videos_created ?? 0)} />
          {user.created_at && <Field label={t('settings.profile.memberSince')} value={new Date(user.created_at).toLocaleDateString()} />}
          <Field label={t('settings.profile.userId')} value={user.uid} mono />
        </dl>
      </CardContent>
    </Card>
  )
}
