import { Info, TriangleAlert } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useRuntimeConfig } from '@/contexts/config'
import { cn } from '@/lib/utils'

const STYLES: Record<string, string> = {
  info: 'border-border bg-muted text-foreground',
  warning: 'border-warning/40 bg-warning/10 text-foreground',
  critical: 'border-destructive/40 bg-destructive/10 text-foreground',
}

/** The admin's announcement (the `announcement` setting), shown to everyone signed in. */
export function AnnouncementBanner() {
  const { t } = useTranslation()
  const { announcement } = useRuntimeConfig()
  if (!announcement?.message.trim()) return null
  const level = announcement.level in STYLES ? announcement.level : 'info'
  const Icon = level === 'info' ? Info : TriangleAlert
  return (
    <div
      role={level === 'critical' ? 'alert' : 'status'}
      aria-label={t('announcement.label')}
      className={cn('flex items-start gap-2 border-b px-4 py-2 text-sm sm:px-6 lg:px-8', STYLES[level])}
    >
      <Icon aria-hidden className="mt-0.5 size-4 shrink-0" />
      <p className="min-w-0 break-words">{announcement.message}</p>
    </div>
  )
}
