import { useMemo, useState } from 'react'
import { Copy, Eye, LayoutTemplate, Pencil, Plus, Search, Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { toast } from 'sonner'
import type { TargetPlatform, Template, TemplateCategory } from '@/api/types'
import { EmptyState } from '@/components/EmptyState'
import { DeleteConfirmDialog, useDeleteConfirm } from '@/components/form'
import { ErrorAlert, errorMessage } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { TemplateCard } from '@/components/templates/TemplateCard'
import { TemplateDetail } from '@/components/templates/TemplateDetail'
import { TemplateForm } from '@/components/templates/TemplateForm'
import { TemplatePerformance } from '@/components/templates/TemplatePerformance'
import { matchesSearch } from '@/components/templates/TemplatePicker'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { useDebouncedValue } from '@/hooks/useDebouncedValue'
import { useMe } from '@/hooks/useMe'
import { useSuggestionPerformance } from '@/hooks/useSuggestions'
import { useDeleteTemplate, useDuplicateTemplate, useMyTemplates, useSystemTemplates, useTemplateSearch } from '@/hooks/useTemplates'
import { enumLabel } from '@/lib/enum-label'
import { ENUMS } from '@/lib/template-config'

const ALL = 'all'
type Editing = { mode: 'create' } | { mode: 'edit'; template: Template } | null

export function TemplatesPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const system = useSystemTemplates()
  const mine = useMyTemplates()
  const duplicate = useDuplicateTemplate()
  const remove = useDeleteTemplate()
  // Premium: how each template performed for me (the suggestions' attribution).
  const premium = useMe().data?.limits.can_use_ai_suggestions === true
  const performance = useSuggestionPerformance(premium)
  const [tab, setTab] = useState('system')
  const [search, setSearch] = useState('')
  const [category, setCategory] = useState<TemplateCategory | null>(null)
  const [platform, setPlatform] = useState<TargetPlatform | null>(null)
  const debouncedSearch = useDebouncedValue(search.trim())
  const browse = useTemplateSearch({ search: debouncedSearch, category, platform }, tab === 'all')
  const [viewing, setViewing] = useState<Template | null>(null)
  const [editing, setEditing] = useState<Editing>(null)
  const deleting = useDeleteConfirm<Template>()

  const filter = (items: Template[] | undefined) =>
    items?.filter(
      (x) => matchesSearch(x, search) && (!category || x.category === category) && (!platform || x.platforms.includes(platform)),
    )
  const systemItems = useMemo(() => filter(system.data?.items), [system.data, search, category, platform]) // eslint-disable-line react-hooks/exhaustive-deps
  const mineItems = useMemo(() => filter(mine.data?.items), [mine.data, search, category, platform]) // eslint-disable-line react-hooks/exhaustive-deps

  const onDuplicate = (template: Template) =>
    duplicate.mutate(template.id, {
      onSuccess: (copy) => {
        toast.success(t('templates.duplicated', { name: copy.name }))
        setViewing(null)
        setTab('mine')
      },
      onError: (error) => toast.error(errorMessage(error, t('common.unknownError'))),
    })

  const actions = (template: Template) => (
    <>
      <Button size="sm" variant="outline" onClick={() => setViewing(template)} aria-label={t('templates.viewNamed', { name: template.name })}>
        <Eye aria-hidden />
        {t('templates.view')}
      </Button>
      <Button
        size="sm"
        variant="outline"
        onClick={() => onDuplicate(template)}
        disabled={duplicate.isPending}
        aria-label={t('templates.duplicateNamed', { name: template.name })}
      >
        <Copy aria-hidden />
        {t('templates.duplicate')}
      </Button>
      {template.can_edit && (
        <>
          <Button
            size="sm"
            variant="outline"
            onClick={() => setEditing({ mode: 'edit', template })}
            aria-label={t('templates.editNamed', { name: template.name })}
          >
            <Pencil aria-hidden />
            {t('common.edit')}
          </Button>
          <Button
            size="icon-sm"
            variant="ghost"
            onClick={() => deleting.ask(template)}
            aria-label={t('templates.deleteNamed', { name: template.name })}
            className="ml-auto text-muted-foreground hover:text-destructive"
          >
            <Trash2 aria-hidden />
          </Button>
        </>
      )}
    </>
  )

  const grid = (items: Template[] | undefined, loading: boolean, error: unknown, empty: string) => {
    if (error) return <ErrorAlert error={error} />
    if (loading || !items)
      return (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-48 rounded-xl" />
          ))}
        </div>
      )
    if (items.length === 0) return <EmptyState icon={LayoutTemplate} title={empty} />
    return (
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {items.map((template) => (
          <li key={template.id}>
            <TemplateCard
              template={template}
              actions={actions(template)}
              insight={premium ? <TemplatePerformance template={template} attribution={performance.data} /> : undefined}
            />
          </li>
        ))}
      </ul>
    )
  }

  return (
    <>
      <PageHeader
        title={t('pages.templates.title')}
        description={t('pages.templates.description')}
        actions={
          <Button variant="brand" onClick={() => setEditing({ mode: 'create' })} data-testid="new-template">
            <Plus aria-hidden />
            {t('templates.new')}
          </Button>
        }
      />
      <Tabs value={tab} onValueChange={setTab}>
        <div className="flex flex-col gap-3 md:flex-row md:items-center md:justify-between">
          <TabsList>
            <TabsTrigger value="system">{t('templates.tabs.system')}</TabsTrigger>
            <TabsTrigger value="mine">{t('templates.tabs.mine')}</TabsTrigger>
            <TabsTrigger value="all">{t('templates.tabs.all')}</TabsTrigger>
          </TabsList>
          <div className="flex flex-col gap-2 sm:flex-row">
            <div className="relative sm:w-64">
              <Search className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
              <Input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder={t('templates.searchPlaceholder')}
                aria-label={t('templates.searchLabel')}
                className="pl-9"
              />
            </div>
            <Select value={category ?? ALL} onValueChange={(v) => setCategory(v === ALL ? null : (v as TemplateCategory))}>
              <SelectTrigger className="sm:w-44" aria-label={t('templates.categoryFilter')}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>{t('templates.allCategories')}</SelectItem>
                {ENUMS.category.map((c) => (
                  <SelectItem key={c} value={c}>
                    {enumLabel(t, 'category', c)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <Select value={platform ?? ALL} onValueChange={(v) => setPlatform(v === ALL ? null : (v as TargetPlatform))}>
              <SelectTrigger className="sm:w-40" aria-label={t('templates.platformFilter')}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>{t('templates.allPlatforms')}</SelectItem>
                {ENUMS.platform.map((p) => (
                  <SelectItem key={p} value={p}>
                    {enumLabel(t, 'platform', p)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        </div>
        <TabsContent value="system">{grid(systemItems, system.isPending, system.error, t('templates.noMatches'))}</TabsContent>
        <TabsContent value="mine">
          {grid(mineItems, mine.isPending, mine.error, search || category || platform ? t('templates.noMatches') : t('templates.noneMine'))}
        </TabsContent>
        <TabsContent value="all">
          {grid(browse.data?.pages.flatMap((p) => p.items), browse.isPending, browse.error, t('templates.noMatches'))}
          {browse.hasNextPage && (
            <div className="mt-6 flex justify-center">
              <Button variant="outline" onClick={() => void browse.fetchNextPage()} disabled={browse.isFetchingNextPage}>
                {browse.isFetchingNextPage ? t('common.loading') : t('videos.loadMore')}
              </Button>
            </div>
          )}
        </TabsContent>
      </Tabs>

      <Dialog open={viewing !== null} onOpenChange={(open) => !open && setViewing(null)}>
        <DialogContent closeLabel={t('common.close')} className="max-h-[90dvh] max-w-3xl overflow-y-auto">
          {viewing && (
            <>
              <DialogHeader>
                <DialogTitle>{viewing.name}</DialogTitle>
                <DialogDescription>{viewing.description}</DialogDescription>
              </DialogHeader>
              <TemplateDetail template={viewing} />
              <DialogFooter>
                <Button variant="outline" onClick={() => onDuplicate(viewing)} disabled={duplicate.isPending}>
                  <Copy aria-hidden />
                  {t('templates.duplicate')}
                </Button>
                <Button variant="brand" onClick={() => void navigate(`/create?template=${encodeURIComponent(viewing.id)}`)}>
                  {t('templates.useIt')}
                </Button>
              </DialogFooter>
            </>
          )}
        </DialogContent>
      </Dialog>

      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <DialogContent closeLabel={t('common.close')} className="max-h-[92dvh] max-w-3xl overflow-y-auto">
          {editing && (
            <>
              <DialogHeader>
                <DialogTitle>
                  {editing.mode === 'edit' ? t('templateForm.editTitle', { name: editing.template.name }) : t('templateForm.createTitle')}
                </DialogTitle>
                <DialogDescription>{t('templateForm.formDescription')}</DialogDescription>
              </DialogHeader>
              <TemplateForm
                key={editing.mode === 'edit' ? editing.template.id : 'new'}
                template={editing.mode === 'edit' ? editing.template : undefined}
                onCancel={() => setEditing(null)}
                onDone={(saved) => {
                  toast.success(t('templates.saved', { name: saved.name }))
                  setEditing(null)
                  setTab('mine')
                }}
              />
            </>
          )}
        </DialogContent>
      </Dialog>

      <DeleteConfirmDialog
        confirm={deleting}
        mutation={remove}
        variables={(tpl) => tpl.id}
        title={t('templates.deleteTitle')}
        description={(tpl) => t('templates.deleteDescription', { name: tpl.name })}
        done={() => t('templates.deleted')}
      />
    </>
  )
}
