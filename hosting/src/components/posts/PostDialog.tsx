import { useEffect, useMemo, useState } from 'react'
import { AlertTriangle, Clock, Send } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { ApiError, api, unwrap } from '@/api/client'
import type { BestSlot, SocialAccount } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { Textarea } from '@/components/ui/textarea'
import { PostPrediction, hourIn } from '@/components/posts/PostPrediction'
import { usePostConflicts, useBestSlots } from '@/hooks/usePostSchedule'
import { useSocialAccounts } from '@/hooks/useSocialAccounts'
import { useVideos } from '@/hooks/useVideos'
import { PLATFORM_KEY, TARGET_STATUS_KEY } from '@/lib/post-labels'
import { fromLocalInput, nextSlot, toLocalInput } from '@/lib/zoned-time'

type RuleError = { target?: string; rule?: string; message?: string; field?: string }
type Platform = 'youtube' | 'tiktok' | 'instagram' | 'facebook'

/** Each platform's text limits, as in the backend's rule tables (publishing/checks.py). */
const LIMITS: Record<Platform, { title: number | null; caption: number; hashtags: number | null }> = {
  youtube: { title: 100, caption: 5000, hashtags: 60 },
  tiktok: { title: null, caption: 2200, hashtags: null },
  instagram: { title: null, caption: 2200, hashtags: 30 },
  facebook: { title: 255, caption: 63206, hashtags: null },
}
/** YouTube's most used video categories (videoCategories ids). */
const YOUTUBE_CATEGORIES = {
  '22': 'postDialog.categories.22',
  '27': 'postDialog.categories.27',
  '28': 'postDialog.categories.28',
  '24': 'postDialog.categories.24',
  '26': 'postDialog.categories.26',
  '17': 'postDialog.categories.17',
  '10': 'postDialog.categories.10',
} as const
const YOUTUBE_PRIVACY = {
  public: 'postDialog.youtubePrivacy.public',
  unlisted: 'postDialog.youtubePrivacy.unlisted',
  private: 'postDialog.youtubePrivacy.private',
} as const
const CONFIDENCE_KEY = {
  low: 'postDialog.confidence.low',
  medium: 'postDialog.confidence.medium',
  high: 'postDialog.confidence.high',
} as const satisfies Record<BestSlot['confidence_label'], string>

type TargetForm = {
  title: string
  caption: string
  privacy: string
  category_id: string
  made_for_kids: boolean
  notify_subscribers: boolean
  allow_comments: boolean
  allow_duet: boolean
  allow_stitch: boolean
  share_to_feed: boolean
}

const blankTarget = (account: SocialAccount): TargetForm => ({
  title: '',
  caption: '',
  privacy: account.platform === 'tiktok' ? (account.capabilities.privacy_level_options?.[0] ?? 'SELF_ONLY') : '',
  category_id: '22',
  made_for_kids: false,
  notify_subscribers: true,
  allow_comments: true,
  allow_duet: true,
  allow_stitch: true,
  share_to_feed: true,
})

function settingsOf(platform: string, f: TargetForm): Record<string, unknown> {
  if (platform === 'youtube')
    return { category_id: f.category_id, made_for_kids: f.made_for_kids, notify_subscribers: f.notify_subscribers }
  if (platform === 'tiktok') return { allow_comments: f.allow_comments, allow_duet: f.allow_duet, allow_stitch: f.allow_stitch }
  if (platform === 'instagram') return { share_to_feed: f.share_to_feed }
  return {}
}

/** Live checks of one target's text against its platform's limits (the server checks again). */
function liveProblems(platform: string, f: TargetForm): { field: 'title' | 'caption'; limit: number }[] {
  const limits = LIMITS[platform as Platform]
  if (!limits) return []
  const out: { field: 'title' | 'caption'; limit: number }[] = []
  if (limits.title !== null && f.title.length > limits.title) out.push({ field: 'title', limit: limits.title })
  if (f.caption.length > limits.caption) out.push({ field: 'caption', limit: limits.caption })
  return out
}

