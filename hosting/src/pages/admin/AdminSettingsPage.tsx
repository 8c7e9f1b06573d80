import { SlidersHorizontal } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the adminSettings feature fills this in. */
export function AdminSettingsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.adminSettings.title')} description={t('pages.adminSettings.description')} />
      <EmptyState
        icon={SlidersHorizontal}
        title={t('pages.adminSettings.emptyTitle')}
        description={t('pages.adminSettings.emptyDescription')}
      />
    </>
  )
}
