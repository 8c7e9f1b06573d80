import { LayoutTemplate } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'

/** Page shell: the templates feature fills this in. */
export function TemplatesPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.templates.title')} description={t('pages.templates.description')} />
      <EmptyState
        icon={LayoutTemplate}
        title={t('pages.templates.emptyTitle')}
        description={t('pages.templates.emptyDescription')}
      />
    </>
  )
}
