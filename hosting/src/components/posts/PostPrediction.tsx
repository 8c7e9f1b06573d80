import { Crown, TrendingUp } from 'lucide-react'
import { useContext } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { SUBSCRIPTION_PATH } from '@/components/billing/UpgradePrompt'
import { AuthContext } from '@/contexts/auth'
import { useMe } from '@/hooks/useMe'
import { useVideoPrediction, type SocialPlatform, type VideoPrediction } from '@/hooks/useSuggestions'
import { PLATFORM_KEY } from '@/lib/post-labels'

const TOP_FACTORS = 3

/** The local hour of an instant in a time zone (0-23). */
export function hourIn(date: Date, timeZone: string): number {
  const text = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(date)
  return Number(text) % 24
}

function Result({ prediction }: { prediction: VideoPrediction }) {
  const { t, i18n } = useTranslation()
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n)
  if (prediction.status !== 'ok' || prediction.low === null || prediction.high === null || prediction.expected_views === null) {
    return (
      <p className="text-muted-foreground text-xs" data-testid={`post-prediction-${prediction.platform}-none`}>
        {t('loop.predict.notEnough')}
        {prediction.message ? ` ${prediction.message}` : ''}
      </p>
    )
  }
  const factors = prediction.factors.slice(0, TOP_FACTORS)
  return (
    <div className="space-y-1">
      <p
        data-testid={`post-prediction-${prediction.platform}-range`}
        data-low={prediction.low}
        data-high={prediction.high}
      >
        {t('loop.predict.range', { low: number(prediction.low), high: number(prediction.high), expected: number(prediction.expected_views) })}
      </p>
      {factors.length > 0 ? (
        <ul className="text-muted-foreground space-y-0.5 text-xs" aria-label={t('loop.predict.factorsLabel')}>
          {factors.map((f) => (
            <li key={`${f.name}-${f.value}`}>
              {t(f.direction === 'up' ? 'loop.predict.factorUp' : f.direction === 'down' ? 'loop.predict.factorDown' : 'loop.predict.factorNeutral', {
                label: f.label,
                effect: f.effect.toFixed(2),
                posts: f.posts,
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-muted-foreground text-xs">{t('loop.predict.noFactors')}</p>
      )}
      {prediction.message && <p className="text-muted-foreground text-xs">{prediction.message}</p>}
    </div>
  )
}

function PlatformPrediction({ videoId, platform, hour }: { videoId: string; platform: SocialPlatform; hour: number | null }) {
  const { t } = useTranslation()
  const prediction = useVideoPrediction(videoId, platform, hour, true)
  return (
    <li className="space-y-0.5" data-testid={`post-prediction-${platform}`}>
      <p className="font-medium">{t(PLATFORM_KEY[platform])}</p>
      {prediction.isPending ? (
        <p className="text-muted-foreground text-xs">{t('common.loading')}</p>
      ) : prediction.isError ? (
        <p className="text-muted-foreground text-xs">{t('loop.predict.failed')}</p>
      ) : (
        <Result prediction={prediction.data} />
      )}
    </li>
  )
}

/**
 * The expected views of the chosen video on each chosen platform at the planned hour, as a
 * range with the factors that move it (premium: the suggestions' prediction). A free user
 * sees one line with the upgrade link; a plan without suggestions otherwise, nothing.
 */
export function PostPrediction({ videoId, platforms, hour }: { videoId: string; platforms: SocialPlatform[]; hour: number | null }) {
  const { t } = useTranslation()
  const me = useMe()
  const role = useContext(AuthContext)?.user?.role
  const allowed = me.data?.limits.can_use_ai_suggestions === true
  if (!videoId || platforms.length === 0 || me.isPending) return null
  if (!allowed) {
    if (role !== 'free') return null
    return (
      <p className="text-muted-foreground flex flex-wrap items-center gap-1 text-xs" data-testid="post-prediction-teaser">
        <Crown className="size-3.5" aria-hidden />
        {t('loop.predict.teaser')}{' '}
        <Link to={SUBSCRIPTION_PATH} className="text-primary font-medium hover:underline">
          {t('upgrade.action')}
        </Link>
      </p>
    )
  }
  return (
    <section className="rounded-lg border p-3 text-sm" aria-labelledby="post-prediction-title" data-testid="post-prediction">
      <h3 id="post-prediction-title" className="text-muted-foreground mb-2 flex items-center gap-1">
        <TrendingUp className="size-3.5" aria-hidden />
        {hour === null ? t('loop.predict.title') : t('loop.predict.titleAt', { hour: String(hour).padStart(2, '0') })}
      </h3>
      <ul className="space-y-2">
        {platforms.map((p) => (
          <PlatformPrediction key={p} videoId={videoId} platform={p} hour={hour} />
        ))}
      </ul>
    </section>
  )
}
