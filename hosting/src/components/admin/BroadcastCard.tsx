import { useState, type FormEvent } from 'react'
import { Megaphone } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ErrorAlert } from '@/components/ErrorAlert'
import { FieldMessage, FormField, fieldMessageId } from '@/components/form'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { useAdminBroadcasts, useSendBroadcast } from '@/hooks/useAdminBroadcasts'
import { USER_ROLES, type UserRole } from '@/hooks/useAdminUsers'
import { mapFieldErrors } from '@/lib/field-errors'
import { ROLE_LABEL_KEYS } from '@/lib/roles'

const FIELDS = ['title', 'message', 'link', 'roles'] as const

/** Send a system notification to every active user (or some roles'), and follow recent broadcasts. */
export function BroadcastCard() {
  const { t } = useTranslation()
  const send = useSendBroadcast()
  const broadcasts = useAdminBroadcasts()
  const [title, setTitle] = useState('')
  const [message, setMessage] = useState('')
  const [link, setLink] = useState('')
  const [roles, setRoles] = useState<UserRole[]>([])
  const [byEmail, setByEmail] = useState(false)
  const errors = mapFieldErrors(send.error)
  const placed = FIELDS.some((f) => errors[f])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    send.mutate(
      {
        title: title.trim(),
        message: message.trim(),
        link: link.trim() || null,
        roles: roles.length > 0 ? roles : null,
        email: byEmail,
      },
      {
        onSuccess: () => {
          setTitle('')
          setMessage('')
          setLink('')
          setRoles([])
          setByEmail(false)
          toast.success(t('admin.broadcast.sent'))
        },
      },
    )
  }

  const toggleRole = (role: UserRole, on: boolean) =>
    setRoles((current) => (on ? [...current, role] : current.filter((r) => r !== role)))

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Megaphone className="size-5 text-primary" aria-hidden />
          {t('admin.broadcast.title')}
        </CardTitle>
        <CardDescription>{t('admin.broadcast.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate aria-label={t('admin.broadcast.title')}>
          <FormField id="broadcast-title" label={t('admin.broadcast.fieldTitle')} error={errors.title}>
            <Input value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </FormField>
          <FormField id="broadcast-message" label={t('admin.broadcast.fieldMessage')} error={errors.message}>
            <Textarea value={message} rows={3} maxLength={2000} onChange={(e) => setMessage(e.target.value)} />
          </FormField>
          <FormField id="broadcast-link" label={t('admin.broadcast.fieldLink')} error={errors.link} hint={t('admin.broadcast.linkHint')}>
            <Input value={link} maxLength={500} placeholder="/videos" onChange={(e) => setLink(e.target.value)} />
          </FormField>
          <fieldset className="flex flex-col gap-2" aria-describedby={fieldMessageId('broadcast-roles')}>
            <legend className="mb-1 text-sm font-medium">{t('admin.broadcast.fieldRoles')}</legend>
            <div className="flex flex-wrap gap-4">
              {USER_ROLES.map((role) => (
                <label key={role} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={roles.includes(role)}
                    onChange={(e) => toggleRole(role, e.target.checked)}
                  />
                  {t(ROLE_LABEL_KEYS[role])}
                </label>
              ))}
            </div>
            <FieldMessage id={fieldMessageId('broadcast-roles')} error={errors.roles} hint={t('admin.broadcast.rolesHint')} />
          </fieldset>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-primary"
              checked={byEmail}
              onChange={(e) => setByEmail(e.target.checked)}
              aria-describedby="broadcast-email-hint"
            />
            <span>
              <span className="block font-medium">{t('email.broadcastEmail')}</span>
              <span id="broadcast-email-hint" className="block text-xs text-muted-foreground">
                {t('email.broadcastEmailHint')}
              </span>
            </span>
          </label>
          {send.error && !placed ? <ErrorAlert error={send.error} /> : null}
          <div>
            <Button type="submit" disabled={send.isPending || !title.trim() || !message.trim()}>
              {send.isPending ? t('admin.broadcast.sending') : t('admin.broadcast.send')}
            </Button>
          </div>
        </form>

        <section aria-labelledby="recent-broadcasts" className="flex flex-col gap-3 border-t pt-6">
          <h3 id="recent-broadcasts" className="text-sm font-semibold">
            {t('admin.broadcast.recent')}
          </h3>
          {broadcasts.isError ? (
            <ErrorAlert
              error={broadcasts.error}
              action={
                <Button size="sm" variant="outline" onClick={() => void broadcasts.refetch()}>
                  {t('common.retry')}
                </Button>
              }
            />
          ) : broadcasts.isPending ? (
            <div className="flex flex-col gap-2" aria-busy="true">
              <Skeleton className="h-16 w-full" />
              <Skeleton className="h-16 w-full" />
            </div>
          ) : broadcasts.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('admin.broadcast.none')}</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {broadcasts.data.items.map((b) => (
                <li key={b.broadcast_id} className="rounded-lg border p-3" data-testid={`broadcast-${b.broadcast_id}`}>
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div className="min-w-0">
                      <p className="truncate text-sm font-medium">{b.title}</p>
                      <p className="line-clamp-2 text-xs text-muted-foreground">{b.message}</p>
                    </div>
                    <Badge variant={b.status === 'done' ? 'success' : 'warning'}>
                      {b.status === 'done' ? t('admin.broadcast.statusDone') : t('admin.broadcast.statusSending')}
                    </Badge>
                  </div>
                  <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
                    <div className="flex gap-1">
                      <dt>{t('admin.broadcast.pagesDone')}</dt>
                      <dd className="font-medium text-foreground tabular-nums">{b.pages_done}</dd>
                    </div>
                    <div className="flex gap-1">
                      <dt>{t('admin.broadcast.delivered')}</dt>
                      <dd className="font-medium text-foreground tabular-nums">{b.delivered}</dd>
                    </div>
                    <div className="flex gap-1">
                      <dt>{t('admin.broadcast.skipped')}</dt>
                      <dd className="font-medium text-foreground tabular-nums">{b.skipped}</dd>
                    </div>
                    <div className="flex gap-1">
                      <dt>{t('admin.broadcast.audience')}</dt>
                      <dd className="font-medium text-foreground">
                        {b.roles && b.roles.length > 0
                          ? b.roles
                              .map((r) => (r in ROLE_LABEL_KEYS ? t(ROLE_LABEL_KEYS[r as UserRole]) : r))
                              .join(', ')
                          : t('admin.broadcast.everyone')}
                      </dd>
                    </div>
                    {b.created_at ? (
                      <div className="flex gap-1">
                        <dt>{t('admin.broadcast.createdAt')}</dt>
                        <dd className="font-medium text-foreground">{new Date(b.created_at).toLocaleString()}</dd>
                      </div>
                    ) : null}
                  </dl>
                </li>
              ))}
            </ul>
          )}
        </section>
      </CardContent>
    </Card>
  )
}
