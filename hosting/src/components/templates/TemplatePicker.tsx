import { useMemo, useState } from 'react'
import { LayoutTemplate, Search } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { Template } from '@/api/types'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { useMyTemplates, useSystemTemplates } from '@/hooks/useTemplates'
import { TemplateCard } from './TemplateCard'

export function matchesSearch(template: Template, search: string): boolean {
  const q = search.trim().toLowerCase()
  if (!q) return true
  return [template.name, template.description, template.category, ...template.tags].some((s) => s.toLowerCase().includes(q))
}

function Grid({
  items,
  loading,
  error,
  selectedId,
  onSelect,
  emptyTitle,
}: {
  items: Template[] | undefined
  loading: boolean
  error: unknown
  selectedId: string | null
  onSelect: (t: Template) => void
  emptyTitle: string
}) {
  if (error) return <ErrorAlert error={error} />
  if (loading || !items)
    return (
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-40 rounded-xl" />
        ))}
      </div>
    )
  if (items.length === 0) return <EmptyState icon={LayoutTemplate} title={emptyTitle} />
  return (
    <div role="radiogroup" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {items.map((t) => (
        <TemplateCard key={t.id} template={t} selected={t.id === selectedId} onSelect={() => onSelect(t)} />
      ))}
    </div>
  )
}

/** System / my templates in tabs with a text filter; used by the create-video wizard. */
export function TemplatePicker({ selectedId, onSelect }: { selectedId: string | null; onSelect: (t: Template) => void }) {
  const { t } = useTranslation()
  const [search, setSearch] = useState('')
  const system = useSystemTemplates()
  const mine = useMyTemplates()
  const systemItems = useMemo(() => system.data?.items.filter((x) => matchesSearch(x, search)), [system.data, search])
  const mineItems = useMemo(() => mine.data?.items.filter((x) => matchesSearch(x, search)), [mine.data, search])
  return (
    <Tabs defaultValue="system">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <TabsList>
          <TabsTrigger value="system">{t('templates.tabs.system')}</TabsTrigger>
          <TabsTrigger value="mine">{t('templates.tabs.mine')}</TabsTrigger>
        </TabsList>
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
      </div>
      <TabsContent value="system">
        <Grid
          items={systemItems}
          loading={system.isPending}
          error={system.error}
          selectedId={selectedId}
          onSelect={onSelect}
          emptyTitle={t('templates.noMatches')}
        />
      </TabsContent>
      <TabsContent value="mine">
        <Grid
          items={mineItems}
          loading={mine.isPending}
          error={mine.error}
          selectedId={selectedId}
          onSelect={onSelect}
          emptyTitle={t('templates.noneMine')}
        />
      </TabsContent>
    </Tabs>
  )
}
