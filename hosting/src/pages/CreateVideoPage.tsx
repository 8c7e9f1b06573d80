import { useEffect, useState, type FormEvent } from 'react'
import { ArrowLeft, ArrowRight, Check, Sparkles } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError } from '@/api/errors'
import type { Template } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { UpgradeButtonIfFree } from '@/components/billing/UpgradePrompt'
import { PageHeader } from '@/components/PageHeader'
import { FormField } from '@/components/form'
import { KeyWarnings } from '@/components/integrations/KeyWarnings'
import { ReadinessCard } from '@/components/integrations/ReadinessCard'
import { TemplatePicker } from '@/components/templates/TemplatePicker'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Switch } from '@/components/ui/switch'
import { Textarea } from '@/components/ui/textarea'
import { useDailyLimit } from '@/hooks/useDailyLimit'
import { BatchUploadDialog } from '@/components/videos/BatchUploadDialog'
import { DailyLimitNotice } from '@/components/videos/DailyLimitNotice'
import { ReviewScriptChoice, reviewScriptBody, type ReviewChoice } from '@/components/videos/ReviewScriptChoice'
import { VideoChoicesFields, choicesBody, choicesFromParams, useChoiceLabels, type ChoiceState } from '@/components/videos/VideoChoicesFields'
import { useTemplate } from '@/hooks/useTemplates'
import { useMarkSuggestionActed } from '@/hooks/useSuggestions'
import { useCreateVideo } from '@/hooks/useVideos'
import { enumLabel } from '@/lib/enum-label'
import { mapFieldErrors } from '@/lib/field-errors'
import { cn } from '@/lib/utils'

const TOPIC_MIN = 3
const TOPIC_MAX = 200
const INSTRUCTIONS_MAX = 1000

type WizardStep = 0 | 1 | 2

function Stepper({ step }: { step: WizardStep }) {
  const { t } = useTranslation()
  const labels = [t('createVideo.steps.template'), t('createVideo.steps.topic'), t('createVideo.steps.confirm')]
  return (
    <ol className="mb-6 flex items-center gap-2 text-sm" aria-label={t('createVideo.stepsLabel')}>
      {labels.map((label, i) => (
        <li key={label} className="flex items-center gap-2" aria-current={i === step ? 'step' : undefined}>
          <span
            className={cn(
              'flex size-7 shrink-0 items-center justify-center rounded-full border text-xs font-semibold',
              i < step && 'border-primary bg-primary text-primary-foreground',
              i === step && 'border-primary text-primary',
              i > step && 'text-muted-foreground',
            )}
          >
            {i < step ? <Check className="size-3.5" aria-hidden /> : i + 1}
          </span>
          <span className={cn('hidden sm:inline', i === step ? 'font-medium' : 'text-muted-foreground')}>{label}</span>
          {i < labels.length - 1 && <span aria-hidden className="mx-1 h-px w-6 bg-border sm:w-10" />}
        </li>
      ))}
    </ol>
  )
}

