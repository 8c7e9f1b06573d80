import { useState } from 'react'
import { ArrowLeft, Download, RotateCcw } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { toast } from 'sonner'
import type { IntegrationCategory, Step, Video } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { LoadError } from '@/pages/errors/LoadError'
import { ErrorPayload } from '@/components/videos/ErrorPayload'
import { StepFallbacks } from '@/components/videos/StepFallbacks'
import { CancelVideoButton } from '@/components/videos/CancelVideoButton'
import { StepList } from '@/components/videos/StepList'
import { StoryboardEditor, StoryboardScript } from '@/components/videos/StoryboardEditor'
import { VideoProgress } from '@/components/videos/VideoProgress'
import { VideoStatusBadge } from '@/components/videos/VideoStatusBadge'
import { videoTitle } from '@/components/videos/VideoCard'
import { PostDialog } from '@/components/posts/PostDialog'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { integrationsFor, useIntegrations } from '@/hooks/useIntegrations'
import { useRetryVideo, useVideo, useVideoStatus } from '@/hooks/useVideos'
import { enumLabel } from '@/lib/enum-label'
import { STEP_LABEL_KEYS, isActive } from '@/lib/video-status'

const KEEP = 'keep'
const OFFLINE = 'offline'
const STEP_CATEGORY: Partial<Record<Step, IntegrationCategory>> = {
  script: 'script',
  voice: 'voice',
  media: 'media',
  video_ai: 'video_ai',
  assembly: 'assembly',
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function Detail({ label, value }: { label: string; value: string | null | undefined }) {
  if (!value) return null
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="break-words text-sm">{value}</dd>
    </div>
  )
}

