import { useState } from 'react'
import { ArrowLeft, History, LayoutTemplate, Pencil, Plus } from 'lucide-react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Template } from '@/api/types'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { formatWhen } from '@/components/admin/format'
import { TemplateForm } from '@/components/templates/TemplateForm'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import {
  useRestoreVersion,
  useRetireTemplate,
  useSystemTemplates,
  useTemplatePreview,
  useTemplateVersions,
  type SystemTemplate,
} from '@/hooks/useAdminManage'

/** The config the pipeline would use for a version, and what differs from the current one. */
function ConfigPreviewPanel({ id, version }: { id: string; version: number | null }) {
  const { t } = useTranslation()
  const preview = useTemplatePreview(id, version)
  if (preview.isError) return <ErrorAlert error={preview.error} />
  if (preview.isPending) return <Skeleton className="h-40 w-full" />
  const p = preview.data
  return (
    <div className="flex flex-col gap-2" data-testid="config-preview">
      <p className="text-sm">
        {t('admin.templates.previewSummary', {
          version: p.version,
          scenes: p.config.video_structure?.num_scenes,
          seconds: p.seconds_per_scene,
        })}
      </p>
      {p.differs_from_current && p.differs_from_current.length > 0 ? (
        <p className="text-xs text-muted-foreground">
          {t('admin.templates.differs')}: {p.differs_from_current.join(', ')}
        </p>
      ) : null}
      {p.filled_by_default.length > 0 ? (
        <p className="text-xs text-muted-foreground">
          {t('admin.templates.defaults', { count: p.filled_by_default.length })}
        </p>
      ) : null}
      <pre className="max-h-72 overflow-auto rounded bg-muted p-2 text-xs">{JSON.stringify(p.config, null, 2)}</pre>
    </div>
  )
}