export interface PostDialogProps {
  /** The video to post; without it the dialog offers the finished videos. */
  videoId?: string
  /** Controlled open state (the calendar opens it for a slot). */
  open?: boolean
  onOpenChange?: (open: boolean) => void
  /** A time picked elsewhere (an empty calendar slot). */
  initialAt?: Date | null
  /** The zone times are read and shown in (default: the browser's). */
  timeZone?: string
}

/**
 * Post a finished video to connected accounts now, or schedule it: a tab per chosen
 * account with its platform's settings and live limits, the best times from the
 * analytics heatmap as chips, and a warning when the video is already scheduled
 * to (or published on) one of the accounts.
 */
export function PostDialog({ videoId, open: openProp, onOpenChange, initialAt, timeZone: zoneProp }: PostDialogProps) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const accounts = useSocialAccounts()
  const [openState, setOpenState] = useState(false)
  const controlled = openProp !== undefined
  const open = controlled ? openProp : openState
  const setOpen = (value: boolean) => (controlled ? onOpenChange?.(value) : setOpenState(value))
  const timeZone = zoneProp ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  const [chosenVideo, setChosenVideo] = useState('')
  const video = videoId ?? chosenVideo
  const videos = useVideos('completed', 50)
  const [chosen, setChosen] = useState<Record<string, boolean>>({})
  const [forms, setForms] = useState<Record<string, TargetForm>>({})
  const [when, setWhen] = useState('')
  const [tab, setTab] = useState('')
  useEffect(() => {
    if (open && initialAt) setWhen(toLocalInput(initialAt, timeZone))
  }, [open, initialAt, timeZone])
  const connected = (accounts.data?.items ?? []).filter((a) => a.status === 'connected' && a.capabilities.can_publish)
  const selected = connected.filter((a) => chosen[a.id])
  const formOf = (a: SocialAccount) => forms[a.id] ?? blankTarget(a)
  const setForm = (a: SocialAccount, patch: Partial<TargetForm>) => setForms((f) => ({ ...f, [a.id]: { ...formOf(a), ...patch } }))
  const conflicts = usePostConflicts(open && video ? video : null, selected.map((a) => a.id))
  const heatmap = useBestSlots(timeZone, open)
  const at = when ? fromLocalInput(when, timeZone) : null
  const problems = selected.flatMap((a) => liveProblems(a.platform, formOf(a)).map((p) => ({ account: a, ...p })))
  // The prediction's planned hour: the chosen time's, else now's (posting now), in the dialog's zone.
  const plannedHour = hourIn(at ?? new Date(), timeZone)
  const platforms = [...new Set(selected.map((a) => a.platform as Platform))]
  const activeTab = selected.some((a) => a.id === tab) ? tab : (selected[0]?.id ?? '')

  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/posts', {
          body: {
            video_id: video,
            timezone: timeZone,
            title: null,
            caption: null,
            hashtags: null,
            privacy: null,
            cover_frame_s: null,
            scheduled_at: at ? at.toISOString() : null,
            targets: selected.map((a) => {
              const f = formOf(a)
              return {
                social_account_id: a.id,
                settings: settingsOf(a.platform, f),
                title: f.title.trim() || null,
                caption: f.caption.trim() || null,
                hashtags: null,
                cover_frame_s: null,
                privacy: f.privacy || null,
              }
            }),
          },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['posts'] })
      toast.success(at ? t('postDialog.scheduled') : t('postDialog.posted'))
      setOpen(false)
      setChosen({})
      setForms({})
      setWhen('')
    },
  })
  const ruleErrors: RuleError[] =
    create.error instanceof ApiError && Array.isArray(create.error.details) ? (create.error.details as RuleError[]) : []
  const accountName = useMemo(() => new Map(connected.map((a) => [a.id, `${a.platform}: ${a.display_name}`])), [connected])
  const formatWhen = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso))
  const weekdayName = (index: number) =>
    new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + index)))
  const slotLabel = (s: BestSlot) => t('postDialog.slot', { day: weekdayName(s.weekday), hour: String(s.hour).padStart(2, '0') })

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {!controlled && (
        <DialogTrigger asChild>
          <Button variant="brand" data-testid="post-video">
            <Send aria-hidden />
            {t('postDialog.open')}
          </Button>
        </DialogTrigger>
      )}
      <DialogContent closeLabel={t('common.close')} className="max-h-[92vh] max-w-2xl overflow-y-auto" data-testid="post-dialog">
        <DialogHeader>
          <DialogTitle>{t('postDialog.title')}</DialogTitle>
          <DialogDescription>{t('postDialog.description')}</DialogDescription>
        </DialogHeader>
        {!videoId && (
          <div className="space-y-1">
            <Label htmlFor="post-video-pick">{t('postDialog.video')}</Label>
            <select
              id="post-video-pick"
              className="border-input bg-background h-10 w-full rounded-md border px-2 text-sm"
              value={chosenVideo}
              onChange={(e) => setChosenVideo(e.target.value)}
            >
              <option value="">{t('postDialog.chooseVideo')}</option>
              {(videos.data?.items ?? []).map((v) => (
                <option key={v.id} value={v.id}>
                  {v.title ?? v.topic}
                </option>
              ))}
            </select>
          </div>
        )}
        {connected.length === 0 ? (
          <p className="text-muted-foreground text-sm">{t('postDialog.noAccounts')}</p>
        ) : (
          <fieldset className="space-y-2">
            <legend className="mb-1 text-sm font-medium">{t('postDialog.accounts')}</legend>
            <ul className="flex flex-wrap gap-x-4 gap-y-2">
              {connected.map((a) => (
                <li key={a.id} className="flex items-center gap-2 text-sm">
                  <input
                    id={`acc-${a.id}`}
                    type="checkbox"
                    className="size-4"
                    checked={Boolean(chosen[a.id])}
                    onChange={(e) => setChosen((c) => ({ ...c, [a.id]: e.target.checked }))}
                  />
                  <Label htmlFor={`acc-${a.id}`}>{t('postDialog.account', { platform: a.platform, name: a.display_name })}</Label>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        {(conflicts.data?.conflicts.length ?? 0) > 0 && (
          <div role="status" className="flex gap-2 rounded-lg border border-amber-500/50 bg-amber-500/10 p-3 text-sm" data-testid="post-duplicate-warning">
            <AlertTriangle className="mt-0.5 size-4 shrink-0 text-amber-600 dark:text-amber-400" aria-hidden />
            <div>
              <p className="font-medium">{t('postDialog.duplicateTitle')}</p>
              <ul className="mt-1 space-y-0.5">
                {conflicts.data?.conflicts.map((c) => (
                  <li key={`${c.post_id}-${c.target_id}`}>
                    {t('postDialog.duplicateItem', {
                      account: accountName.get(c.account_id) ?? c.account_name ?? c.platform,
                      status: t(TARGET_STATUS_KEY[c.status]),
                      when: formatWhen(c.scheduled_at),
                    })}
                  </li>
                ))}
              </ul>
              <p className="text-muted-foreground mt-1">{t('postDialog.duplicateHint')}</p>
            </div>
          </div>
        )}
        {selected.length > 0 && (
          <Tabs value={activeTab} onValueChange={setTab}>
            <TabsList aria-label={t('postDialog.perAccount')}>
              {selected.map((a) => (
                <TabsTrigger key={a.id} value={a.id}>
                  {t(PLATFORM_KEY[a.platform])}
                </TabsTrigger>
              ))}
            </TabsList>
            {selected.map((a) => {
              const f = formOf(a)
              const limits = LIMITS[a.platform as Platform]
              const mine = problems.filter((p) => p.account.id === a.id)
              const tooLong = (field: 'title' | 'caption') => mine.find((p) => p.field === field)
              return (
                <TabsContent key={a.id} value={a.id} className="space-y-3 pt-2" data-testid={`post-tab-${a.platform}`}>
                  <p className="text-muted-foreground text-xs">{a.display_name}</p>
                  {limits?.title !== null && (
                    <div className="space-y-1">
                      <Label htmlFor={`title-${a.id}`}>{t('postDialog.titleField')}</Label>
                      <Input
                        id={`title-${a.id}`}
                        value={f.title}
                        placeholder={t('postDialog.fromVideo')}
                        aria-invalid={Boolean(tooLong('title'))}
                        aria-describedby={`title-${a.id}-count`}
                        onChange={(e) => setForm(a, { title: e.target.value })}
                      />
                      <p id={`title-${a.id}-count`} className={tooLong('title') ? 'text-destructive text-xs' : 'text-muted-foreground text-xs'}>
                        {t('postDialog.count', { count: f.title.length, limit: limits?.title ?? 0 })}
                      </p>
                    </div>
                  )}
                  <div className="space-y-1">
                    <Label htmlFor={`caption-${a.id}`}>{t('postDialog.captionField')}</Label>
                    <Textarea
                      id={`caption-${a.id}`}
                      rows={3}
                      value={f.caption}
                      placeholder={t('postDialog.fromVideo')}
                      aria-invalid={Boolean(tooLong('caption'))}
                      aria-describedby={`caption-${a.id}-count`}
                      onChange={(e) => setForm(a, { caption: e.target.value })}
                    />
                    <p id={`caption-${a.id}-count`} className={tooLong('caption') ? 'text-destructive text-xs' : 'text-muted-foreground text-xs'}>
                      {t('postDialog.count', { count: f.caption.length, limit: limits?.caption ?? 0 })}
                    </p>
                  </div>
                  {a.platform === 'youtube' && (
                    <div className="grid gap-3 sm:grid-cols-2">
                      <div className="space-y-1">
                        <Label htmlFor={`privacy-${a.id}`}>{t('postDialog.privacy')}</Label>
                        <select
                          id={`privacy-${a.id}`}
                          className="border-input bg-background h-10 w-full rounded-md border px-2 text-sm"
                          value={f.privacy}
                          onChange={(e) => setForm(a, { privacy: e.target.value })}
                        >
                          <option value="">{t('postDialog.privacyDefault')}</option>
                          {Object.entries(YOUTUBE_PRIVACY).map(([p, key]) => (
                            <option key={p} value={p}>
                              {t(key)}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="space-y-1">
                        <Label htmlFor={`category-${a.id}`}>{t('postDialog.category')}</Label>
                        <select
                          id={`category-${a.id}`}
                          className="border-input bg-background h-10 w-full rounded-md border px-2 text-sm"
                          value={f.category_id}
                          onChange={(e) => setForm(a, { category_id: e.target.value })}
                        >
                          {Object.entries(YOUTUBE_CATEGORIES).map(([c, key]) => (
                            <option key={c} value={c}>
                              {t(key)}
                            </option>
                          ))}
                        </select>
                      </div>
                      <Check id={`kids-${a.id}`} label={t('postDialog.madeForKids')} checked={f.made_for_kids} onChange={(v) => setForm(a, { made_for_kids: v })} />
                      <Check
                        id={`notify-${a.id}`}
                        label={t('postDialog.notifySubscribers')}
                        checked={f.notify_subscribers}
                        onChange={(v) => setForm(a, { notify_subscribers: v })}
                      />
                    </div>
                  )}
                  {a.platform === 'tiktok' && (
                    <div className="grid gap-3 sm:grid-cols-2">
                      <div className="space-y-1 sm:col-span-2">
                        <Label htmlFor={`privacy-${a.id}`}>{t('postDialog.privacy')}</Label>
                        <select
                          id={`privacy-${a.id}`}
                          className="border-input bg-background h-10 w-full rounded-md border px-2 text-sm"
                          value={f.privacy}
                          onChange={(e) => setForm(a, { privacy: e.target.value })}
                        >
                          {(a.capabilities.privacy_level_options ?? ['SELF_ONLY']).map((o) => (
                            <option key={o} value={o}>
                              {o}
                            </option>
                          ))}
                        </select>
                      </div>
                      <Check id={`comments-${a.id}`} label={t('postDialog.allowComments')} checked={f.allow_comments} onChange={(v) => setForm(a, { allow_comments: v })} />
                      <Check id={`duet-${a.id}`} label={t('postDialog.allowDuet')} checked={f.allow_duet} onChange={(v) => setForm(a, { allow_duet: v })} />
                      <Check id={`stitch-${a.id}`} label={t('postDialog.allowStitch')} checked={f.allow_stitch} onChange={(v) => setForm(a, { allow_stitch: v })} />
                    </div>
                  )}
                  {a.platform === 'instagram' && (
                    <Check id={`feed-${a.id}`} label={t('postDialog.shareToFeed')} checked={f.share_to_feed} onChange={(v) => setForm(a, { share_to_feed: v })} />
                  )}
                  {a.platform === 'facebook' && <p className="text-muted-foreground text-xs">{t('postDialog.facebookPage')}</p>}
                </TabsContent>
              )
            })}
          </Tabs>
        )}
        <div className="space-y-2">
          <Label htmlFor="post-when">{t('postDialog.when', { timezone: timeZone })}</Label>
          <div className="flex flex-wrap items-center gap-2">
            <Input id="post-when" className="w-auto" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
            {when && (
              <Button type="button" size="sm" variant="ghost" onClick={() => setWhen('')}>
                {t('postDialog.clearTime')}
              </Button>
            )}
          </div>
          <div className="text-sm" data-testid="post-best-slots">
            <p className="text-muted-foreground mb-1 flex items-center gap-1">
              <Clock className="size-3.5" aria-hidden />
              {t('postDialog.bestTimes')}
            </p>
            {heatmap.isPending ? (
              <p className="text-muted-foreground text-xs">{t('common.loading')}</p>
            ) : heatmap.isError ? null : heatmap.data.best_slots.length === 0 ? (
              <p className="text-muted-foreground text-xs" data-testid="post-best-slots-empty">
                {t('postDialog.notEnoughData')}
                {heatmap.data.message ? ` ${heatmap.data.message}` : ''}
              </p>
            ) : (
              <ul className="flex flex-wrap gap-2">
                {heatmap.data.best_slots.map((s) => (
                  <li key={`${s.weekday}-${s.hour}`}>
                    <button
                      type="button"
                      className="hover:bg-muted focus-visible:ring-ring rounded-full border px-3 py-1 text-xs focus-visible:ring-2 focus-visible:outline-none"
                      aria-label={t('postDialog.slotAria', {
                        slot: slotLabel(s),
                        posts: s.posts,
                        confidence: t(CONFIDENCE_KEY[s.confidence_label]),
                      })}
                      onClick={() => setWhen(toLocalInput(nextSlot(new Date(), s.weekday, s.hour, timeZone), timeZone))}
                    >
                      {slotLabel(s)} · {t('postDialog.slotPosts', { count: s.posts })} · {t(CONFIDENCE_KEY[s.confidence_label])}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        {open && <PostPrediction videoId={video} platforms={platforms} hour={plannedHour} />}
        {create.isError && <ErrorAlert error={create.error} />}
        {ruleErrors.length > 0 && (
          <ul className="text-destructive space-y-1 text-sm" data-testid="post-rule-errors">
            {ruleErrors.map((e, i) => (
              <li key={i}>{t('postDialog.ruleError', { target: e.target ?? '', message: e.message ?? '' })}</li>
            ))}
          </ul>
        )}
        {problems.length > 0 && (
          <ul className="text-destructive space-y-1 text-sm" data-testid="post-live-problems">
            {problems.map((p) => (
              <li key={`${p.account.id}-${p.field}`}>
                {t('postDialog.tooLong', {
                  platform: t(PLATFORM_KEY[p.account.platform]),
                  field: t(p.field === 'title' ? 'postDialog.titleField' : 'postDialog.captionField'),
                  limit: p.limit,
                })}
              </li>
            ))}
          </ul>
        )}
        <DialogFooter>
          <Button
            variant="brand"
            data-testid="post-submit"
            disabled={create.isPending || !video || selected.length === 0 || problems.length > 0 || (Boolean(when) && !at)}
            onClick={() => create.mutate()}
          >
            {at ? t('postDialog.schedule') : t('postDialog.postNow')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}

function Check({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (value: boolean) => void }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <input id={id} type="checkbox" className="size-4" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <Label htmlFor={id}>{label}</Label>
    </div>
  )
}
