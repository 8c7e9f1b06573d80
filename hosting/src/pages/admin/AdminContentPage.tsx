import { useState } from 'react'
import { ArrowLeft, RotateCcw } from 'lucide-react'
import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { formatWhen } from '@/components/admin/format'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import {
  useFailedJobs,
  useRecentPosts,
  useRecentVideos,
  useRetryJob,
  type FailedJob,
  type FailedJobKind,
} from '@/hooks/useAdminManage'
import { CheckCircle2 } from 'lucide-react'

const KINDS = ['video', 'post', 'sync'] as const satisfies readonly FailedJobKind[]
const KIND_KEYS = {
  video: 'admin.content.kind_video',
  post: 'admin.content.kind_post',
  sync: 'admin.content.kind_sync',
} as const satisfies Record<FailedJobKind, string>

/** A table that scrolls sideways on a phone, with a hint and a keyboard-focusable region. */
function ScrollTable({ label, hintId, children }: { label: string; hintId: string; children: React.ReactNode }) {
  const { t } = useTranslation()
  return (
    <>
      <p className="mb-2 text-xs text-muted-foreground lg:hidden" id={hintId}>
        {t('admin.content.scrollHint')}
      </p>
      <div className="relative">
        <div
          className="overflow-x-auto rounded-xl border bg-card"
          tabIndex={0}
          role="region"
          aria-label={label}
          aria-describedby={hintId}
        >
          <table className="w-full min-w-[48rem] text-sm">
            <caption className="sr-only">{label}</caption>
            {children}
          </table>
        </div>
        <div
          aria-hidden
          className="pointer-events-none absolute inset-y-0 right-0 w-8 rounded-r-xl bg-gradient-to-l from-background/90 to-transparent lg:hidden"
        />
      </div>
    </>
  )
}

function Th({ children, right }: { children: React.ReactNode; right?: boolean }) {
  return (
    <th scope="col" className={`py-3 pr-4 pl-4 text-xs font-medium uppercase tracking-wider text-muted-foreground ${right ? 'text-right' : 'text-left'}`}>
      {children}
    </th>
  )
}

function FailedJobRow({ job }: { job: FailedJob }) {
  const { t, i18n } = useTranslation()
  const retry = useRetryJob()
  const key = `${job.kind}-${job.id}-${job.target_id ?? ''}`
  const onRetry = () =>
    retry.mutate(job, {
      onSuccess: (out) =>
        toast.success(out.outcome === 'retried' ? t('admin.content.retried', { title: job.title }) : t('admin.content.notFailed')),
    })
  return (
    <tr className="border-t align-top" data-testid={`failed-${key}`}>
      <td className="py-3 pr-4 pl-4">
        <Badge variant="outline">{t(KIND_KEYS[job.kind])}</Badge>
      </td>
      <td className="max-w-64 py-3 pr-4">
        <p className="truncate font-medium">{job.title}</p>
        <p className="truncate text-xs text-muted-foreground">
          <Link className="underline-offset-2 hover:underline" to={`/admin/users/${encodeURIComponent(job.owner_id)}`}>
            {job.owner_id}
          </Link>
        </p>
      </td>
      <td className="py-3 pr-4">{job.stage}</td>
      <td className="max-w-96 py-3 pr-4">
        <p>{job.message}</p>
        <details className="mt-1">
          <summary className="cursor-pointer text-xs text-muted-foreground">{t('admin.content.fullError')}</summary>
          <pre className="mt-1 max-h-48 overflow-auto rounded bg-muted p-2 text-xs whitespace-pre-wrap">
            {JSON.stringify(job.error, null, 2)}
          </pre>
        </details>
        {retry.error ? <ErrorAlert className="mt-2" error={retry.error} /> : null}
      </td>
      <td className="py-3 pr-4 whitespace-nowrap text-muted-foreground">{formatWhen(job.failed_at, i18n.language)}</td>
      <td className="py-3 pr-4 text-right">
        <Button
          size="sm"
          variant="outline"
          disabled={!job.retryable || retry.isPending}
          onClick={onRetry}
          aria-label={t('admin.content.retryFor', { title: job.title })}
          title={job.retryable ? undefined : t('admin.content.notRetryable')}
        >
          <RotateCcw className="size-4" aria-hidden />
          {t('admin.content.retry')}
        </Button>
      </td>
    </tr>
  )
}

function FailedJobs() {
  const { t } = useTranslation()
  const [kind, setKind] = useState<FailedJobKind | null>(null)
  const jobs = useFailedJobs(kind)
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="failed-jobs-title" className="text-lg font-semibold">
          {t('admin.content.failedTitle')}
        </h2>
        <div role="group" aria-label={t('admin.content.kindFilter')} className="flex flex-wrap gap-1">
          {[null, ...KINDS].map((k) => (
            <Button key={k ?? 'all'} size="sm" variant={kind === k ? 'secondary' : 'ghost'} aria-pressed={kind === k} onClick={() => setKind(k)}>
              {k ? t(KIND_KEYS[k]) : t('common.all')}
            </Button>
          ))}
        </div>
      </div>
      {jobs.isError ? (
        <ErrorAlert error={jobs.error} />
      ) : jobs.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : jobs.data.items.length === 0 ? (
        <EmptyState icon={CheckCircle2} title={t('admin.content.noFailures')} description={t('admin.content.noFailuresDescription')} />
      ) : (
        <ScrollTable label={t('admin.content.failedTitle')} hintId="failed-jobs-hint">
          <thead>
            <tr>
              <Th>{t('admin.content.colKind')}</Th>
              <Th>{t('admin.content.colWhat')}</Th>
              <Th>{t('admin.content.colStage')}</Th>
              <Th>{t('admin.content.colError')}</Th>
              <Th>{t('admin.content.colWhen')}</Th>
              <Th right>{t('admin.content.colActions')}</Th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.items.map((job) => (
              <FailedJobRow key={`${job.kind}-${job.id}-${job.target_id ?? ''}`} job={job} />
            ))}
          </tbody>
        </ScrollTable>
      )}
    </div>
  )
}

