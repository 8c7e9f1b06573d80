import { useState } from 'react'
import { Send } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { ApiError, api, unwrap } from '@/api/client'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useSocialAccounts } from '@/hooks/useSocialAccounts'

type RuleError = { target?: string; rule?: string; message?: string }

/** Post a finished video to connected accounts now, or schedule it (in the browser's time zone). */
export function PostDialog({ videoId }: { videoId: string }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const accounts = useSocialAccounts()
  const [open, setOpen] = useState(false)
  const [chosen, setChosen] = useState<Record<string, boolean>>({})
  const [privacy, setPrivacy] = useState<Record<string, string>>({})
  const [when, setWhen] = useState('')
  const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const connected = (accounts.data?.items ?? []).filter((a) => a.status === 'connected' && a.capabilities.can_publish)
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/posts', {
          body: {
            video_id: videoId,
            timezone,
            title: null,
            caption: null,
            hashtags: null,
            privacy: null,
            cover_frame_s: null,
            scheduled_at: when ? new Date(when).toISOString() : null,
            targets: connected
              .filter((a) => chosen[a.id])
              .map((a) => ({
                social_account_id: a.id,
                settings: {},
                title: null,
                caption: null,
                hashtags: null,
                cover_frame_s: null,
                privacy:
                  a.platform === 'tiktok' ? (privacy[a.id] ?? a.capabilities.privacy_level_options?.[0] ?? 'SELF_ONLY') : null,
              })),
          },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['posts'] })
      toast.success(when ? t('postDialog.scheduled') : t('postDialog.posted'))
      setOpen(false)
    },
  })
  const ruleErrors: RuleError[] =
    create.error instanceof ApiError && Array.isArray(create.error.details) ? (create.error.details as RuleError[]) : []
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="brand" data-testid="post-video">
          <Send aria-hidden />
          {t('postDialog.open')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('postDialog.title')}</DialogTitle>
          <DialogDescription>{t('postDialog.description')}</DialogDescription>
        </DialogHeader>
        {connected.length === 0 ? (
          <p className="text-muted-foreground text-sm">{t('postDialog.noAccounts')}</p>
        ) : (
          <ul className="space-y-2">
            {connected.map((a) => (
              <li key={a.id} className="flex items-center gap-2 text-sm">
                <input
                  id={`acc-${a.id}`}
                  type="checkbox"
                  checked={Boolean(chosen[a.id])}
                  onChange={(e) => setChosen((c) => ({ ...c, [a.id]: e.target.checked }))}
                />
                <Label htmlFor={`acc-${a.id}`}>{t('postDialog.account', { platform: a.platform, name: a.display_name })}</Label>
                {a.platform === 'tiktok' && a.capabilities.privacy_level_options && (
                  <select
                    aria-label={t('postDialog.privacy')}
                    className="rounded border px-1"
                    value={privacy[a.id] ?? a.capabilities.privacy_level_options[0]}
                    onChange={(e) => setPrivacy((p) => ({ ...p, [a.id]: e.target.value }))}
                  >
                    {a.capabilities.privacy_level_options.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="space-y-1">
          <Label htmlFor="post-when">{t('postDialog.when', { timezone })}</Label>
          <Input id="post-when" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
        </div>
        {create.isError && <ErrorAlert error={create.error} />}
        {ruleErrors.length > 0 && (
          <ul className="text-destructive space-y-1 text-sm" data-testid="post-rule-errors">
            {ruleErrors.map((e, i) => (
              <li key={i}>{t('postDialog.ruleError', { target: e.target ?? '', message: e.message ?? '' })}</li>
            ))}
          </ul>
        )}
        <DialogFooter>
          <Button
            variant="brand"
            disabled={create.isPending || !connected.some((a) => chosen[a.id])}
            onClick={() => create.mutate()}
          >
            {when ? t('postDialog.schedule') : t('postDialog.postNow')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
