import { useState } from 'react'
import { Check, Lightbulb, RefreshCw, Sparkles, X } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { EmptyState } from '@/components/EmptyState'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { PageSkeleton } from '@/components/PageSkeleton'
import { UpgradeForFeature } from '@/components/billing/UpgradePrompt'
import { SUGGESTION_TYPE_KEYS as TYPE_KEYS } from '@/components/suggestions/labels'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { useMe } from '@/hooks/useMe'
import {
  makeThisLink,
  useDismissSuggestion,
  useGenerateSuggestions,
  useMarkSuggestionActed,
  useMarkSuggestionRead,
  useSuggestionOutcomes,
  useSuggestions,
  type LoopReport,
  type Suggestion,
  type SuggestionType,
} from '@/hooks/useSuggestions'

const CATEGORIES: (SuggestionType | 'all')[] = [
  'all',
  'template',
  'posting_time',
  'content_idea',
  'trend',
  'improvement',
  'prediction',
]

function SuggestionCard({ suggestion }: { suggestion: Suggestion }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const read = useMarkSuggestionRead()
  const dismiss = useDismissSuggestion()
  const acted = useMarkSuggestionActed()
  const link = makeThisLink(suggestion)
  const headingId = `suggestion-${suggestion.id}`
  return (
    <article aria-labelledby={headingId} data-testid="suggestion">
    <Card className={suggestion.read ? 'opacity-90' : undefined}>
      <CardHeader className="gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <Badge variant="secondary">{t(TYPE_KEYS[suggestion.type])}</Badge>
          {!suggestion.read && <Badge variant="brand">{t('suggestions.new')}</Badge>}
          {suggestion.acted && <Badge variant="success">{t('suggestions.actedBadge')}</Badge>}
        </div>
        <CardTitle id={headingId} className="text-base">
          {suggestion.title}
        </CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        <p>{suggestion.body}</p>
        {suggestion.evidence.points.length > 0 && (
          <div>
            <p className="font-medium">{t('suggestions.evidence')}</p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-muted-foreground">
              {suggestion.evidence.points.map((point) => (
                <li key={point}>{point}</li>
              ))}
            </ul>
          </div>
        )}
        <p className="text-xs text-muted-foreground">{t('suggestions.basedOn', { summary: suggestion.evidence.basis.summary })}</p>
        <div className="flex flex-wrap gap-2 pt-1">
          {link && (
            <Button
              variant="brand"
              size="sm"
              onClick={() => {
                void navigate(link)
              }}
            >
              <Sparkles aria-hidden />
              {t('suggestions.makeThis')}
            </Button>
          )}
          {!link && !suggestion.acted && (
            <Button variant="outline" size="sm" disabled={acted.isPending} onClick={() => acted.mutate({ id: suggestion.id })}>
              <Check aria-hidden />
              {t('suggestions.markActed')}
            </Button>
          )}
          {!suggestion.read && (
            <Button variant="ghost" size="sm" disabled={read.isPending} onClick={() => read.mutate(suggestion.id)}>
              {t('suggestions.markRead')}
            </Button>
          )}
          <Button
            variant="ghost"
            size="sm"
            disabled={dismiss.isPending}
            onClick={() => dismiss.mutate(suggestion.id)}
            aria-label={t('suggestions.dismissLabel', { title: suggestion.title })}
          >
            <X aria-hidden />
            {t('suggestions.dismiss')}
          </Button>
        </div>
      </CardContent>
    </Card>
    </article>
  )
}

const OUTCOME_KEYS = {
  not_posted: 'loop.outcomes.notPosted',
  not_measured_yet: 'loop.outcomes.notMeasured',
} as const

