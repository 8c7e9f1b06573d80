import { Sparkles } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'

/** Page shell: the createVideo feature fills this in. */
export function CreateVideoPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.createVideo.title')} description={t('pages.createVideo.description')} />
      <EmptyState
        icon={Sparkles}
        title={t('pages.createVideo.emptyTitle')}
        description={t('pages.createVideo.emptyDescription')}
        action={
          <Button asChild variant="brand">
            <Link to="/templates">{t('pages.createVideo.browseTemplates')}</Link>
          </Button>
        }
      />
    </>
  )
}
