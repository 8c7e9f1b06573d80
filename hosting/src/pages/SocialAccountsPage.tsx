import { useState } from 'react'
import type { TFunction } from 'i18next'
import { AlertTriangle, CheckCircle2, ExternalLink, Link2, Loader2, Plus, RefreshCw, Share2, Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { toast } from 'sonner'
import type { SocialAccount, SocialPlatformId, SocialPlatformSetup } from '@/api/types'
import { DeleteConfirmDialog, useDeleteConfirm } from '@/components/form'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert, errorMessage } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import {
  useConfirmSelection,
  useConnectSocial,
  useDisconnectSocial,
  useRefreshSocial,
  useSocialAccounts,
  useSocialPlatforms,
  useSocialSelection,
} from '@/hooks/useSocialAccounts'
import { cn } from '@/lib/utils'

/** Each platform's mark: its brand colour behind its initial (no brand icon set is bundled). */
const PLATFORM_MARK: Record<SocialPlatformId, { letter: string; className: string }> = {
  youtube: { letter: 'Y', className: 'bg-[#ff0000] text-white' },
  tiktok: { letter: 'T', className: 'bg-[#010101] text-[#25f4ee] ring-1 ring-[#fe2c55]' },
  instagram: { letter: 'I', className: 'bg-gradient-to-br from-[#feda75] via-[#d62976] to-[#4f5bd5] text-white' },
  facebook: { letter: 'f', className: 'bg-[#1877f2] text-white' },
}

const PLATFORM_NAME: Record<SocialPlatformId, string> = {
  youtube: 'YouTube',
  tiktok: 'TikTok',
  instagram: 'Instagram',
  facebook: 'Facebook',
}

function PlatformMark({ platform, className }: { platform: SocialPlatformId; className?: string }) {
  const mark = PLATFORM_MARK[platform]
  return (
    <span
      aria-hidden
      className={cn('inline-flex size-9 shrink-0 items-center justify-center rounded-lg text-base font-bold', mark.className, className)}
    >
      {mark.letter}
    </span>
  )
}

/** Our words for the callback's error codes; any other code shows the API's message. */
function callbackErrorText(t: TFunction, code: string, name: string): string | null {
  switch (code) {
    case 'access_denied':
      return t('socialAccounts.errors.access_denied', { name })
    case 'missing_scope':
      return t('socialAccounts.errors.missing_scope', { name })
    case 'state_expired':
      return t('socialAccounts.errors.state_expired')
    case 'state_used':
      return t('socialAccounts.errors.state_used')
    case 'state_invalid':
      return t('socialAccounts.errors.state_invalid')
    case 'account_connected_elsewhere':
      return t('socialAccounts.errors.account_connected_elsewhere', { name })
    case 'platform_unavailable':
      return t('socialAccounts.errors.platform_unavailable', { name })
    case 'social_posting_disabled':
      return t('socialAccounts.errors.social_posting_disabled')
    default:
      return null
  }
}

/** The outcome the OAuth callback put in the URL: connected, choose Pages, or an error. */
function CallbackOutcome() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const error = params.get('error')
  const connected = params.get('connected')
  const platform = params.get('platform') as SocialPlatformId | null
  const missing = (params.get('missing') ?? '').split(',').filter(Boolean)
  const name = platform && platform in PLATFORM_NAME ? PLATFORM_NAME[platform] : ''
  const clear = () => setParams({}, { replace: true })
  if (!error && !connected) return null
  return (
    <div className="mb-6 space-y-3" data-testid="social-callback-outcome" data-error={error ?? undefined}>
      {error ? (
        <ErrorAlert
          error={
            new Error(
              callbackErrorText(t, error, name) ?? params.get('message') ?? t('common.unknownError'),
            )
          }
          action={
            <Button size="sm" variant="ghost" onClick={clear}>
              {t('common.close')}
            </Button>
          }
        />
      ) : (
        <div
          role="status"
          className="flex items-start gap-3 rounded-lg border border-success/40 bg-success/10 p-3 text-sm text-success"
        >
          <CheckCircle2 className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p className="min-w-0 flex-1">{t('socialAccounts.connected', { name })}</p>
          <Button size="sm" variant="ghost" onClick={clear}>
            {t('common.close')}
          </Button>
        </div>
      )}
      {missing.length > 0 && (
        <div role="alert" className="rounded-lg border border-warning/40 bg-warning/10 p-3 text-sm text-warning">
          {t('socialAccounts.missingScopes', { scopes: missing.join(', ') })}
        </div>
      )}
    </div>
  )
}

