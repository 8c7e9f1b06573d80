import { ShieldCheck } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the adminDashboard feature fills this in. */
export function AdminDashboardPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.adminDashboard.title')} description={t('pages.adminDashboard.description')} />
      <EmptyState
        icon={ShieldCheck}
        title={t('pages.adminDashboard.emptyTitle')}
        description={t('pages.adminDashboard.emptyDescription')}
      />
    </>
  )
}
