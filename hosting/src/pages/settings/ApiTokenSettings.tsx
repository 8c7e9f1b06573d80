import { Check, Copy, KeyRound } from 'lucide-react'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ConfirmDialog } from '@/components/ConfirmDialog'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import {
  useApiTokens,
  useCreateApiToken,
  useRevokeApiToken,
  type ApiToken,
  type ApiTokenScope,
  type CreatedApiToken,
} from '@/hooks/useApiTokens'

/** The scopes in the order the form offers them, and their strings. */
const SCOPES = [
  { id: 'read', label: 'apiTokens.scopes.read.label', hint: 'apiTokens.scopes.read.hint' },
  { id: 'videos:create', label: 'apiTokens.scopes.videosCreate.label', hint: 'apiTokens.scopes.videosCreate.hint' },
  { id: 'posts', label: 'apiTokens.scopes.posts.label', hint: 'apiTokens.scopes.posts.hint' },
  { id: 'analytics', label: 'apiTokens.scopes.analytics.label', hint: 'apiTokens.scopes.analytics.hint' },
] as const satisfies readonly { id: ApiTokenScope; label: string; hint: string }[]
const EXPIRY_DAYS = [7, 30, 90, 365] as const

function when(value: string, locale: string): string {
  return new Date(value).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
}

/** The new token, shown this once with a copy button. */
function NewToken({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const copy = () => {
    void navigator.clipboard
      ?.writeText(created.token)
      .then(() => setCopied(true))
      .catch(() => setCopied(false))
  }
  return (
    <div role="status" className="flex flex-col gap-2 rounded-lg border border-success/40 bg-success/10 p-3">
      <p className="text-sm font-medium">{t('apiTokens.created.title', { name: created.name })}</p>
      <p className="text-xs text-muted-foreground">{t('apiTokens.created.once')}</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          data-testid="new-api-token"
          className="min-w-0 flex-1 rounded-md bg-background px-2 py-1.5 font-mono text-xs break-all select-all"
        >
          {created.token}
        </code>
        <div className="flex gap-2">
          <Button type="button" variant="outline" size="sm" onClick={copy}>
            {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
            {copied ? t('apiTokens.created.copied') : t('apiTokens.created.copy')}
          </Button>
          <Button type="button" size="sm" onClick={onDone}>
            {t('apiTokens.created.done')}
          </Button>
        </div>
      </div>
    </div>
  )
}

function TokenRow({ token, onRevoke }: { token: ApiToken; onRevoke: (token: ApiToken) => void }) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="flex min-w-0 flex-col gap-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="break-words">{token.name}</span>
          <code className="text-xs font-normal text-muted-foreground">{token.hint}</code>
          {token.expired ? <Badge variant="warning">{t('apiTokens.list.expiredBadge')}</Badge> : null}
        </p>
        <ul className="flex flex-wrap gap-1" aria-label={t('apiTokens.list.scopes')}>
          {token.scopes.map((scope) => {
            const entry = SCOPES.find((s) => s.id === scope)
            return (
              <li key={scope}>
                <Badge variant="secondary">{entry ? t(entry.label) : scope}</Badge>
              </li>
            )
          })}
        </ul>
        <p className="text-xs text-muted-foreground">
          {t(token.expired ? 'apiTokens.list.expired' : 'apiTokens.list.expires', { date: when(token.expires_at, locale) })}
          {' · '}
          {token.last_used_at
            ? t('apiTokens.list.lastUsed', { date: when(token.last_used_at, locale) })
            : t('apiTokens.list.neverUsed')}
          {' · '}
          {t('apiTokens.list.createdAt', { date: when(token.created_at, locale) })}
        </p>
      </div>
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="self-start"
        onClick={() => onRevoke(token)}
        aria-label={t('apiTokens.list.revokeNamed', { name: token.name })}
      >
        {t('apiTokens.list.revoke')}
      </Button>
    </li>
  )
}