function LoopSummary({ report }: { report: LoopReport }) {
  const { t } = useTranslation()
  return (
    <Card className="mb-6" data-testid="suggestion-outcomes">
      <CardHeader>
        <CardTitle className="text-base">{t('suggestions.loop.title')}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">
        {report.status === 'ok' && report.acted_median_ratio !== null && report.others_median_ratio !== null ? (
          <>
            <p>
              {t('suggestions.loop.result', {
                measured: report.measured,
                acted: report.acted_median_ratio.toFixed(1),
                others: report.others_median_ratio.toFixed(1),
              })}
            </p>
            {report.lift !== null && (
              <p className="font-medium" data-testid="suggestion-lift" data-lift={report.lift}>
                {t(report.lift >= 1 ? 'loop.outcomes.liftUp' : 'loop.outcomes.liftDown', { lift: report.lift.toFixed(2) })}
              </p>
            )}
          </>
        ) : (
          <p className="text-muted-foreground">{report.message}</p>
        )}
        {report.outcomes.length > 0 && (
          <ul className="space-y-1 text-muted-foreground" aria-label={t('loop.outcomes.listLabel')}>
            {report.outcomes.slice(0, 5).map((o) => (
              <li key={o.suggestion_id} className="break-words">
                {o.title}
                {': '}
                {o.status === 'measured' && o.ratio !== null
                  ? t('loop.outcomes.measured', { ratio: o.ratio.toFixed(1), count: o.posts })
                  : t(OUTCOME_KEYS[o.status === 'measured' ? 'not_measured_yet' : o.status])}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

/** Suggestions from my own results, by category: read, dismiss, "make this" (premium). */
export function SuggestionsPage() {
  const { t } = useTranslation()
  const me = useMe()
  const allowed = me.data?.limits.can_use_ai_suggestions === true
  const [category, setCategory] = useState<SuggestionType | 'all'>('all')
  const list = useSuggestions(category === 'all' ? null : category, allowed)
  const outcomes = useSuggestionOutcomes(allowed)
  const generate = useGenerateSuggestions()

  const header = (
    <PageHeader
      title={t('pages.suggestions.title')}
      description={t('pages.suggestions.description')}
      actions={
        allowed ? (
          <Button variant="outline" size="sm" disabled={generate.isPending} onClick={() => generate.mutate()}>
            <RefreshCw aria-hidden />
            {t('suggestions.generate')}
          </Button>
        ) : undefined
      }
    />
  )

  if (me.isPending) return <PageSkeleton />
  if (!allowed) {
    return (
      <>
        {header}
        <UpgradeForFeature feature="suggestions" className="mb-6" />
        <EmptyState icon={Lightbulb} title={t('suggestions.lockedTitle')} description={t('suggestions.lockedDescription')} />
      </>
    )
  }

  const items = list.data?.items ?? []
  return (
    <>
      {header}
      {generate.isSuccess && (
        <p role="status" className="mb-4 text-sm text-muted-foreground">
          {t('suggestions.generating')}
        </p>
      )}
      {generate.isError && <ErrorAlert error={generate.error} className="mb-4" />}
      {outcomes.data && <LoopSummary report={outcomes.data} />}
      <Tabs value={category} onValueChange={(v) => setCategory(v as SuggestionType | 'all')}>
        <TabsList aria-label={t('suggestions.categories')}>
          {CATEGORIES.map((c) => (
            <TabsTrigger key={c} value={c}>
              {c === 'all' ? t('suggestions.all') : t(TYPE_KEYS[c])}
            </TabsTrigger>
          ))}
        </TabsList>
        {/* one panel for whichever category is chosen: the chosen tab controls it */}
        <TabsContent value={category} className="mt-4">
      {list.isError && <ErrorAlert error={list.error} className="mb-4" />}
      {list.isPending ? (
        <PageSkeleton />
      ) : items.length === 0 ? (
        <EmptyState
          icon={Lightbulb}
          title={t('pages.suggestions.emptyTitle')}
          description={t('suggestions.emptyNeeds')}
        />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {items.map((s) => (
            <SuggestionCard key={s.id} suggestion={s} />
          ))}
        </div>
      )}
        </TabsContent>
      </Tabs>
    </>
  )
}
