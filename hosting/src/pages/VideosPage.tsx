import { useState } from 'react'
import { Clapperboard, Plus } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Video, VideoStatus } from '@/api/types'
import { DeleteConfirmDialog, useDeleteConfirm } from '@/components/form'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { VideoCard, videoTitle } from '@/components/videos/VideoCard'
import { useDeleteVideo, useVideoPages } from '@/hooks/useVideos'
import { VIDEO_STATUSES, VIDEO_STATUS_BADGE } from '@/lib/video-status'

const ALL = 'all'

export function VideosPage() {
  const { t } = useTranslation()
  const [status, setStatus] = useState<VideoStatus | null>(null)
  const videos = useVideoPages(status)
  const toDelete = useDeleteConfirm<Video>()
  const remove = useDeleteVideo()

  const items = videos.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <>
      <PageHeader
        title={t('pages.videos.title')}
        description={t('pages.videos.description')}
        actions={
          <Button asChild variant="brand">
            <Link to="/create">
              <Plus aria-hidden />
              {t('nav.createVideo')}
            </Link>
          </Button>
        }
      />
      <div className="mb-4 flex items-center gap-3">
        <Select value={status ?? ALL} onValueChange={(v) => setStatus(v === ALL ? null : (v as VideoStatus))}>
          <SelectTrigger className="w-48" aria-label={t('videos.filterLabel')} data-testid="video-status-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('videos.filterAll')}</SelectItem>
            {VIDEO_STATUSES.map((s) => (
              <SelectItem key={s} value={s}>
                {t(VIDEO_STATUS_BADGE[s].labelKey)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {videos.isError ? (
        <ErrorAlert
          error={videos.error}
          action={
            <Button size="sm" variant="outline" onClick={() => void videos.refetch()}>
              {t('common.tryAgain')}
            </Button>
          }
        />
      ) : videos.isPending ? (
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <Skeleton key={i} className="aspect-[9/16] w-full rounded-xl" />
          ))}
        </div>
      ) : items.length === 0 ? (
        status ? (
          <EmptyState icon={Clapperboard} title={t('videos.noneWithStatus')} />
        ) : (
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
        )
      ) : (
        <>
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 lg:grid-cols-4" data-testid="video-grid">
            {items.map((video) => (
              <li key={video.id}>
                <VideoCard
                  video={video}
                  onDelete={toDelete.ask}
                />
              </li>
            ))}
          </ul>
          {videos.hasNextPage && (
            <div className="mt-6 flex justify-center">
              <Button variant="outline" onClick={() => void videos.fetchNextPage()} disabled={videos.isFetchingNextPage}>
                {videos.isFetchingNextPage ? t('common.loading') : t('videos.loadMore')}
              </Button>
            </div>
          )}
        </>
      )}
      <DeleteConfirmDialog
        confirm={toDelete}
        mutation={remove}
        variables={(v) => v.id}
        title={t('videos.deleteTitle')}
        description={(v) => t('videos.deleteDescription', { title: videoTitle(v) })}
        done={() => t('videos.deleted')}
      />
    </>
  )
}
