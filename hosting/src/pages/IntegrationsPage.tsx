import { useState } from 'react'
import { Plug, Plus } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { Integration, IntegrationCategory } from '@/api/types'
import { DeleteConfirmDialog, useDeleteConfirm } from '@/components/form'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { AddIntegrationDialog, INTEGRATION_CATEGORIES as CATEGORIES } from '@/components/integrations/AddIntegrationDialog'
import { IntegrationCard } from '@/components/integrations/IntegrationCard'
import { ReadinessCard } from '@/components/integrations/ReadinessCard'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { useDeleteIntegration, useIntegrations } from '@/hooks/useIntegrations'
import { enumLabel } from '@/lib/enum-label'

const ALL = 'all'

export function IntegrationsPage() {
  const { t } = useTranslation()
  const integrations = useIntegrations()
  const remove = useDeleteIntegration()
  const [tab, setTab] = useState<string>(ALL)
  const [adding, setAdding] = useState(false)
  const deleting = useDeleteConfirm<Integration>()
  const category = tab === ALL ? null : (tab as IntegrationCategory)
  const items = (integrations.data?.items ?? []).filter((i) => !category || i.categories.includes(category))

  return (
    <>
      <PageHeader
        title={t('pages.integrations.title')}
        description={t('pages.integrations.description')}
        actions={
          <Button variant="brand" onClick={() => setAdding(true)} data-testid="add-integration">
            <Plus aria-hidden />
            {t('integrations.add')}
          </Button>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0">
          <Tabs value={tab} onValueChange={setTab}>
            <TabsList aria-label={t('integrations.categoriesLabel')}>
              <TabsTrigger value={ALL}>{t('common.all')}</TabsTrigger>
              {CATEGORIES.map((c) => (
                <TabsTrigger key={c} value={c}>
                  {enumLabel(t, 'integrationCategory', c)}
                </TabsTrigger>
              ))}
            </TabsList>
          {/* one panel for whichever filter is chosen: the chosen tab controls it */}
          <TabsContent value={tab} className="mt-4">
          {integrations.isError ? (
            <ErrorAlert error={integrations.error} />
          ) : integrations.isPending ? (
            <div className="grid gap-4 md:grid-cols-2">
              <Skeleton className="h-56 rounded-xl" />
              <Skeleton className="h-56 rounded-xl" />
            </div>
          ) : items.length === 0 ? (
            <EmptyState
              icon={Plug}
              title={t('integrations.emptyTitle')}
              description={t('pages.integrations.emptyDescription')}
              action={
                <Button variant="outline" onClick={() => setAdding(true)}>
                  <Plus aria-hidden />
                  {t('integrations.add')}
                </Button>
              }
            />
          ) : (
            <ul className="grid gap-4 md:grid-cols-2">
              {items.map((integration) => (
                <li key={integration.id}>
                  <IntegrationCard
                    integration={integration}
                    onDelete={deleting.ask}
                  />
                </li>
              ))}
            </ul>
          )}
          </TabsContent>
          </Tabs>
        </div>
        <ReadinessCard />
      </div>
      <AddIntegrationDialog open={adding} onOpenChange={setAdding} category={category} />
      <DeleteConfirmDialog
        confirm={deleting}
        mutation={remove}
        variables={(i) => i.id}
        title={t('integrations.deleteTitle')}
        description={(i) => t('integrations.deleteDescription', { name: i.display_name })}
        done={() => t('integrations.deleted')}
      />
    </>
  )
}
