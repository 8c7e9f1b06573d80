import { BarChart3 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the analytics feature fills this in. */
export function AnalyticsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.analytics.title')} description={t('pages.analytics.description')} />
      <EmptyState
        icon={BarChart3}
        title={t('pages.analytics.emptyTitle')}
        description={t('pages.analytics.emptyDescription')}
      />
    </>
  )
}