/** Several Pages (or Instagram accounts) came back from one consent: the person chooses. */
function SelectionDialog() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const id = params.get('select')
  const selection = useSocialSelection(id)
  const confirm = useConfirmSelection()
  const [chosen, setChosen] = useState<string[] | null>(null)
  const candidates = selection.data?.candidates ?? []
  const picked = chosen ?? candidates.filter((c) => !c.already_connected).map((c) => c.platform_account_id)
  const close = () => {
    setChosen(null)
    setParams({}, { replace: true })
  }
  const toggle = (accountId: string) =>
    setChosen(picked.includes(accountId) ? picked.filter((p) => p !== accountId) : [...picked, accountId])
  return (
    <Dialog open={Boolean(id)} onOpenChange={(open) => !open && close()}>
      <DialogContent closeLabel={t('common.close')} data-testid="social-selection">
        <DialogHeader>
          <DialogTitle>{t('socialAccounts.selectTitle')}</DialogTitle>
          <DialogDescription>{t('socialAccounts.selectDescription')}</DialogDescription>
        </DialogHeader>
        {selection.isError ? (
          <ErrorAlert error={selection.error} />
        ) : selection.isPending ? (
          <Skeleton className="h-24" />
        ) : (
          <fieldset className="space-y-2">
            <legend className="sr-only">{t('socialAccounts.selectTitle')}</legend>
            {candidates.map((c) => (
              <label key={c.platform_account_id} className="flex items-center gap-3 rounded-md border p-3">
                <input
                  type="checkbox"
                  className="size-4"
                  checked={picked.includes(c.platform_account_id)}
                  onChange={() => toggle(c.platform_account_id)}
                />
                <span className="min-w-0 flex-1">
                  <span className="block font-medium">{c.display_name}</span>
                  <span className="block text-xs text-muted-foreground">
                    {[c.handle, c.already_connected ? t('socialAccounts.alreadyConnected') : null].filter(Boolean).join(' · ')}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {confirm.error ? <ErrorAlert error={confirm.error} /> : null}
        <DialogFooter>
          <Button variant="outline" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            variant="brand"
            disabled={!id || picked.length === 0 || confirm.isPending}
            onClick={() =>
              id &&
              confirm.mutate(
                { id, platformAccountIds: picked },
                {
                  onSuccess: (data) => {
                    toast.success(t('socialAccounts.connectedCount', { count: data.items.length }))
                    close()
                  },
                },
              )
            }
          >
            {confirm.isPending && <Loader2 className="animate-spin" aria-hidden />}
            {t('socialAccounts.connectChosen', { count: picked.length })}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}

function formatDate(value: string | null | undefined): string | null {
  return value ? new Date(value).toLocaleString() : null
}

function AccountCard({
  account,
  onDisconnect,
}: {
  account: SocialAccount
  onDisconnect: (a: SocialAccount) => void
}) {
  const { t } = useTranslation()
  const refresh = useRefreshSocial()
  const connect = useConnectSocial()
  const [avatarBroken, setAvatarBroken] = useState(false)
  const needsReconnect = account.status === 'needs_reconnect'
  const expires = formatDate(account.token_expires_at)
  const caps = account.capabilities
  const missingScopes = caps.missing_scopes ?? []
  return (
    <Card
      className="flex h-full flex-col gap-4 p-4 sm:p-5"
      data-testid="social-account-card"
      data-platform={account.platform}
      data-status={account.status}
    >
      <div className="flex items-start gap-3">
        {/* An emulated account's avatar URL names a real CDN it never uploaded to. */}
        {account.avatar_url && !account.emulated && !avatarBroken ? (
          <img
            src={account.avatar_url}
            alt=""
            className="size-9 shrink-0 rounded-full object-cover"
            referrerPolicy="no-referrer"
            onError={() => setAvatarBroken(true)}
          />
        ) : (
          <PlatformMark platform={account.platform} />
        )}
        <div className="min-w-0 flex-1">
          <h3 className="truncate font-semibold">{account.display_name}</h3>
          <p className="truncate text-xs text-muted-foreground">
            {[PLATFORM_NAME[account.platform], account.handle].filter(Boolean).join(' · ')}
          </p>
        </div>
        <Badge variant={needsReconnect ? 'destructive' : 'success'} data-testid="social-account-status">
          {needsReconnect ? t('socialAccounts.status.needsReconnect') : t('socialAccounts.status.connected')}
        </Badge>
      </div>

      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
        <dt className="text-muted-foreground">{t('socialAccounts.followers')}</dt>
        <dd>{account.followers ?? t('common.notSet')}</dd>
        <dt className="text-muted-foreground">{t('socialAccounts.token')}</dt>
        <dd data-testid="social-account-expiry">
          {expires ? t('socialAccounts.expiresAt', { date: expires }) : t('socialAccounts.noExpiry')}
        </dd>
        {caps.privacy_level_options && (
          <>
            <dt className="text-muted-foreground">{t('socialAccounts.privacy')}</dt>
            <dd className="break-words">{caps.privacy_level_options.join(', ')}</dd>
          </>
        )}
        {caps.max_video_post_duration_sec != null && (
          <>
            <dt className="text-muted-foreground">{t('socialAccounts.maxDuration')}</dt>
            <dd>{t('socialAccounts.seconds', { count: caps.max_video_post_duration_sec })}</dd>
          </>
        )}
      </dl>

      {account.emulated && <Badge variant="warning" className="self-start">{t('socialAccounts.emulated')}</Badge>}
      {missingScopes.length > 0 && (
        <p className="flex gap-2 text-sm text-warning" data-testid="social-account-missing">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span className="min-w-0 break-words">{t('socialAccounts.missingScopes', { scopes: missingScopes.join(', ') })}</span>
        </p>
      )}
      {(caps.notes ?? []).map((note) => (
        <p key={note} className="text-xs text-muted-foreground">
          {note}
        </p>
      ))}
      {needsReconnect && account.last_error && (
        <p className="text-sm text-destructive">{t('socialAccounts.reconnectReason', { message: account.last_error.message })}</p>
      )}

      <div className="mt-auto flex flex-wrap items-center gap-2">
        {needsReconnect ? (
          <Button
            size="sm"
            variant="brand"
            disabled={connect.isPending}
            onClick={() =>
              connect.mutate(account.platform, { onError: (e) => toast.error(errorMessage(e, t('common.unknownError'))) })
            }
          >
            <Link2 aria-hidden />
            {t('socialAccounts.reconnect')}
          </Button>
        ) : (
          <Button
            size="sm"
            variant="outline"
            disabled={refresh.isPending}
            onClick={() =>
              refresh.mutate(account.id, {
                onSuccess: (data) =>
                  data.result === 'needs_reconnect'
                    ? toast.error(t('socialAccounts.refreshDead'))
                    : toast.success(t('socialAccounts.refreshed')),
                onError: (e) => toast.error(errorMessage(e, t('common.unknownError'))),
              })
            }
          >
            <RefreshCw aria-hidden className={refresh.isPending ? 'animate-spin' : undefined} />
            {t('socialAccounts.refresh')}
          </Button>
        )}
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto text-muted-foreground hover:text-destructive"
          onClick={() => onDisconnect(account)}
          aria-label={t('socialAccounts.disconnectNamed', { name: account.display_name })}
        >
          <Trash2 aria-hidden />
          {t('socialAccounts.disconnect')}
        </Button>
      </div>
    </Card>
  )
}

function ConnectCard({ setup, hasAccount }: { setup: SocialPlatformSetup; hasAccount: boolean }) {
  const { t } = useTranslation()
  const connect = useConnectSocial()
  const ready = setup.status !== 'not_configured'
  return (
    <Card className="flex h-full flex-col gap-3 p-4" data-testid="social-connect-card" data-platform={setup.platform} data-setup={setup.status}>
      <div className="flex items-center gap-3">
        <PlatformMark platform={setup.platform} />
        <div className="min-w-0 flex-1">
          <h3 className="font-semibold">{setup.display_name}</h3>
          <p className="text-xs text-muted-foreground">{setup.label}</p>
        </div>
      </div>
      {ready ? (
        <Button
          className="mt-auto"
          variant={hasAccount ? 'outline' : 'brand'}
          disabled={connect.isPending}
          onClick={() => connect.mutate(setup.platform, { onError: (e) => toast.error(errorMessage(e, t('common.unknownError'))) })}
        >
          {connect.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Plus aria-hidden />}
          {hasAccount ? t('socialAccounts.connectAnother') : t('socialAccounts.connect', { name: setup.display_name })}
        </Button>
      ) : (
        <a
          className="mt-auto inline-flex items-center gap-1 text-sm text-muted-foreground underline underline-offset-4"
          href={setup.docs_url}
          target="_blank"
          rel="noreferrer"
        >
          {t('socialAccounts.setupGuide')}
          <ExternalLink className="size-3.5" aria-hidden />
        </a>
      )}
    </Card>
  )
}

export function SocialAccountsPage() {
  const { t } = useTranslation()
  const accounts = useSocialAccounts()
  const platforms = useSocialPlatforms()
  const disconnect = useDisconnectSocial()
  const removing = useDeleteConfirm<SocialAccount>()
  const items = accounts.data?.items ?? []
  const connectedPlatforms = new Set(items.map((a) => a.platform))

  return (
    <>
      <PageHeader title={t('pages.socialAccounts.title')} description={t('pages.socialAccounts.description')} />
      <CallbackOutcome />
      {platforms.data && !platforms.data.social_posting_enabled && (
        <div role="status" className="mb-6 rounded-lg border p-3 text-sm text-muted-foreground">
          {t('socialAccounts.disabled')}
        </div>
      )}

      <section aria-labelledby="social-connected" className="mb-8">
        <h2 id="social-connected" className="mb-3 text-lg font-semibold">
          {t('socialAccounts.connectedTitle')}
        </h2>
        {accounts.isError ? (
          <ErrorAlert error={accounts.error} />
        ) : accounts.isPending ? (
          <div className="grid gap-4 md:grid-cols-2">
            <Skeleton className="h-56 rounded-xl" />
            <Skeleton className="h-56 rounded-xl" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState
            icon={Share2}
            title={t('pages.socialAccounts.emptyTitle')}
            description={t('pages.socialAccounts.emptyDescription')}
          />
        ) : (
          <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {items.map((account) => (
              <li key={account.id}>
                <AccountCard
                  account={account}
                  onDisconnect={removing.ask}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="social-connect">
        <h2 id="social-connect" className="mb-3 text-lg font-semibold">
          {t('socialAccounts.connectTitle')}
        </h2>
        {platforms.isError ? (
          <ErrorAlert error={platforms.error} />
        ) : platforms.isPending ? (
          <Skeleton className="h-32 rounded-xl" />
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            {platforms.data.items.map((setup) => (
              <li key={setup.platform}>
                <ConnectCard setup={setup} hasAccount={connectedPlatforms.has(setup.platform)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <SelectionDialog />
      <DeleteConfirmDialog
        confirm={removing}
        mutation={disconnect}
        variables={(a) => a.id}
        title={t('socialAccounts.disconnectTitle')}
        description={(a) => t('socialAccounts.disconnectDescription', { name: a.display_name })}
        confirmLabel={t('socialAccounts.disconnect')}
        pendingLabel={t('socialAccounts.disconnecting')}
        done={(a) => t('socialAccounts.disconnected', { name: a.display_name })}
      />
    </>
  )
}
