import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'

/** Big status code, icon, message and actions: 403, 404 and the error boundary share it. */
export function StatusMessage({
  code,
  icon: Icon,
  title,
  description,
  actions,
  children,
}: {
  code: string
  icon: LucideIcon
  title: string
  description: string
  actions?: ReactNode
  children?: ReactNode
}) {
  return (
    <section className="mx-auto flex max-w-lg flex-col items-center py-12 text-center animate-slide-up">
      <p aria-hidden className="text-brand-gradient text-7xl font-black tracking-tighter sm:text-8xl">
        {code}
      </p>
      <Icon className="mt-4 size-8 text-muted-foreground" aria-hidden />
      <h1 className="mt-4 text-2xl font-bold tracking-tight">{title}</h1>
      <p className="mt-2 text-muted-foreground">{description}</p>
      {children}
      {actions && <div className="mt-8 flex flex-wrap justify-center gap-3">{actions}</div>}
    </section>
  )
}
