import { useEffect, useRef, useState } from 'react'
import { Layers } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { BatchParse, BatchParsedRow, BatchRowError, BatchRowResult } from '@/api/types'
import { ErrorAlert, errorMessage } from '@/components/ErrorAlert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Label } from '@/components/ui/label'
import { Progress } from '@/components/ui/progress'
import { Textarea } from '@/components/ui/textarea'
import { postBatchRow, useStartBatch, useValidateBatch, type BatchPostOutcome } from '@/hooks/useVideoBatch'
import { useVideoStatus } from '@/hooks/useVideos'

const START_VARIANT = { created: 'default', existing: 'secondary', refused: 'outline', error: 'destructive' } as const
const START_KEY = {
  created: 'batch.status.created',
  existing: 'batch.status.existing',
  refused: 'batch.status.refused',
  error: 'batch.status.error',
} as const satisfies Record<BatchRowResult['status'], string>
const POST_KEY = {
  posted: 'batch.post.posted',
  scheduled: 'batch.post.scheduled',
  already: 'batch.post.already',
} as const satisfies Record<BatchPostOutcome['status'], string>

type PostState = { state: 'idle' } | { state: 'posting' } | ({ state: 'done' } & BatchPostOutcome) | { state: 'failed'; message: string }

function overridesText(row: BatchParsedRow): string {
  const chosen = Object.entries(row.data.overrides ?? {}).filter(([, v]) => v !== null && v !== undefined)
  return chosen.map(([k, v]) => `${k}=${String(v)}`).join(', ')
}

/** One started row: its video's live progress, then its post once the video is done. */
function RowProgress({ row, result }: { row: BatchParsedRow; result: BatchRowResult }) {
  const { t } = useTranslation()
  const status = useVideoStatus(result.video_id ?? undefined, { enabled: Boolean(result.video_id) })
  const [post, setPost] = useState<PostState>({ state: 'idle' })
  const asked = useRef(false)
  const accounts = row.data.accounts ?? []
  const done = status.data?.status === 'completed'
  useEffect(() => {
    if (!done || accounts.length === 0 || asked.current || !result.video_id) return
    asked.current = true // one post per video and page, whatever renders again
    setPost({ state: 'posting' })
    postBatchRow(result.video_id, row.data)
      .then((outcome) => setPost({ state: 'done', ...outcome }))
      .catch((error: unknown) => setPost({ state: 'failed', message: errorMessage(error, t('common.unknownError')) }))
  }, [done, accounts.length, result.video_id, row.data, t])

  if (!result.video_id) {
    return <p className={result.status === 'error' ? 'text-destructive' : 'text-amber-700 dark:text-amber-400'}>{result.error?.message}</p>
  }
  const s = status.data
  return (
    <div className="space-y-1">
      {s ? (
        <>
          <Progress value={s.progress} aria-label={t('batch.progressLabel', { row: row.row })} />
          <p className="text-muted-foreground">
            {t('batch.progress', { progress: s.progress, status: s.current_step ?? s.status })}
            {s.error ? ` — ${s.error.message}` : ''}
          </p>
        </>
      ) : (
        <p className="text-muted-foreground">{t('batch.waiting')}</p>
      )}
      {accounts.length > 0 && (
        <p data-testid={`batch-post-${row.row}`}>
          {post.state === 'idle' && t('batch.post.pending', { count: accounts.length })}
          {post.state === 'posting' && t('batch.post.posting')}
          {post.state === 'done' && t(POST_KEY[post.status])}
          {post.state === 'failed' && <span className="text-destructive">{t('batch.post.failed', { message: post.message })}</span>}
        </p>
      )}
    </div>
  )
}

function ErrorsCell({ errors }: { errors: BatchRowError[] }) {
  const { t } = useTranslation()
  return (
    <>
      {errors.map((e, i) => (
        <p key={i} className="text-destructive">
          {t('batch.fieldError', { field: e.field, message: e.message })}
        </p>
      ))}
    </>
  )
}

/**
 * Upload a batch file (CSV or YAML, the format of `synthora batch`): the server
 * checks it and answers every row with its errors; once valid it starts each
 * row (once per row key: starting again does not make a video twice), shows
 * each video's progress, and posts or schedules the finished videos the rows
 * ask for while the dialog is open.
 */
