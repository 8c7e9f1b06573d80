import { Suspense, type ReactNode } from 'react'
import { Outlet } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Logo } from '@/components/layout/Logo'
import { ThemeToggle } from '@/components/layout/ThemeToggle'
import { FullPageLoader } from '@/components/FullPageLoader'

/** Gradient backdrop with a grid and glowing orbs, for sign-in, setup and full-page states. */
export function AuthBackdrop({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <div className="relative isolate flex min-h-dvh flex-col overflow-hidden">
      <div aria-hidden className="pointer-events-none absolute inset-0 -z-10">
        <div className="absolute inset-0 bg-grid [mask-image:radial-gradient(ellipse_at_center,black_30%,transparent_75%)]" />
        <div className="absolute -left-32 -top-40 size-[32rem] animate-glow rounded-full bg-brand-cyan/25 blur-3xl" />
        <div className="absolute -right-40 top-1/4 size-[30rem] animate-glow rounded-full bg-brand-fuchsia/20 blur-3xl [animation-delay:-2s]" />
        <div className="absolute -bottom-48 left-1/3 size-[34rem] animate-glow rounded-full bg-brand-violet/25 blur-3xl [animation-delay:-4s]" />
      </div>
      <header className="flex items-center justify-between px-5 py-4 sm:px-8">
        <Logo />
        <ThemeToggle />
      </header>
      <main className="flex flex-1 items-center justify-center px-4 pb-16 pt-4">{children}</main>
      <footer className="pb-6 text-center text-xs text-muted-foreground">{t('app.tagline')}</footer>
    </div>
  )
}

export function AuthLayout() {
  return (
    <AuthBackdrop>
      <Suspense fallback={<FullPageLoader inline />}>
        <Outlet />
      </Suspense>
    </AuthBackdrop>
  )
}
