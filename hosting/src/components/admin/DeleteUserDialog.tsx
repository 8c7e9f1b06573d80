import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Progress } from '@/components/ui/progress'
import { useDeleteUser, useDeletionJob, type DeleteMode, type DeletionJob } from '@/hooks/useAdminManage'

/** Each deletion mode's strings (literal keys, so the i18n check can see them). */
const MODE_KEYS = {
  soft: { label: 'admin.deleteUser.soft', help: 'admin.deleteUser.softHelp', confirm: 'admin.deleteUser.confirm_soft' },
  hard: { label: 'admin.deleteUser.hard', help: 'admin.deleteUser.hardHelp', confirm: 'admin.deleteUser.confirm_hard' },
} as const

/** How far a purge is: the phases done out of all, and what each deleted. */
export function DeletionProgress({ job }: { job: DeletionJob }) {
  const { t } = useTranslation()
  const phases = job.phases ?? []
  const total = Math.max(1, phases.length)
  const done = job.status === 'done' ? total : job.phase ? phases.indexOf(job.phase) : 0
  const counts = Object.entries(job.counts ?? {}).filter(([, n]) => n > 0)
  return (
    <div className="flex flex-col gap-2" data-testid="deletion-progress">
      <p className="text-sm font-medium" aria-live="polite">
        {job.status === 'done'
          ? t('admin.deleteUser.done')
          : job.status === 'scheduled'
            ? t('admin.deleteUser.scheduled', { date: job.purge_after ? new Date(job.purge_after).toLocaleDateString() : '—' })
            : t('admin.deleteUser.running', { phase: job.phase ?? phases[0] ?? '', step: done + 1, total })}
      </p>
      {job.status !== 'scheduled' ? (
        <Progress value={(done / total) * 100} aria-label={t('admin.deleteUser.progressLabel')} />
      ) : null}
      {counts.length > 0 ? (
        <ul className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-muted-foreground">
          {counts.map(([phase, n]) => (
            <li key={phase} className="flex justify-between gap-2">
              <span>{phase}</span>
              <span className="tabular-nums">{n}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

/** Choose soft or hard, confirm, then follow the purge's progress in the same dialog. */
export function DeleteUserDialog({
  uid,
  name,
  open,
  onOpenChange,
}: {
  uid: string
  name: string
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const { t } = useTranslation()
  const [mode, setMode] = useState<DeleteMode>('soft')
  const remove = useDeleteUser(uid)
  const job = useDeletionJob(uid, remove.isSuccess)
  const current = job.data ?? remove.data
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')} role="alertdialog">
        <DialogHeader>
          <DialogTitle>{t('admin.deleteUser.title', { name })}</DialogTitle>
          <DialogDescription>{t('admin.deleteUser.description')}</DialogDescription>
        </DialogHeader>
        {current ? (
          <DeletionProgress job={current} />
        ) : (
          <fieldset className="flex flex-col gap-3">
            <legend className="mb-1 text-sm font-medium">{t('admin.deleteUser.modeLabel')}</legend>
            {(['soft', 'hard'] as const).map((m) => (
              <label key={m} className="flex cursor-pointer items-start gap-3 rounded-lg border p-3 has-[:checked]:border-primary">
                <input
                  type="radio"
                  name="delete-mode"
                  value={m}
                  checked={mode === m}
                  onChange={() => setMode(m)}
                  className="mt-1 accent-[var(--color-primary)]"
                />
                <span>
                  <span className="block text-sm font-medium">{t(MODE_KEYS[m].label)}</span>
                  <span className="block text-xs text-muted-foreground">{t(MODE_KEYS[m].help)}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {remove.error ? <ErrorAlert error={remove.error} /> : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            {current ? t('common.close') : t('common.cancel')}
          </Button>
          {current ? null : (
            <Button variant="destructive" onClick={() => remove.mutate(mode)} disabled={remove.isPending}>
              {remove.isPending ? t('admin.deleteUser.deleting') : t(MODE_KEYS[mode].confirm)}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
