import { useState } from 'react'
import { Upload } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ScheduleImportResult } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { Label } from '@/components/ui/label'
import { Textarea } from '@/components/ui/textarea'
import { useImportSchedule } from '@/hooks/usePostSchedule'

const ROW_STATUS_KEY = {
  valid: 'postImport.rowStatus.valid',
  invalid: 'postImport.rowStatus.invalid',
  created: 'postImport.rowStatus.created',
  not_created: 'postImport.rowStatus.not_created',
} as const satisfies Record<ScheduleImportResult['rows'][number]['status'], string>
const ROW_VARIANT = { valid: 'secondary', invalid: 'destructive', created: 'default', not_created: 'outline' } as const

/**
 * Import a schedule from CSV: check first (a dry run answers every row with its
 * errors), then import; nothing is created while a row is invalid unless the
 * user asks to import the valid rows only.
 */
export function ImportScheduleDialog() {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [text, setText] = useState('')
  const [partial, setPartial] = useState(false)
  const run = useImportSchedule()
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const result = run.data
  const submit = (dryRun: boolean) =>
    run.mutate(
      { csv: text, dry_run: dryRun, partial, time_zone: timeZone },
      {
        onSuccess: (r) => {
          if (!dryRun && r.posts_created > 0) toast.success(t('postImport.created', { count: r.posts_created }))
        },
      },
    )
  const readFile = async (file: File | undefined) => {
    if (!file) return
    setText(await file.text())
    run.reset()
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) run.reset()
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" data-testid="import-schedule">
          <Upload aria-hidden />
          {t('postImport.open')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} className="max-h-[92vh] max-w-2xl overflow-y-auto" data-testid="import-dialog">
        <DialogHeader>
          <DialogTitle>{t('postImport.title')}</DialogTitle>
          <DialogDescription>{t('postImport.description', { timezone: timeZone })}</DialogDescription>
        </DialogHeader>
        <div className="space-y-1">
          <Label htmlFor="import-file">{t('postImport.file')}</Label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            className="block w-full text-sm file:mr-3 file:rounded-md file:border file:bg-transparent file:px-3 file:py-1"
            onChange={(e) => void readFile(e.target.files?.[0])}
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor="import-text">{t('postImport.text')}</Label>
          <Textarea
            id="import-text"
            rows={6}
            className="font-mono text-xs"
            value={text}
            placeholder="video_id,account_id,scheduled_at,time_zone,title,caption,hashtags,privacy"
            onChange={(e) => {
              setText(e.target.value)
              run.reset()
            }}
          />
        </div>
        <div className="flex items-center gap-2 text-sm">
          <input id="import-partial" type="checkbox" className="size-4" checked={partial} onChange={(e) => setPartial(e.target.checked)} />
          <Label htmlFor="import-partial">{t('postImport.partial')}</Label>
        </div>
        {run.isError && <ErrorAlert error={run.error} />}
        {result && (
          <div className="space-y-2" data-testid="import-results">
            <p className="text-sm font-medium" role="status">
              {result.dry_run
                ? result.valid
                  ? t('postImport.checkedOk', { count: result.posts_planned })
                  : t('postImport.checkedBad')
                : t('postImport.done', { count: result.posts_created })}
            </p>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-xs">
                <thead>
                  <tr className="border-b">
                    <th scope="col" className="p-1">
                      {t('postImport.row')}
                    </th>
                    <th scope="col" className="p-1">
                      {t('postImport.status')}
                    </th>
                    <th scope="col" className="p-1">
                      {t('postImport.details')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((row) => (
                    <tr key={row.row} className="border-b align-top" data-testid={`import-row-${row.row}`}>
                      <td className="p-1">{row.row}</td>
                      <td className="p-1">
                        <Badge variant={ROW_VARIANT[row.status]}>{t(ROW_STATUS_KEY[row.status])}</Badge>
                      </td>
                      <td className="space-y-0.5 p-1">
                        {(row.errors ?? []).map((e, i) => (
                          <p key={i} className="text-destructive">
                            {t('postImport.fieldError', { field: e.field, message: e.message })}
                          </p>
                        ))}
                        {(row.warnings ?? []).map((w, i) => (
                          <p key={`w${i}`} className="text-amber-700 dark:text-amber-400">
                            {w}
                          </p>
                        ))}
                        {row.post_id && <p className="text-muted-foreground">{t('postImport.postId', { id: row.post_id })}</p>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        <DialogFooter className="gap-2">
          <Button variant="outline" disabled={!text.trim() || run.isPending} onClick={() => submit(true)} data-testid="import-check">
            {t('postImport.check')}
          </Button>
          <Button
            variant="brand"
            disabled={!text.trim() || run.isPending || !result?.dry_run || (!result.valid && !partial) || result.posts_planned === 0}
            onClick={() => submit(false)}
            data-testid="import-run"
          >
            {t('postImport.import')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