export function BatchUploadDialog() {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [text, setText] = useState('')
  const [name, setName] = useState<string | null>(null)
  const validate = useValidateBatch()
  const start = useStartBatch()
  const parsed: BatchParse | undefined = validate.data
  const results = new Map((start.data?.rows ?? []).map((r) => [r.row, r]))
  const fileErrors = (parsed?.errors ?? []).filter((e) => e.row === 0)
  const rowErrors = (n: number) => (parsed?.errors ?? []).filter((e) => e.row === n)
  const errorRows = [...new Set((parsed?.errors ?? []).filter((e) => e.row > 0).map((e) => e.row))]
  const allRows = [...(parsed?.rows ?? []).map((r) => r.row), ...errorRows].sort((a, b) => a - b)
  const byRow = new Map((parsed?.rows ?? []).map((r) => [r.row, r]))
  const body = { text, name, format: null }
  const reset = () => {
    validate.reset()
    start.reset()
  }
  const readFile = async (file: File | undefined) => {
    if (!file) return
    setText(await file.text())
    setName(file.name)
    reset()
  }
  const refused = start.data ? start.data.refused + start.data.errors : 0
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) reset()
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" data-testid="batch-open">
          <Layers aria-hidden />
          {t('batch.open')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="max-h-[92vh] max-w-3xl overflow-y-auto" data-testid="batch-dialog">
        <DialogHeader>
          <DialogTitle>{t('batch.title')}</DialogTitle>
          <DialogDescription>{t('batch.description')}</DialogDescription>
        </DialogHeader>
        <div className="space-y-1">
          <Label htmlFor="batch-file">{t('batch.file')}</Label>
          <input
            id="batch-file"
            type="file"
            accept=".csv,.yaml,.yml,text/csv,application/yaml,text/yaml"
            className="block w-full text-sm file:mr-3 file:rounded-md file:border file:bg-transparent file:px-3 file:py-1"
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor="batch-text">{t('batch.text')}</Label>
          <Textarea
            id="batch-text"
            rows={6}
            className="font-mono text-xs"
            value={text}
            placeholder="topic,template,aspect_ratio,max_seconds,accounts,schedule_at"
            onChange={(e) => {
              setText(e.target.value)
              setName(null)
              reset()
            }}
          />
        </div>
        {validate.isError && <ErrorAlert error={validate.error} />}
        {start.isError && <ErrorAlert error={start.error} />}
        {parsed && (
          <div className="space-y-2" data-testid="batch-preview">
            <p className="text-sm font-medium" role="status">
              {start.data
                ? t('batch.started', { created: start.data.created, existing: start.data.existing, refused })
                : parsed.valid
                  ? t('batch.checkedOk', { count: parsed.rows.length })
                  : t('batch.checkedBad', { count: parsed.errors.length })}
            </p>
            {fileErrors.length > 0 && (
              <div className="text-xs" data-testid="batch-file-errors">
                <ErrorsCell errors={fileErrors} />
              </div>
            )}
            {allRows.length > 0 && (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-xs">
                  <thead>
                    <tr className="border-b">
                      <th scope="col" className="p-1">
                        {t('batch.row')}
                      </th>
                      <th scope="col" className="p-1">
                        {t('batch.topic')}
                      </th>
                      <th scope="col" className="p-1">
                        {t('batch.template')}
                      </th>
                      <th scope="col" className="p-1">
                        {t('batch.details')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {allRows.map((n) => {
                      const row = byRow.get(n)
                      const result = results.get(n)
                      return (
                        <tr key={n} className="border-b align-top" data-testid={`batch-row-${n}`}>
                          <td className="p-1">{n}</td>
                          <td className="p-1 break-words">{row?.data.topic ?? '—'}</td>
                          <td className="p-1">{row?.data.template ?? '—'}</td>
                          <td className="space-y-1 p-1">
                            {row && !result && (
                              <>
                                {overridesText(row) && <p className="text-muted-foreground">{overridesText(row)}</p>}
                                {(row.data.accounts ?? []).length > 0 && (
                                  <p className="text-muted-foreground">
                                    {row.data.schedule_at
                                      ? t('batch.schedules', {
                                          count: (row.data.accounts ?? []).length,
                                          when: new Date(row.data.schedule_at).toLocaleString(),
                                        })
                                      : t('batch.posts', { count: (row.data.accounts ?? []).length })}
                                  </p>
                                )}
                              </>
                            )}
                            {result && (
                              <>
                                <Badge variant={START_VARIANT[result.status]}>{t(START_KEY[result.status])}</Badge>
                                {row && <RowProgress row={row} result={result} />}
                              </>
                            )}
                            <ErrorsCell errors={rowErrors(n)} />
                          </td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
        <DialogFooter className="gap-2">
          <Button
            variant="outline"
            disabled={!text.trim() || validate.isPending}
            onClick={() => {
              start.reset()
              validate.mutate(body)
            }}
            data-testid="batch-check"
          >
            {t('batch.check')}
          </Button>
          <Button
            variant="brand"
            disabled={!parsed?.valid || start.isPending || (start.data !== undefined && refused === 0)}
            onClick={() => start.mutate({ ...body, rows: null })}
            data-testid="batch-start"
          >
            {start.data ? t('batch.startAgain') : t('batch.start', { count: parsed?.rows.length ?? 0 })}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
