import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { ArrowDown, ArrowUp, ClipboardPaste, Play, Plus, Save, Sparkles, Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Storyboard, StoryboardSceneIn, Video } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { Textarea } from '@/components/ui/textarea'
import { useContinueStoryboard, useRegenerateScene, useStoryboard, useUpdateStoryboard } from '@/hooks/useStoryboard'
import { mapFieldErrors } from '@/lib/field-errors'
import { cn } from '@/lib/utils'

/** One scene being edited; `key` keeps React's identity stable while scenes move. */
export interface DraftScene {
  key: string
  narration: string
  onScreen: string
  keywords: string
}

let nextKey = 0
const newKey = () => `scene-${++nextKey}`

export function draftsFrom(board: Storyboard): DraftScene[] {
  return board.scenes.map((s) => ({
    key: newKey(),
    narration: s.narration,
    onScreen: s.on_screen_text,
    keywords: s.visual_keywords.join(', '),
  }))
}

export function scenesBody(drafts: DraftScene[]): StoryboardSceneIn[] {
  return drafts.map((d) => ({
    narration: d.narration.trim(),
    on_screen_text: d.onScreen.trim(),
    visual_keywords: d.keywords
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  }))
}

/** About how long a narration takes to say (the server works out the exact timing on save). */
export function estimateSeconds(narration: string): number {
  const words = narration.match(/[A-Za-z0-9][A-Za-z0-9'’-]*/g)?.length ?? 0
  if (words === 0) return 0
  const sentences = Math.max(1, narration.trim().match(/[.!?]+(\s|$)/g)?.length ?? 0)
  return Math.max(2, words / 2.5 + sentences * 0.25 + 0.4)
}

function clock(seconds: number): string {
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/** Move item `from` to `to` (both in range), returning a new list. */
export function moved<T>(items: T[], from: number, to: number): T[] {
  const out = [...items]
  const [item] = out.splice(from, 1)
  out.splice(to, 0, item as T)
  return out
}

/**
 * The storyboard review: every scene's narration, on-screen text, visual keywords
 * and timing, editable while the video waits; reorder with the buttons or
 * Alt+↑/↓ inside a scene, add, delete, paste a whole script, then continue.
 */
export function StoryboardEditor({ video }: { video: Video }) {
  const { t } = useTranslation()
  const board = useStoryboard(video.id)
  const update = useUpdateStoryboard(video.id)
  const go = useContinueStoryboard(video.id)
  const regenerate = useRegenerateScene(video.id)
  const [drafts, setDrafts] = useState<DraftScene[] | null>(null)
  const [dirty, setDirty] = useState(false)
  const [pasteOpen, setPasteOpen] = useState(false)
  const [regenerating, setRegenerating] = useState<number | null>(null)
  const focusAfterMove = useRef<string | null>(null)
  const sceneRefs = useRef(new Map<string, HTMLElement>())

  // The server's storyboard replaces the drafts whenever it changes (load, save, rewrite).
  useEffect(() => {
    if (board.data) {
      setDrafts(draftsFrom(board.data))
      setDirty(false)
    }
  }, [board.data])

  useEffect(() => {
    const key = focusAfterMove.current
    if (key) {
      sceneRefs.current.get(key)?.focus()
      focusAfterMove.current = null
    }
  })

  if (board.isError) return <ErrorAlert error={board.error} />
  if (!board.data || !drafts) return <Skeleton className="h-64 w-full rounded-xl" />
  const data = board.data
  const limits = data.limits
  const errors = mapFieldErrors(update.error)
  const fieldError = (i: number, name: string) => errors[`scenes.${i}.${name}`]
  const sceneError = (i: number) => errors[`scenes.${i}`]

  const change = (next: DraftScene[]) => {
    setDrafts(next)
    setDirty(true)
  }
  const edit = (i: number, patch: Partial<DraftScene>) =>
    change(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)))
  const move = (i: number, to: number) => {
    if (to < 0 || to >= drafts.length) return
    focusAfterMove.current = drafts[i]?.key ?? null
    change(moved(drafts, i, to))
  }
  const add = (at: number) => {
    if (drafts.length >= limits.max_scenes) return
    const fresh: DraftScene = { key: newKey(), narration: '', onScreen: '', keywords: '' }
    focusAfterMove.current = fresh.key
    change([...drafts.slice(0, at), fresh, ...drafts.slice(at)])
  }
  const remove = (i: number) => {
    if (drafts.length <= 1) return
    change(drafts.filter((_, j) => j !== i))
  }
  const save = (onSaved?: () => void) =>
    update.mutate(
      { title: null, scenes: scenesBody(drafts), script_text: null },
      {
        onSuccess: () => {
          toast.success(t('storyboard.saved'))
          onSaved?.()
        },
      },
    )
  const proceed = () => {
    const start = () => go.mutate(undefined, { onSuccess: () => toast.success(t('storyboard.continued')) })
    if (dirty) save(start)
    else start()
  }
  const onSceneKey = (i: number) => (e: KeyboardEvent<HTMLElement>) => {
    if (!e.altKey) return
    if (e.key === 'ArrowUp') {
      e.preventDefault()
      move(i, i - 1)
    } else if (e.key === 'ArrowDown') {
      e.preventDefault()
      move(i, i + 1)
    }
  }

  let at = 0
  const timings = drafts.map((d) => {
    const seconds = estimateSeconds(d.narration)
    const start = at
    at += seconds
    return { start, seconds }
  })
  const busy = update.isPending || go.isPending

  return (
    <Card data-testid="storyboard">
      <CardHeader className="gap-2">
        <CardTitle className="text-base">{t('storyboard.title')}</CardTitle>
        <p className="text-sm text-muted-foreground">
          {data.writer === 'template-writer' ? t('storyboard.offlineIntro') : t('storyboard.intro')}
        </p>
        <p className="text-xs text-muted-foreground" data-testid="storyboard-summary">
          {t('storyboard.summary', {
            count: drafts.length,
            seconds: Math.round(at),
            min: data.target_min_s,
            max: data.target_max_s,
          })}
          {data.expires_at ? ` ${t('storyboard.expires', { when: new Date(data.expires_at).toLocaleString() })}` : ''}
        </p>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <p className="text-xs text-muted-foreground" id="storyboard-keys">
          {t('storyboard.keyboardHint')}
        </p>
        <ol className="flex flex-col gap-4" aria-label={t('storyboard.scenesLabel')}>
          {drafts.map((d, i) => {
            const n = i + 1
            const timing = timings[i]
            return (
              <li
                key={d.key}
                ref={(el) => {
                  if (el) sceneRefs.current.set(d.key, el)
                  else sceneRefs.current.delete(d.key)
                }}
                tabIndex={-1}
                onKeyDown={onSceneKey(i)}
                aria-describedby="storyboard-keys"
                aria-label={t('storyboard.scene', { n })}
                className={cn(
                  'flex flex-col gap-3 rounded-lg border p-3 outline-none focus-visible:ring-2 focus-visible:ring-ring sm:p-4',
                  sceneError(i) && 'border-destructive',
                )}
                data-testid="storyboard-scene"
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h3 className="text-sm font-semibold">
                    {t('storyboard.scene', { n })}
                    {timing && (
                      <span className="ml-2 font-normal text-muted-foreground">
                        {t('storyboard.timing', {
                          from: clock(timing.start),
                          to: clock(timing.start + timing.seconds),
                          seconds: timing.seconds.toFixed(1),
                        })}
                      </span>
                    )}
                  </h3>
                  <div className="flex items-center gap-1">
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      onClick={() => move(i, i - 1)}
                      disabled={i === 0 || busy}
                      aria-label={t('storyboard.moveUp', { n })}
                      title={t('storyboard.moveUp', { n })}
                    >
                      <ArrowUp aria-hidden />
                    </Button>
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      onClick={() => move(i, i + 1)}
                      disabled={i === drafts.length - 1 || busy}
                      aria-label={t('storyboard.moveDown', { n })}
                      title={t('storyboard.moveDown', { n })}
                    >
                      <ArrowDown aria-hidden />
                    </Button>
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      onClick={() => remove(i)}
                      disabled={drafts.length <= 1 || busy}
                      aria-label={t('storyboard.delete', { n })}
                      title={t('storyboard.delete', { n })}
                    >
                      <Trash2 aria-hidden />
                    </Button>
                  </div>
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor={`${d.key}-narration`}>{t('storyboard.narration')}</Label>
                  <Textarea
                    id={`${d.key}-narration`}
                    value={d.narration}
                    onChange={(e) => edit(i, { narration: e.target.value })}
                    rows={3}
                    maxLength={limits.max_narration_chars}
                    aria-invalid={Boolean(fieldError(i, 'narration'))}
                    aria-describedby={`${d.key}-narration-hint`}
                    data-testid="storyboard-narration"
                  />
                  <p
                    id={`${d.key}-narration-hint`}
                    className={cn('text-xs', fieldError(i, 'narration') ? 'text-destructive' : 'text-muted-foreground')}
                  >
                    {fieldError(i, 'narration') ||
                      t('storyboard.narrationHint', { count: d.narration.length, max: limits.max_narration_chars })}
                  </p>
                </div>
                <div className="grid gap-3 sm:grid-cols-2">
                  <div className="flex flex-col gap-1.5">
                    <Label htmlFor={`${d.key}-text`}>{t('storyboard.onScreen')}</Label>
                    <Input
                      id={`${d.key}-text`}
                      value={d.onScreen}
                      onChange={(e) => edit(i, { onScreen: e.target.value })}
                      maxLength={limits.max_on_screen_chars}
                      aria-invalid={Boolean(fieldError(i, 'on_screen_text'))}
                    />
                    {fieldError(i, 'on_screen_text') && (
                      <p className="text-xs text-destructive">{fieldError(i, 'on_screen_text')}</p>
                    )}
                  </div>
                  <div className="flex flex-col gap-1.5">
                    <Label htmlFor={`${d.key}-keywords`}>{t('storyboard.keywords')}</Label>
                    <Input
                      id={`${d.key}-keywords`}
                      value={d.keywords}
                      onChange={(e) => edit(i, { keywords: e.target.value })}
                      placeholder={t('storyboard.keywordsPlaceholder')}
                      aria-invalid={Boolean(fieldError(i, 'visual_keywords'))}
                      aria-describedby={`${d.key}-keywords-hint`}
                    />
                    <p
                      id={`${d.key}-keywords-hint`}
                      className={cn('text-xs', fieldError(i, 'visual_keywords') ? 'text-destructive' : 'text-muted-foreground')}
                    >
                      {fieldError(i, 'visual_keywords') || t('storyboard.keywordsHint', { max: limits.max_keywords })}
                    </p>
                  </div>
                </div>
                {sceneError(i) && !fieldError(i, 'narration') && (
                  <p className="text-xs text-destructive">{sceneError(i)}</p>
                )}
                <div className="flex flex-wrap gap-2">
                  <Button type="button" variant="outline" size="sm" onClick={() => add(i + 1)} disabled={busy || drafts.length >= limits.max_scenes}>
                    <Plus aria-hidden />
                    {t('storyboard.addAfter', { n })}
                  </Button>
                  {data.can_regenerate && (
                    <Button
                      type="button"
                      variant="outline"
                      size="sm"
                      disabled={busy || dirty || regenerate.isPending}
                      title={dirty ? t('storyboard.saveFirst') : undefined}
                      onClick={() => {
                        setRegenerating(i)
                        regenerate.mutate(
                          { scene: i },
                          { onSuccess: () => toast.success(t('storyboard.rewritten', { n })), onSettled: () => setRegenerating(null) },
                        )
                      }}
                    >
                      <Sparkles aria-hidden />
                      {regenerating === i ? t('storyboard.rewriting') : t('storyboard.rewrite', { provider: data.regenerate_provider ?? '' })}
                    </Button>
                  )}
                </div>
              </li>
            )
          })}
        </ol>
        {errors.scenes && <p className="text-sm text-destructive">{errors.scenes}</p>}
        {update.error && !Object.keys(errors).length ? <ErrorAlert error={update.error} /> : null}
        {regenerate.error ? <ErrorAlert error={regenerate.error} /> : null}
        {go.error ? <ErrorAlert error={go.error} /> : null}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:flex-wrap sm:justify-between">
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="button" variant="outline" onClick={() => add(drafts.length)} disabled={busy || drafts.length >= limits.max_scenes}>
              <Plus aria-hidden />
              {t('storyboard.add')}
            </Button>
            <Button type="button" variant="outline" onClick={() => setPasteOpen(true)} disabled={busy}>
              <ClipboardPaste aria-hidden />
              {t('storyboard.paste')}
            </Button>
          </div>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="button" variant="outline" onClick={() => save()} disabled={busy || !dirty} data-testid="storyboard-save">
              <Save aria-hidden />
              {update.isPending ? t('storyboard.saving') : t('storyboard.save')}
            </Button>
            <Button type="button" variant="brand" onClick={proceed} disabled={busy} data-testid="storyboard-continue">
              <Play aria-hidden />
              {go.isPending ? t('storyboard.continuing') : t('storyboard.continue')}
            </Button>
          </div>
        </div>
      </CardContent>
      <PasteScriptDialog
        open={pasteOpen}
        onOpenChange={setPasteOpen}
        maxChars={limits.max_script_chars}
        pending={update.isPending}
        error={update.error}
        onPaste={(text) =>
          update.mutate(
            { title: null, scenes: null, script_text: text },
            {
              onSuccess: () => {
                setPasteOpen(false)
                toast.success(t('storyboard.pasted'))
              },
            },
          )
        }
      />
    </Card>
  )
}

function PasteScriptDialog({
  open,
  onOpenChange,
  maxChars,
  pending,
  error,
  onPaste,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  maxChars: number
  pending: boolean
  error: unknown
  onPaste: (text: string) => void
}) {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const fieldError = mapFieldErrors(error).script_text
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('storyboard.pasteTitle')}</DialogTitle>
          <DialogDescription>{t('storyboard.pasteDescription')}</DialogDescription>
        </DialogHeader>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="storyboard-paste">{t('storyboard.pasteLabel')}</Label>
          <Textarea
            id="storyboard-paste"
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={10}
            maxLength={maxChars}
            aria-invalid={Boolean(fieldError)}
            aria-describedby="storyboard-paste-hint"
          />
          <p id="storyboard-paste-hint" className={cn('text-xs', fieldError ? 'text-destructive' : 'text-muted-foreground')}>
            {fieldError || t('storyboard.pasteHint', { count: text.length, max: maxChars })}
          </p>
        </div>
        {error && !fieldError ? <ErrorAlert error={error} /> : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            {t('common.cancel')}
          </Button>
          <Button variant="brand" onClick={() => onPaste(text)} disabled={pending || !text.trim()} data-testid="storyboard-paste-apply">
            {pending ? t('storyboard.saving') : t('storyboard.pasteApply')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}

/** The script a video was made from, read-only (after the review, or without one). */
export function StoryboardScript({ video }: { video: Video }) {
  const { t } = useTranslation()
  const board = useStoryboard(video.id)
  if (!board.data) return null
  return (
    <Card data-testid="video-script">
      <CardHeader>
        <CardTitle className="text-base">{t('storyboard.scriptTitle')}</CardTitle>
      </CardHeader>
      <CardContent>
        <ol className="flex flex-col gap-3">
          {board.data.scenes.map((s) => (
            <li key={s.index} className="text-sm">
              <span className="mr-2 text-xs text-muted-foreground">
                {t('storyboard.scene', { n: s.index + 1 })} · {clock(s.starts_at_s)}
              </span>
              {s.narration}
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  )
}