/** A system template's versions, newest first: view one (its config) or restore it. */
function HistoryDialog({ template, onClose }: { template: SystemTemplate; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const versions = useTemplateVersions(template.id)
  const restore = useRestoreVersion()
  const [viewing, setViewing] = useState<number | null>(null)
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] max-w-3xl overflow-y-auto">
        <DialogHeader>
          <DialogTitle>{t('admin.templates.historyTitle', { name: template.name })}</DialogTitle>
          <DialogDescription>{t('admin.templates.historyDescription')}</DialogDescription>
        </DialogHeader>
        {versions.isError ? <ErrorAlert error={versions.error} /> : null}
        {restore.error ? <ErrorAlert error={restore.error} /> : null}
        {versions.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : versions.data ? (
          <ol className="flex flex-col divide-y rounded-lg border" aria-label={t('admin.templates.versionsLabel')}>
            {versions.data.items.map((v) => (
              <li key={v.version} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
                <div className="min-w-0">
                  <p className="font-medium">
                    {t('admin.templates.versionN', { n: v.version })} · {v.name}{' '}
                    {v.current ? <Badge variant="brand">{t('admin.templates.current')}</Badge> : null}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {formatWhen(v.saved_at, i18n.language)}
                    {v.saved_by ? ` · ${v.saved_by}` : ''}
                    {v.note ? ` · ${v.note}` : ''}
                  </p>
                </div>
                <div className="flex gap-2">
                  <Button size="sm" variant="ghost" aria-pressed={viewing === v.version} onClick={() => setViewing(v.version)}>
                    {t('admin.templates.view')}
                  </Button>
                  {!v.current ? (
                    <Button
                      size="sm"
                      variant="outline"
                      disabled={restore.isPending}
                      onClick={() =>
                        restore.mutate(
                          { id: template.id, version: v.version },
                          {
                            onSuccess: () => {
                              toast.success(t('admin.templates.restored', { n: v.version }))
                              void versions.refetch()
                            },
                          },
                        )
                      }
                    >
                      {t('admin.templates.restore')}
                    </Button>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
        ) : null}
        {viewing !== null ? <ConfigPreviewPanel id={template.id} version={viewing} /> : null}
      </DialogContent>
    </Dialog>
  )
}

/** `/admin/templates`: system templates: create, edit (history kept), retire, preview. */
export function AdminTemplatesPage() {
  const { t } = useTranslation()
  const list = useSystemTemplates()
  const retire = useRetireTemplate()
  const [editing, setEditing] = useState<SystemTemplate | 'new' | null>(null)
  const [history, setHistory] = useState<SystemTemplate | null>(null)
  const [previewing, setPreviewing] = useState<SystemTemplate | null>(null)

  return (
    <>
      <PageHeader
        title={t('admin.templates.title')}
        description={t('admin.templates.description')}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline" size="sm">
              <Link to="/admin">
                <ArrowLeft className="size-4" aria-hidden />
                {t('admin.content.back')}
              </Link>
            </Button>
            <Button size="sm" onClick={() => setEditing('new')}>
              <Plus className="size-4" aria-hidden />
              {t('admin.templates.create')}
            </Button>
          </div>
        }
      />
      {retire.error ? <ErrorAlert className="mb-4" error={retire.error} /> : null}
      {list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.isPending ? (
        <Skeleton className="h-48 w-full" />
      ) : list.data.items.length === 0 ? (
        <EmptyState icon={LayoutTemplate} title={t('admin.templates.none')} description={t('admin.templates.noneDescription')} />
      ) : (
        <ul className="grid grid-cols-1 gap-4 md:grid-cols-2">
          {list.data.items.map((tpl) => (
            <li key={tpl.id}>
              <Card className={tpl.retired ? 'opacity-70' : undefined} data-testid={`system-template-${tpl.id}`}>
                <CardHeader>
                  <CardTitle className="flex flex-wrap items-center gap-2">
                    {tpl.name}
                    <Badge variant="outline">{t('admin.templates.versionN', { n: tpl.version })}</Badge>
                    {tpl.retired ? <Badge variant="destructive">{t('admin.templates.retired')}</Badge> : null}
                  </CardTitle>
                  <CardDescription>{tpl.description}</CardDescription>
                </CardHeader>
                <CardContent className="flex flex-wrap gap-2">
                  <Button size="sm" variant="outline" onClick={() => setEditing(tpl)} aria-label={t('admin.templates.editFor', { name: tpl.name })}>
                    <Pencil className="size-4" aria-hidden />
                    {t('common.edit')}
                  </Button>
                  <Button size="sm" variant="outline" onClick={() => setHistory(tpl)} aria-label={t('admin.templates.historyFor', { name: tpl.name })}>
                    <History className="size-4" aria-hidden />
                    {t('admin.templates.history')}
                  </Button>
                  <Button size="sm" variant="ghost" onClick={() => setPreviewing(tpl)} aria-label={t('admin.templates.previewFor', { name: tpl.name })}>
                    {t('admin.templates.preview')}
                  </Button>
                  <Button
                    size="sm"
                    variant={tpl.retired ? 'outline' : 'ghost'}
                    disabled={retire.isPending}
                    onClick={() =>
                      retire.mutate(
                        { id: tpl.id, retired: !tpl.retired },
                        { onSuccess: () => toast.success(t(tpl.retired ? 'admin.templates.unretired' : 'admin.templates.retiredToast', { name: tpl.name })) },
                      )
                    }
                  >
                    {tpl.retired ? t('admin.templates.unretire') : t('admin.templates.retire')}
                  </Button>
                </CardContent>
              </Card>
            </li>
          ))}
        </ul>
      )}

      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] max-w-3xl overflow-y-auto">
          <DialogHeader>
            <DialogTitle>{editing === 'new' ? t('admin.templates.create') : t('admin.templates.editTitle')}</DialogTitle>
            <DialogDescription>{t('admin.templates.editDescription')}</DialogDescription>
          </DialogHeader>
          {editing !== null ? (
            <TemplateForm
              template={editing === 'new' ? undefined : (editing as Template)}
              asSystem
              onCancel={() => setEditing(null)}
              onDone={() => {
                setEditing(null)
                void list.refetch()
                toast.success(t('admin.templates.saved'))
              }}
            />
          ) : null}
        </DialogContent>
      </Dialog>

      {history ? <HistoryDialog template={history} onClose={() => setHistory(null)} /> : null}

      <Dialog open={previewing !== null} onOpenChange={(open) => !open && setPreviewing(null)}>
        <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] max-w-3xl overflow-y-auto">
          <DialogHeader>
            <DialogTitle>{t('admin.templates.previewTitle', { name: previewing?.name ?? '' })}</DialogTitle>
            <DialogDescription>{t('admin.templates.previewDescription')}</DialogDescription>
          </DialogHeader>
          {previewing ? <ConfigPreviewPanel id={previewing.id} version={null} /> : null}
        </DialogContent>
      </Dialog>
    </>
  )
}
