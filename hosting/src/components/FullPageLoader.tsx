import { useTranslation } from 'react-i18next'
import { LogoMark } from '@/components/layout/Logo'
import { cn } from '@/lib/utils'

export function FullPageLoader({ inline = false }: { inline?: boolean }) {
  const { t } = useTranslation()
  return (
    <div
      role="status"
      aria-live="polite"
      className={cn('flex flex-col items-center justify-center gap-4', inline ? 'py-16' : 'min-h-dvh')}
    >
      <LogoMark className="size-12 animate-pulse rounded-2xl" />
      <span className="text-sm text-muted-foreground">{t('common.loading')}</span>
    </div>
  )
}
