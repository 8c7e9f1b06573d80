import { useEffect, useState } from 'react'
import { RefreshCw } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ApiError } from '@/api/errors'
import { errorMessage } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { readStored, writeStored } from '@/lib/storage'

const STORE_KEY = 'synthora.analytics.nextSyncAt'

/** Seconds the server asked us to wait (429 `details.retry_after_s`), if it said. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.status !== 429) return null
  const details = error.details as { retry_after_s?: unknown } | undefined
  return typeof details?.retry_after_s === 'number' ? details.retry_after_s : null
}

/** Re-renders every `ms` while `active`, so a countdown stays current. */
function useNow(active: boolean, ms = 15_000): [number, () => void] {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const timer = window.setInterval(() => setNow(Date.now()), ms)
    return () => window.clearInterval(timer)
  }, [active, ms])
  return [now, () => setNow(Date.now())]
}

/**
 * "Sync now" with the server's cooldown: after a sync (or a 429) it stays
 * disabled and says when the next one is allowed; the time survives a reload.
 */
export function SyncButton({
  run,
  pending,
  storeKey = STORE_KEY,
  onStarted,
  label,
  successMessage,
  size = 'default',
}: {
  /** Starts the sync; resolves with when the next one is allowed (ISO), if the server said. */
  run: () => Promise<string | null>
  pending: boolean
  storeKey?: string
  onStarted?: () => void
  label?: string
  successMessage?: string
  size?: 'default' | 'sm'
}) {
  const { t } = useTranslation()
  const [nextAt, setNextAt] = useState<number>(() => Number(readStored(storeKey) ?? 0) || 0)
  const [now, refreshNow] = useNow(nextAt > Date.now())
  const waiting = nextAt > now
  const minutes = Math.max(1, Math.ceil((nextAt - now) / 60_000))

  const remember = (at: number) => {
    setNextAt(at)
    refreshNow()
    writeStored(storeKey, String(at))
  }

  const click = async () => {
    try {
      const next = await run()
      if (next) remember(new Date(next).getTime())
      toast.success(successMessage ?? t('analytics.sync.started'))
      onStarted?.()
    } catch (error) {
      const wait = retryAfterSeconds(error)
      if (wait !== null) {
        remember(Date.now() + wait * 1000)
        toast.info(t('analytics.sync.cooldown', { count: Math.max(1, Math.ceil(wait / 60)) }))
      } else {
        toast.error(errorMessage(error, t('common.unknownError')))
      }
    }
  }

  return (
    <Button
      variant="outline"
      size={size}
      onClick={() => void click()}
      disabled={pending || waiting}
      data-testid="analytics-sync"
      aria-describedby={waiting ? `${storeKey}-wait` : undefined}
    >
      <RefreshCw className={pending ? 'animate-spin' : undefined} aria-hidden />
      {pending ? t('analytics.sync.running') : (label ?? t('analytics.sync.now'))}
      {waiting && (
        <span id={`${storeKey}-wait`} className="text-xs font-normal text-muted-foreground">
          {t('analytics.sync.nextIn', { count: minutes })}
        </span>
      )}
    </Button>
  )
}
