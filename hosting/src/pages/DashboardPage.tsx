import { ArrowRight, CheckCircle2, Clapperboard, Clock, Loader2, Sparkles, XCircle, type LucideIcon } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { UpgradePrompt } from '@/components/billing/UpgradePrompt'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { ReadinessCard } from '@/components/integrations/ReadinessCard'
import { SuggestionsPanel } from '@/components/suggestions/SuggestionsPanel'
import { VideoCard } from '@/components/videos/VideoCard'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useAuth } from '@/contexts/auth'
import { useDailyLimit } from '@/hooks/useDailyLimit'
import { useVideoStats, useVideos } from '@/hooks/useVideos'
import { DailyLimitNotice } from '@/components/videos/DailyLimitNotice'

function Stat({ icon: Icon, label, value, loading }: { icon: LucideIcon; label: string; value: number | string; loading: boolean }) {
  return (
    <Card className="flex items-center gap-4 p-4 sm:p-5">
      <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-primary">
        <Icon className="size-5" aria-hidden />
      </span>
      <div className="min-w-0">
        <p className="truncate text-xs text-muted-foreground sm:text-sm">{label}</p>
        {loading ? <Skeleton className="mt-1 h-7 w-10" /> : <p className="text-2xl font-bold tabular-nums">{value}</p>}
      </div>
    </Card>
  )
}

export function DashboardPage() {
  const { t } = useTranslation()
  const { user } = useAuth()
  const stats = useVideoStats()
  const recent = useVideos(null, 4)
  const limit = useDailyLimit()
  const name = user?.display_name?.split(' ')[0] || user?.email?.split('@')[0] || ''
  // "Welcome back" only for someone who has been here before (made a video).
  const firstVisit = (user?.stats?.videos_created ?? 0) === 0
  const by = stats.data?.by_status ?? {}
  const generating = (by.queued ?? 0) + (by.processing ?? 0)
  return (
    <>
      <PageHeader
        title={t(firstVisit ? 'pages.dashboard.greetingNew' : 'pages.dashboard.greeting', { name })}
        description={t('pages.dashboard.description')}
      />
      <Card className="relative mb-6 overflow-hidden border-0 bg-brand-gradient p-px shadow-xl shadow-brand-violet/20">
        <div className="relative flex flex-col gap-4 rounded-[calc(var(--radius)+3px)] bg-card/90 p-6 sm:flex-row sm:items-center sm:justify-between sm:p-8">
          <div>
            <h2 className="text-xl font-semibold sm:text-2xl">{t('pages.dashboard.heroTitle')}</h2>
            <p className="mt-1.5 max-w-xl text-sm text-muted-foreground">{t('pages.dashboard.heroDescription')}</p>
            <div className="mt-3">
              <DailyLimitNotice limit={limit} />
            </div>
            <UpgradePrompt className="mt-3" />
          </div>
          <Button asChild variant="brand" size="lg">
            <Link to="/create">
              <Sparkles aria-hidden />
              {t('pages.dashboard.heroAction')}
            </Link>
          </Button>
        </div>
      </Card>

      <section aria-label={t('dashboard.statsLabel')} className="mb-6 grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        {stats.isError ? (
          <ErrorAlert error={stats.error} className="col-span-full" />
        ) : (
          <>
            <Stat icon={Clapperboard} label={t('dashboard.total')} value={stats.data?.total ?? 0} loading={stats.isPending} />
            <Stat icon={CheckCircle2} label={t('dashboard.completed')} value={by.completed ?? 0} loading={stats.isPending} />
            <Stat icon={generating > 0 ? Loader2 : Clock} label={t('dashboard.generating')} value={generating} loading={stats.isPending} />
            <Stat icon={XCircle} label={t('dashboard.failed')} value={by.failed ?? 0} loading={stats.isPending} />
          </>
        )}
      </section>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="recent-videos">
          <div className="mb-3 flex items-center justify-between">
            <h2 id="recent-videos" className="text-lg font-semibold">
              {t('dashboard.recent')}
            </h2>
            <Link to="/videos" className="flex items-center gap-1 text-sm font-medium text-primary hover:underline">
              {t('dashboard.allVideos')}
              <ArrowRight className="size-4" aria-hidden />
            </Link>
          </div>
          {recent.isError ? (
            <ErrorAlert error={recent.error} />
          ) : recent.isPending ? (
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {Array.from({ length: 4 }, (_, i) => (
                <Skeleton key={i} className="aspect-[9/16] rounded-xl" />
              ))}
            </div>
          ) : recent.data.items.length === 0 ? (
            <EmptyState icon={Clapperboard} title={t('pages.videos.emptyTitle')} description={t('pages.videos.emptyDescription')} />
          ) : (
            <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {recent.data.items.map((v) => (
                <li key={v.id}>
                  <VideoCard video={v} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <div className="flex min-w-0 flex-col gap-6">
          <SuggestionsPanel />
          <ReadinessCard compact showLink />
        </div>
      </div>
    </>
  )
}
