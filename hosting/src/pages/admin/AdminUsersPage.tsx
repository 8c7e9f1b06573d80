import { Users } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the adminUsers feature fills this in. */
export function AdminUsersPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.adminUsers.title')} description={t('pages.adminUsers.description')} />
      <EmptyState
        icon={Users}
        title={t('pages.adminUsers.emptyTitle')}
        description={t('pages.adminUsers.emptyDescription')}
      />
    </>
  )
}
