import { useTranslation } from 'react-i18next'
import { Badge } from '@/components/ui/badge'
import type { DailyLimit } from '@/hooks/useDailyLimit'

/** "2 of 3 videos left today" (nothing when the server sends no limit). */
export function DailyLimitNotice({ limit }: { limit: DailyLimit | null }) {
  const { t } = useTranslation()
  if (!limit) return null
  if (limit.limit === null) return <Badge variant="success">{t('createVideo.unlimited')}</Badge>
  const remaining = limit.remaining ?? limit.limit
  return (
    <Badge variant={remaining > 0 ? 'secondary' : 'destructive'} data-testid="daily-limit">
      {t('createVideo.remainingToday', { remaining, limit: limit.limit })}
    </Badge>
  )
}

