import { Share2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the socialAccounts feature fills this in. */
export function SocialAccountsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.socialAccounts.title')} description={t('pages.socialAccounts.description')} />
      <EmptyState
        icon={Share2}
        title={t('pages.socialAccounts.emptyTitle')}
        description={t('pages.socialAccounts.emptyDescription')}
      />
    </>
  )
}