function RetryCard({ video, failedStep }: { video: Video; failedStep: Step }) {
  const { t } = useTranslation()
  const [choice, setChoice] = useState(KEEP)
  const integrations = useIntegrations()
  const retry = useRetryVideo(video.id)
  const category = STEP_CATEGORY[failedStep]
  const options = category ? integrationsFor(integrations.data?.items, category) : []
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">{t('videoDetail.retryTitle')}</CardTitle>
        <p className="text-sm text-muted-foreground">
          {t('videoDetail.retryDescription', { step: t(STEP_LABEL_KEYS[failedStep]) })}
        </p>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {category && (
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="retry-integration">{t('videoDetail.retryWith')}</Label>
            <Select value={choice} onValueChange={setChoice}>
              <SelectTrigger id="retry-integration" data-testid="retry-integration">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={KEEP}>{t('videoDetail.retrySame')}</SelectItem>
                <SelectItem value={OFFLINE}>{t('videoDetail.retryOffline')}</SelectItem>
                {options.map((i) => (
                  <SelectItem key={i.id} value={i.id}>
                    {i.display_name} ({enumLabel(t, 'validationStatus', i.validation.status)})
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        )}
        {retry.error ? <ErrorAlert error={retry.error} /> : null}
        <Button
          variant="brand"
          disabled={retry.isPending}
          onClick={() =>
            retry.mutate(choice === KEEP ? null : choice, { onSuccess: () => toast.success(t('videoDetail.retryStarted')) })
          }
        >
          <RotateCcw aria-hidden />
          {retry.isPending ? t('videoDetail.retrying') : t('common.retry')}
        </Button>
      </CardContent>
    </Card>
  )
}

export function VideoDetailPage() {
  const { t } = useTranslation()
  const { videoId } = useParams()
  const video = useVideo(videoId)
  const live = useVideoStatus(videoId, { enabled: video.isSuccess && isActive(video.data.status) })

  if (video.isError) {
    return (
      <>
        <BackLink />
        <LoadError error={video.error} onRetry={() => void video.refetch()} />
      </>
    )
  }
  if (video.isPending) {
    return (
      <>
        <BackLink />
        <Skeleton className="mb-4 h-9 w-2/3" />
        <Skeleton className="aspect-video w-full max-w-md rounded-xl" />
      </>
    )
  }
  const data = video.data
  // The status query is fresher while generating; after it stops, the video itself is.
  const state = live.data && isActive(data.status) ? live.data : data
  const title = videoTitle(data)
  const failedStep = state.error?.step ?? state.steps.find((s) => s.status === 'failed')?.step ?? null

  return (
    <>
      <BackLink />
      <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
          <p className="mt-1 text-sm text-muted-foreground">{data.template_name}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <VideoStatusBadge status={state.status} />
          {(isActive(state.status) || state.status === 'review') && <CancelVideoButton video={data} />}
          {data.status === 'completed' && <PostDialog videoId={data.id} />}
          {data.status === 'completed' && data.download_url && (
            <Button asChild variant="outline">
              <a href={data.download_url} download data-testid="video-download">
                <Download aria-hidden />
                {t('videoDetail.download')}
              </a>
            </Button>
          )}
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex flex-col gap-6">
          {data.status === 'completed' && data.video_url ? (
            <div className="flex justify-center rounded-xl border bg-black">
              <video
                key={data.video_url}
                src={data.video_url}
                poster={data.thumbnail_url ?? undefined}
                controls
                playsInline
                preload="metadata"
                className="max-h-[75vh] w-auto max-w-full rounded-xl"
                data-testid="video-player"
                aria-label={t('videoDetail.player', { title })}
              />
            </div>
          ) : (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">{t('videoDetail.progressTitle')}</CardTitle>
              </CardHeader>
              <CardContent className="flex flex-col gap-6">
                <VideoProgress progress={state.progress} currentStep={isActive(state.status) ? state.current_step : null} />
                {state.error ? <ErrorPayload error={state.error} /> : null}
              </CardContent>
            </Card>
          )}
          {data.status === 'review' && <StoryboardEditor video={data} />}
          {data.status === 'completed' && <StoryboardScript video={data} />}
          {data.status === 'failed' && failedStep && <RetryCard video={data} failedStep={failedStep} />}
          {data.description && (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">{t('videoDetail.descriptionTitle')}</CardTitle>
              </CardHeader>
              <CardContent>
                <p className="whitespace-pre-line text-sm">{data.description}</p>
                {data.hashtags.length > 0 && <p className="mt-3 text-sm text-primary">{data.hashtags.join(' ')}</p>}
              </CardContent>
            </Card>
          )}
        </div>
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">{t('videoDetail.stepsTitle')}</CardTitle>
            </CardHeader>
            <CardContent>
              <StepList steps={state.steps} />
              <StepFallbacks steps={state.steps} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle className="text-base">{t('videoDetail.detailsTitle')}</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="flex flex-col gap-3">
                <Detail label={t('videoDetail.topic')} value={data.topic} />
                <Detail label={t('videoDetail.instructions')} value={data.instructions} />
                <Detail label={t('videoDetail.template')} value={data.template_name} />
                <Detail
                  label={t('videoDetail.length')}
                  value={data.duration_s != null ? t('videos.duration', { seconds: data.duration_s.toFixed(1) }) : null}
                />
                <Detail
                  label={t('videoDetail.resolution')}
                  value={data.width && data.height ? `${data.width} × ${data.height}` : null}
                />
                <Detail label={t('videoDetail.size')} value={data.size_bytes != null ? formatBytes(data.size_bytes) : null} />
                <Detail label={t('videoDetail.created')} value={data.created_at ? new Date(data.created_at).toLocaleString() : null} />
                <Detail label={t('videoDetail.expires')} value={data.expires_at ? new Date(data.expires_at).toLocaleString() : null} />
              </dl>
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  )
}

function BackLink() {
  const { t } = useTranslation()
  return (
    <Button asChild variant="ghost" size="sm" className="-ml-2 mb-4">
      <Link to="/videos">
        <ArrowLeft aria-hidden />
        {t('pages.videoDetail.back')}
      </Link>
    </Button>
  )
}
