import { ArrowLeft, Film } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'

/** Page shell: the videos feature fills this in (player, step progress, errors, retry). */
export function VideoDetailPage() {
  const { t } = useTranslation()
  const { videoId = '' } = useParams()
  return (
    <>
      <PageHeader
        title={t('pages.videoDetail.title')}
        description={t('pages.videoDetail.description', { id: videoId })}
        actions={
          <Button asChild variant="outline">
            <Link to="/videos">
              <ArrowLeft aria-hidden />
              {t('pages.videoDetail.back')}
            </Link>
          </Button>
        }
      />
      <EmptyState icon={Film} title={t('pages.videoDetail.emptyTitle')} description={t('pages.videoDetail.emptyDescription')} />
    </>
  )
}