/** Settings › API tokens: create (shown once), list with last use, revoke. */
export function ApiTokenSettings() {
  const { t } = useTranslation()
  const ids = useId()
  const tokens = useApiTokens()
  const create = useCreateApiToken()
  const revoke = useRevokeApiToken()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<ApiTokenScope[]>(['read'])
  const [days, setDays] = useState<number>(30)
  const [created, setCreated] = useState<CreatedApiToken | null>(null)
  const [revoking, setRevoking] = useState<ApiToken | null>(null)

  const toggle = (scope: ApiTokenScope, on: boolean) =>
    setScopes((current) => (on ? [...current, scope] : current.filter((s) => s !== scope)))
  const valid = name.trim().length > 0 && scopes.length > 0
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!valid) return
    create.mutate(
      { name: name.trim(), scopes, expires_in_days: days },
      {
        onSuccess: (token) => {
          setCreated(token)
          setName('')
        },
      },
    )
  }

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <KeyRound className="size-5" aria-hidden />
            {t('apiTokens.title')}
          </CardTitle>
          <CardDescription>{t('apiTokens.description')}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {created ? <NewToken created={created} onDone={() => setCreated(null)} /> : null}
          <form onSubmit={submit} className="flex flex-col gap-4" aria-label={t('apiTokens.form.title')}>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={`${ids}-name`}>{t('apiTokens.form.name')}</Label>
              <Input
                id={`${ids}-name`}
                value={name}
                maxLength={80}
                placeholder={t('apiTokens.form.namePlaceholder')}
                onChange={(e) => setName(e.target.value)}
              />
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium">{t('apiTokens.form.scopes')}</legend>
              {SCOPES.map((scope) => (
                <label key={scope.id} className="flex items-start gap-3 rounded-md px-1 py-1">
                  <input
                    type="checkbox"
                    className="mt-1 size-4 accent-primary"
                    checked={scopes.includes(scope.id)}
                    onChange={(e) => toggle(scope.id, e.target.checked)}
                  />
                  <span>
                    <span className="block text-sm">
                      {t(scope.label)} <code className="text-xs text-muted-foreground">{scope.id}</code>
                    </span>
                    <span className="block text-xs text-muted-foreground">{t(scope.hint)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={`${ids}-expiry`}>{t('apiTokens.form.expiry')}</Label>
              <select
                id={`${ids}-expiry`}
                className="h-10 w-full rounded-md border border-input bg-background px-2 text-sm sm:w-56"
                value={days}
                onChange={(e) => setDays(Number(e.target.value))}
              >
                {EXPIRY_DAYS.map((d) => (
                  <option key={d} value={d}>
                    {t('apiTokens.form.days', { count: d })}
                  </option>
                ))}
              </select>
            </div>
            <p className="text-xs text-muted-foreground">{t('apiTokens.form.adminNote')}</p>
            {create.error ? <ErrorAlert error={create.error} /> : null}
            <Button type="submit" className="self-start" disabled={!valid || create.isPending}>
              {create.isPending ? t('apiTokens.form.creating') : t('apiTokens.form.create')}
            </Button>
          </form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('apiTokens.list.title')}</CardTitle>
          {tokens.data ? (
            <CardDescription>{t('apiTokens.list.limit', { count: tokens.data.max_active })}</CardDescription>
          ) : null}
        </CardHeader>
        <CardContent>
          {tokens.error ? <ErrorAlert error={tokens.error} /> : null}
          {tokens.isLoading ? <Skeleton className="h-16 w-full" /> : null}
          {tokens.data && tokens.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('apiTokens.list.empty')}</p>
          ) : null}
          {tokens.data && tokens.data.items.length > 0 ? (
            <ul className="divide-y divide-border">
              {tokens.data.items.map((token) => (
                <TokenRow key={token.id} token={token} onRevoke={setRevoking} />
              ))}
            </ul>
          ) : null}
        </CardContent>
      </Card>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRevoking(null)
            revoke.reset()
          }
        }}
        title={t('apiTokens.revoke.title', { name: revoking?.name ?? '' })}
        description={t('apiTokens.revoke.description')}
        confirmLabel={t('apiTokens.revoke.confirm')}
        pendingLabel={t('apiTokens.revoke.pending')}
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })
        }}
      />
    </div>
  )
}
