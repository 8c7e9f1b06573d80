import { Clapperboard, Trash2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { Video } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { isActive } from '@/lib/video-status'
import { VideoProgress } from './VideoProgress'
import { VideoStatusBadge } from './VideoStatusBadge'

export function videoTitle(video: Pick<Video, 'title' | 'topic'>): string {
  return video.title || video.topic
}

/** The thumbnail box's CSS aspect ratio: the video's own once known, else the vertical 9:16. */
export function thumbnailAspect(video: Pick<Video, 'width' | 'height'>): string {
  return video.width && video.height ? `${video.width} / ${video.height}` : '9 / 16'
}

/** A grid tile: thumbnail (or placeholder), status, and a progress overlay while generating. */
export function VideoCard({ video, onDelete }: { video: Video; onDelete?: (video: Video) => void }) {
  const { t } = useTranslation()
  const title = videoTitle(video)
  const active = isActive(video.status)
  const created = video.created_at ? new Date(video.created_at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : null
  return (
    <Card className="group relative flex flex-col overflow-hidden p-0" data-testid="video-card" data-video-id={video.id}>
      <div className="relative">
        <Link
          to={`/videos/${video.id}`}
          className="relative block max-h-80 w-full overflow-hidden bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:max-h-none"
          style={{ aspectRatio: thumbnailAspect(video) }}
          aria-label={t('videos.open', { title })}
          data-testid="video-thumbnail"
        >
          {video.thumbnail_url ? (
            <img
              src={video.thumbnail_url}
              alt={t('videos.thumbnailAlt', { title })}
              loading="lazy"
              className="size-full object-contain transition-transform duration-300 group-hover:scale-[1.02]"
            />
          ) : (
            <div className="flex size-full flex-col items-center justify-center gap-2 bg-brand-gradient/10 text-muted-foreground">
              <Clapperboard className="size-8" aria-hidden />
              <span className="text-xs" aria-hidden>{t('videos.noThumbnail')}</span>
            </div>
          )}
        </Link>
        {/* over the thumbnail but outside its link, so the link's name ("Open {title}")
            contains all of its visible text; screen readers read these as card content */}
        <VideoStatusBadge status={video.status} className="pointer-events-none absolute left-2 top-2 shadow" />
        {active && (
          <div className="pointer-events-none absolute inset-x-0 bottom-0 bg-black/70 p-3 text-white backdrop-blur-sm">
            <VideoProgress progress={video.progress} currentStep={video.current_step} />
          </div>
        )}
      </div>
      <div className="flex items-start gap-2 p-3">
        <div className="min-w-0 flex-1">
          <h3 className="line-clamp-3 break-words text-sm font-semibold" title={title}>
            {title}
          </h3>
          {video.title && video.title !== video.topic && (
            <p className="mt-0.5 line-clamp-2 break-words text-xs text-muted-foreground" title={video.topic}>
              {video.topic}
            </p>
          )}
          <p className="mt-0.5 truncate text-xs text-muted-foreground">
            {created ? `${video.template_name} · ${created}` : video.template_name}
          </p>
        </div>
        {onDelete && (
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={t('videos.deleteAction')}
            onClick={() => onDelete(video)}
            className="text-muted-foreground hover:text-destructive"
          >
            <Trash2 aria-hidden />
          </Button>
        )}
      </div>
    </Card>
  )
}
