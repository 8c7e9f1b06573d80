import { Lightbulb } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'
import { UpgradeForFeature } from '@/components/billing/UpgradePrompt'

/** Page shell: the suggestions feature fills this in. */
export function SuggestionsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.suggestions.title')} description={t('pages.suggestions.description')} />
      <UpgradeForFeature feature="suggestions" className="mb-6" />
      <EmptyState
        icon={Lightbulb}
        title={t('pages.suggestions.emptyTitle')}
        description={t('pages.suggestions.emptyDescription')}
      />
    </>
  )
}
