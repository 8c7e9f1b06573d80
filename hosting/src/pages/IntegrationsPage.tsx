import { Plug } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the integrations feature fills this in. */
export function IntegrationsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.integrations.title')} description={t('pages.integrations.description')} />
      <EmptyState
        icon={Plug}
        title={t('pages.integrations.emptyTitle')}
        description={t('pages.integrations.emptyDescription')}
      />
    </>
  )
}
