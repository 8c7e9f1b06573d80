import { useState } from 'react'
import { Download, ExternalLink, Send } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import type { Post, PostStatus, PostTarget } from '@/api/types'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert, errorMessage } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Skeleton } from '@/components/ui/skeleton'
import { ImportScheduleDialog } from '@/components/posts/ImportScheduleDialog'
import { exportSchedule, saveText } from '@/hooks/usePostSchedule'
import { useCancelPost, usePostPages, usePublishNow } from '@/hooks/usePosts'

const ALL = 'all'
const POST_STATUSES: PostStatus[] = ['scheduled', 'publishing', 'published', 'partially_published', 'failed', 'cancelled']
const STATUS_KEY = {
  scheduled: 'posts.status.scheduled',
  publishing: 'posts.status.publishing',
  published: 'posts.status.published',
  partially_published: 'posts.status.partially_published',
  failed: 'posts.status.failed',
  cancelled: 'posts.status.cancelled',
} as const satisfies Record<PostStatus, string>
const TARGET_STATUS_KEY = {
  queued: 'posts.targetStatus.queued',
  publishing: 'posts.targetStatus.publishing',
  processing: 'posts.targetStatus.processing',
  published: 'posts.targetStatus.published',
  failed: 'posts.targetStatus.failed',
  cancelled: 'posts.targetStatus.cancelled',
} as const satisfies Record<PostTarget['status'], string>
const PLATFORM_KEY = {
  youtube: 'posts.platform.youtube',
  tiktok: 'posts.platform.tiktok',
  instagram: 'posts.platform.instagram',
  facebook: 'posts.platform.facebook',
} as const
const TARGET_VARIANT: Record<PostTarget['status'], 'default' | 'secondary' | 'destructive' | 'outline'> = {
  queued: 'outline',
  publishing: 'secondary',
  processing: 'secondary',
  published: 'default',
  failed: 'destructive',
  cancelled: 'outline',
}

function TargetChip({ post, target }: { post: Post; target: PostTarget }) {
  const { t } = useTranslation()
  const retry = usePublishNow()
  return (
    <li className="flex flex-wrap items-center gap-2 text-sm" data-testid={`target-${target.id}`}>
      <span className="font-medium">{target.platform in PLATFORM_KEY ? t(PLATFORM_KEY[target.platform as keyof typeof PLATFORM_KEY]) : target.platform}</span>
      <span className="text-muted-foreground">{target.account_name}</span>
      <Badge variant={TARGET_VARIANT[target.status]}>{t(TARGET_STATUS_KEY[target.status])}</Badge>
      {target.url && (
        <a className="inline-flex items-center gap-1 underline" href={target.url} target="_blank" rel="noreferrer">
          {t('posts.open')}
          <ExternalLink className="size-3" aria-hidden />
        </a>
      )}
      {target.waiting_reason && <span className="text-muted-foreground">{target.waiting_reason}</span>}
      {target.status === 'failed' && target.error && <span className="text-destructive">{target.error.message}</span>}
      {target.status === 'failed' && target.retryable && (
        <Button
          size="sm"
          variant="outline"
          disabled={retry.isPending}
          onClick={() =>
            retry.mutate({ id: post.id, targetId: target.id }, { onSuccess: () => toast.success(t('posts.retrying')) })
          }
        >
          {t('common.retry')}
        </Button>
      )}
    </li>
  )
}

function PostRow({ post }: { post: Post }) {
  const { t, i18n } = useTranslation()
  const cancel = useCancelPost()
  const when = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: post.timezone,
  }).format(new Date(post.scheduled_at))
  return (
    <Card data-testid={`post-${post.id}`}>
      <CardContent className="space-y-3 p-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div>
            <Link className="font-medium underline-offset-4 hover:underline" to={`/videos/${post.video_id}`}>
              {post.video_title ?? post.video_id}
            </Link>
            <p className="text-muted-foreground text-sm">
              {t('posts.when', { when, timezone: post.timezone, status: t(STATUS_KEY[post.status]) })}
              {post.ai_disclosure.ai_generated ? ` · ${t('posts.aiDisclosed')}` : ''}
            </p>
          </div>
          {post.status === 'scheduled' && (
            <Button
              size="sm"
              variant="outline"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(post.id, { onSuccess: () => toast.success(t('posts.cancelled')) })}
            >
              {t('posts.cancel')}
            </Button>
          )}
        </div>
        <ul className="space-y-1">
          {post.targets.map((target) => (
            <TargetChip key={target.id} post={post} target={target} />
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}

export function PostsPage() {
  const { t } = useTranslation()
  const [status, setStatus] = useState<PostStatus | null>(null)
  const posts = usePostPages(status)
  const items = posts.data?.pages.flatMap((p) => p.items) ?? []
  const [exporting, setExporting] = useState(false)
  const download = async () => {
    setExporting(true)
    try {
      saveText(await exportSchedule(status), `synthora-schedule-${new Date().toISOString().slice(0, 10)}.csv`)
    } catch (error) {
      toast.error(errorMessage(error, t('common.unknownError')))
    } finally {
      setExporting(false)
    }
  }
  return (
    <>
      <PageHeader title={t('pages.posts.title')} description={t('pages.posts.description')} />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <Select value={status ?? ALL} onValueChange={(v) => setStatus(v === ALL ? null : (v as PostStatus))}>
          <SelectTrigger className="w-56" aria-label={t('posts.filterLabel')}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('common.all')}</SelectItem>
            {POST_STATUSES.map((s) => (
              <SelectItem key={s} value={s}>
                {t(STATUS_KEY[s])}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <div className="flex gap-2 sm:ml-auto">
          <Button variant="outline" onClick={() => void download()} disabled={exporting} data-testid="export-schedule">
            <Download aria-hidden />
            {t('postImport.export')}
          </Button>
          <ImportScheduleDialog />
        </div>
      </div>
      {posts.isError ? (
        <ErrorAlert
          error={posts.error}
          action={
            <Button size="sm" variant="outline" onClick={() => void posts.refetch()}>
              {t('common.tryAgain')}
            </Button>
          }
        />
      ) : posts.isPending ? (
        <div className="space-y-3">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-24 w-full rounded-xl" />
          ))}
        </div>
      ) : items.length === 0 ? (
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
      ) : (
        <>
          <div className="space-y-3" data-testid="post-list">
            {items.map((post) => (
              <PostRow key={post.id} post={post} />
            ))}
          </div>
          {posts.hasNextPage && (
            <div className="mt-6 flex justify-center">
              <Button variant="outline" onClick={() => void posts.fetchNextPage()} disabled={posts.isFetchingNextPage}>
                {posts.isFetchingNextPage ? t('common.loading') : t('posts.loadMore')}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  )
}
