import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { cn } from '@/lib/utils'

export function EmptyState({
  icon: Icon,
  title,
  description,
  action,
  className,
}: {
  icon: LucideIcon
  title: string
  description?: string
  action?: ReactNode
  className?: string
}) {
  return (
    <div
      className={cn(
        'flex flex-col items-center justify-center rounded-xl border border-dashed bg-card/40 px-6 py-16 text-center animate-fade-in',
        className,
      )}
    >
      <span className="relative mb-5 flex size-14 items-center justify-center rounded-2xl bg-brand-gradient/10">
        <span aria-hidden className="absolute inset-0 rounded-2xl bg-brand-gradient opacity-15" />
        <Icon className="relative size-6 text-primary" aria-hidden />
      </span>
      <h2 className="text-lg font-semibold">{title}</h2>
      {description && <p className="mt-2 max-w-md text-sm text-muted-foreground">{description}</p>}
      {action && <div className="mt-6">{action}</div>}
    </div>
  )
}