function RecentVideos() {
  const { t, i18n } = useTranslation()
  const videos = useRecentVideos()
  if (videos.isError) return <ErrorAlert error={videos.error} />
  if (videos.isPending) return <Skeleton className="h-40 w-full" />
  if (videos.data.items.length === 0) return <p className="text-sm text-muted-foreground">{t('admin.content.noVideos')}</p>
  return (
    <ScrollTable label={t('admin.content.videosTitle')} hintId="recent-videos-hint">
      <thead>
        <tr>
          <Th>{t('admin.content.colWhat')}</Th>
          <Th>{t('admin.content.colOwner')}</Th>
          <Th>{t('admin.content.colTemplate')}</Th>
          <Th>{t('admin.content.colStatus')}</Th>
          <Th>{t('admin.content.colWhen')}</Th>
        </tr>
      </thead>
      <tbody>
        {videos.data.items.map((v) => (
          <tr key={v.id} className="border-t">
            <td className="max-w-72 truncate py-3 pr-4 pl-4 font-medium">{v.title ?? v.topic}</td>
            <td className="py-3 pr-4">
              <Link className="underline-offset-2 hover:underline" to={`/admin/users/${encodeURIComponent(v.owner_id)}`}>
                {v.owner_id}
              </Link>
            </td>
            <td className="py-3 pr-4">{v.template_name}</td>
            <td className="py-3 pr-4">
              <Badge variant={v.status === 'failed' ? 'destructive' : 'outline'}>{v.status}</Badge>
            </td>
            <td className="py-3 pr-4 whitespace-nowrap text-muted-foreground">{formatWhen(v.created_at, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  )
}

function RecentPosts() {
  const { t, i18n } = useTranslation()
  const posts = useRecentPosts()
  if (posts.isError) return <ErrorAlert error={posts.error} />
  if (posts.isPending) return <Skeleton className="h-40 w-full" />
  if (posts.data.items.length === 0) return <p className="text-sm text-muted-foreground">{t('admin.content.noPosts')}</p>
  return (
    <ScrollTable label={t('admin.content.postsTitle')} hintId="recent-posts-hint">
      <thead>
        <tr>
          <Th>{t('admin.content.colWhat')}</Th>
          <Th>{t('admin.content.colOwner')}</Th>
          <Th>{t('admin.content.colTargets')}</Th>
          <Th>{t('admin.content.colStatus')}</Th>
          <Th>{t('admin.content.colWhen')}</Th>
        </tr>
      </thead>
      <tbody>
        {posts.data.items.map((p) => (
          <tr key={p.id} className="border-t">
            <td className="max-w-72 truncate py-3 pr-4 pl-4 font-medium">{p.video_title ?? p.video_id}</td>
            <td className="py-3 pr-4">
              <Link className="underline-offset-2 hover:underline" to={`/admin/users/${encodeURIComponent(p.owner_id)}`}>
                {p.owner_id}
              </Link>
            </td>
            <td className="py-3 pr-4">{p.targets.map((x) => `${x.platform}: ${x.status}`).join(', ')}</td>
            <td className="py-3 pr-4">
              <Badge variant={p.status === 'failed' ? 'destructive' : 'outline'}>{p.status}</Badge>
            </td>
            <td className="py-3 pr-4 whitespace-nowrap text-muted-foreground">{formatWhen(p.created_at, i18n.language)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  )
}

/** `/admin/content`: failed jobs with their full errors and a retry, and the newest videos and posts. */
export function AdminContentPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader
        title={t('admin.content.title')}
        description={t('admin.content.description')}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link to="/admin">
              <ArrowLeft className="size-4" aria-hidden />
              {t('admin.content.back')}
            </Link>
          </Button>
        }
      />
      <Tabs defaultValue="failed">
        <TabsList className="mb-4">
          <TabsTrigger value="failed">{t('admin.content.tabFailed')}</TabsTrigger>
          <TabsTrigger value="videos">{t('admin.content.tabVideos')}</TabsTrigger>
          <TabsTrigger value="posts">{t('admin.content.tabPosts')}</TabsTrigger>
        </TabsList>
        <TabsContent value="failed">
          <FailedJobs />
        </TabsContent>
        <TabsContent value="videos">
          <RecentVideos />
        </TabsContent>
        <TabsContent value="posts">
          <RecentPosts />
        </TabsContent>
      </Tabs>
    </>
  )
}
