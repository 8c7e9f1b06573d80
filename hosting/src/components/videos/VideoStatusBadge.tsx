import { Ban, CheckCircle2, Clock, Loader2, PencilLine, TimerOff, XCircle } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { VideoStatus } from '@/api/types'
import { Badge } from '@/components/ui/badge'
import { VIDEO_STATUS_BADGE } from '@/lib/video-status'
import { cn } from '@/lib/utils'

const ICONS = {
  queued: Clock,
  processing: Loader2,
  completed: CheckCircle2,
  failed: XCircle,
  review: PencilLine,
  cancelled: Ban,
  expired: TimerOff,
} as const

export function VideoStatusBadge({ status, className }: { status: VideoStatus; className?: string }) {
  const { t } = useTranslation()
  const style = VIDEO_STATUS_BADGE[status] ?? VIDEO_STATUS_BADGE.queued
  const Icon = ICONS[status] ?? Clock
  return (
    <Badge variant={style.variant} className={className} data-status={status}>
      <Icon aria-hidden className={cn(status === 'processing' && 'animate-spin')} />
      {t(style.labelKey)}
    </Badge>
  )
}