export function CreateVideoPage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const limit = useDailyLimit()
  const create = useCreateVideo()
  // `/create?template=<id>` (from a template's "Create a video") starts at the topic step;
  // a suggestion's "make this" adds `topic`, choices and `suggestion` (its id).
  const [params] = useSearchParams()
  const acted = useMarkSuggestionActed()
  const [step, setStep] = useState<WizardStep>(0)
  const [template, setTemplate] = useState<Template | null>(null)
  const [topic, setTopic] = useState(() => params.get('topic') ?? '')
  const [instructions, setInstructions] = useState('')
  const [useVideoAi, setUseVideoAi] = useState(false)
  const [review, setReview] = useState<ReviewChoice>('auto')
  const [choices, setChoices] = useState<ChoiceState>(() => choicesFromParams(params))
  const choiceLabels = useChoiceLabels(choices)
  const [touched, setTouched] = useState(false)
  const preset = useTemplate(params.get('template') ?? undefined)
  useEffect(() => {
    if (preset.data && !template) {
      setTemplate(preset.data)
      setStep(1)
    }
  }, [preset.data]) // eslint-disable-line react-hooks/exhaustive-deps

  const topicText = topic.trim().replace(/\s+/g, ' ')
  const topicError =
    topicText.length < TOPIC_MIN
      ? t('createVideo.topicTooShort', { min: TOPIC_MIN })
      : topicText.length > TOPIC_MAX
        ? t('createVideo.topicTooLong', { max: TOPIC_MAX })
        : null
  const serverErrors = mapFieldErrors(create.error)
  const outOfVideos = limit?.remaining === 0

  const submitTopic = (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (!topicError) setStep(2)
  }

  const generate = () => {
    if (!template) return
    create.mutate(
      {
        template_id: template.id,
        topic: topicText,
        instructions: instructions.trim() || null,
        use_video_ai: useVideoAi,
        integrations: {},
        choices: choicesBody(choices),
        review_script: reviewScriptBody(review),
      },
      {
        onSuccess: (video) => {
          // made from a suggestion: record it, so the suggestion's results are measured
          const suggestion = params.get('suggestion')
          if (suggestion) acted.mutate({ id: suggestion, videoId: video.id })
          void navigate(`/videos/${video.id}`)
        },
        onError: (error) => {
          const fields = mapFieldErrors(error)
          const onTopicStep = Object.keys(fields).some((k) => k === 'topic' || k === 'instructions' || k.startsWith('choices'))
          if (error instanceof ApiError && error.status === 422 && onTopicStep) setStep(1)
        },
      },
    )
  }

  return (
    <>
      <PageHeader
        title={t('pages.createVideo.title')}
        description={t('pages.createVideo.description')}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <DailyLimitNotice limit={limit} />
            <BatchUploadDialog />
          </div>
        }
      />
      <Stepper step={step} />

      {step === 0 && (
        <section aria-labelledby="pick-template">
          <h2 id="pick-template" className="mb-4 text-lg font-semibold">
            {t('createVideo.pickTemplate')}
          </h2>
          <TemplatePicker selectedId={template?.id ?? null} onSelect={setTemplate} />
          <div className="sticky bottom-0 mt-6 flex justify-end border-t bg-background/90 py-4 backdrop-blur">
            <Button variant="brand" disabled={!template} onClick={() => setStep(1)} data-testid="wizard-next">
              {t('common.next')}
              <ArrowRight aria-hidden />
            </Button>
          </div>
        </section>
      )}

      {step === 1 && (
        <form onSubmit={submitTopic} noValidate className="mx-auto flex max-w-2xl flex-col gap-5">
          <p className="text-sm text-muted-foreground">{t('createVideo.usingTemplate', { name: template?.name ?? '' })}</p>
          <FormField
            id="topic"
            label={t('createVideo.topic')}
            error={(touched && topicError) || serverErrors.topic}
            hint={t('createVideo.topicHint', { count: topicText.length, max: TOPIC_MAX })}
          >
            <Input
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              placeholder={t('createVideo.topicPlaceholder')}
              maxLength={TOPIC_MAX + 20}
              autoFocus
            />
          </FormField>
          <FormField
            id="instructions"
            label={t('createVideo.instructions')}
            error={serverErrors.instructions}
            hint={t('createVideo.instructionsHint', { max: INSTRUCTIONS_MAX })}
          >
            <Textarea
              value={instructions}
              onChange={(e) => setInstructions(e.target.value)}
              placeholder={t('createVideo.instructionsPlaceholder')}
              maxLength={INSTRUCTIONS_MAX}
              rows={4}
            />
          </FormField>
          <VideoChoicesFields config={template?.config} value={choices} onChange={setChoices} errors={serverErrors} />
          <ReviewScriptChoice value={review} onChange={setReview} />
          <FormField id="video-ai" label={t('createVideo.useVideoAi')} hint={t('createVideo.useVideoAiHint')} layout="switch">
            <Switch checked={useVideoAi} onCheckedChange={setUseVideoAi} />
          </FormField>
          <div className="flex justify-between gap-2">
            <Button variant="outline" onClick={() => setStep(0)}>
              <ArrowLeft aria-hidden />
              {t('common.back')}
            </Button>
            <Button type="submit" variant="brand" data-testid="wizard-next">
              {t('common.next')}
              <ArrowRight aria-hidden />
            </Button>
          </div>
        </form>
      )}

      {step === 2 && template && (
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <Card>
            <CardHeader>
              <CardTitle>{t('createVideo.confirmTitle')}</CardTitle>
            </CardHeader>
            <CardContent className="flex flex-col gap-5">
              <dl className="grid gap-4 sm:grid-cols-2">
                <div>
                  <dt className="text-xs text-muted-foreground">{t('videoDetail.template')}</dt>
                  <dd className="font-medium">{template.name}</dd>
                  <dd className="text-xs text-muted-foreground">{enumLabel(t, 'category', template.category)}</dd>
                </div>
                <div>
                  <dt className="text-xs text-muted-foreground">{t('videoDetail.topic')}</dt>
                  <dd className="break-words font-medium">{topicText}</dd>
                </div>
                {instructions.trim() && (
                  <div className="sm:col-span-2">
                    <dt className="text-xs text-muted-foreground">{t('videoDetail.instructions')}</dt>
                    <dd className="whitespace-pre-line break-words text-sm">{instructions.trim()}</dd>
                  </div>
                )}
                {choiceLabels.map((c) => (
                  <div key={c.label}>
                    <dt className="text-xs text-muted-foreground">{c.label}</dt>
                    <dd className="text-sm font-medium">{c.value}</dd>
                  </div>
                ))}
                <div>
                  <dt className="text-xs text-muted-foreground">{t('createVideo.useVideoAi')}</dt>
                  <dd className="text-sm">{useVideoAi ? t('common.yes') : t('common.no')}</dd>
                </div>
                {limit && (
                  <div>
                    <dt className="text-xs text-muted-foreground">{t('createVideo.dailyLimit')}</dt>
                    <dd>
                      <DailyLimitNotice limit={limit} />
                    </dd>
                  </div>
                )}
              </dl>
              <KeyWarnings />
              {outOfVideos && <ErrorAlert error={new Error(t('createVideo.limitReached'))} action={<UpgradeButtonIfFree />} />}
              {create.error ? <ErrorAlert error={create.error} /> : null}
              <div className="flex justify-between gap-2">
                <Button variant="outline" onClick={() => setStep(1)} disabled={create.isPending}>
                  <ArrowLeft aria-hidden />
                  {t('common.back')}
                </Button>
                <Button variant="brand" size="lg" onClick={generate} disabled={create.isPending} data-testid="generate-video">
                  <Sparkles aria-hidden />
                  {create.isPending ? t('createVideo.starting') : t('createVideo.generate')}
                </Button>
              </div>
            </CardContent>
          </Card>
          <ReadinessCard compact showLink />
        </div>
      )}
    </>
  )
}
