import { Clapperboard } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'

/** Page shell: the videos feature fills this in. */
export function VideosPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.videos.title')} description={t('pages.videos.description')} />
      <EmptyState
        icon={Clapperboard}
        title={t('pages.videos.emptyTitle')}
        description={t('pages.videos.emptyDescription')}
        action={
          <Button asChild variant="brand">
            <Link to="/create">{t('pages.videos.createFirst')}</Link>
          </Button>
        }
      />
    </>
  )
}
