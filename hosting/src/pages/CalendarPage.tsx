import { CalendarDays } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'
import { UpgradeForFeature } from '@/components/billing/UpgradePrompt'

/** Page shell: the calendar feature fills this in. */
export function CalendarPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.calendar.title')} description={t('pages.calendar.description')} />
      <UpgradeForFeature feature="schedule" className="mb-6" />
      <EmptyState
        icon={CalendarDays}
        title={t('pages.calendar.emptyTitle')}
        description={t('pages.calendar.emptyDescription')}
      />
    </>
  )
}
