import { useTranslation } from 'react-i18next'
import { cn } from '@/lib/utils'

export function LogoMark({ className }: { className?: string }) {
  return (
    <span
      aria-hidden
      className={cn(
        'inline-flex size-8 items-center justify-center rounded-lg bg-brand-gradient shadow-lg shadow-brand-violet/30',
        className,
      )}
    >
      <svg viewBox="0 0 24 24" className="size-4 translate-x-px fill-white">
        <path d="M8 5.5v13l10.5-6.5z" />
      </svg>
    </span>
  )
}

export function Logo({ className }: { className?: string }) {
  const { t } = useTranslation()
  return (
    <span className={cn('inline-flex items-center gap-2.5 font-semibold tracking-tight', className)}>
      <LogoMark />
      <span className="text-lg">{t('app.name')}</span>
    </span>
  )
}
