import { Send } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { EmptyState } from '@/components/EmptyState'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'

/** Page shell: the posts feature fills this in. */
export function PostsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('pages.posts.title')} description={t('pages.posts.description')} />
      <EmptyState
        icon={Send}
        title={t('pages.posts.emptyTitle')}
        description={t('pages.posts.emptyDescription')}
        action={
          <Button asChild variant="brand">
            <Link to="/videos">{t('pages.posts.goToVideos')}</Link>
          </Button>
        }
      />
    </>
  )
}
