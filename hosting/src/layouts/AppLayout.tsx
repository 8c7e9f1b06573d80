import { Suspense, useState } from 'react'
import { Outlet } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Dialog, DialogDescription, DialogTitle, SheetContent } from '@/components/ui/dialog'
import { AnnouncementBanner } from '@/components/layout/AnnouncementBanner'
import { Header } from '@/components/layout/Header'
import { Sidebar, SidebarBody } from '@/components/layout/Sidebar'
import { PageSkeleton } from '@/components/PageSkeleton'

/** Signed-in shell: fixed sidebar from 1024 px, a drawer below that. */
export function AppLayout() {
  const { t } = useTranslation()
  const [menuOpen, setMenuOpen] = useState(false)
  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-background focus:px-4 focus:py-2"
      >
        {t('nav.skipToContent')}
      </a>
      <Sidebar />
      <Dialog open={menuOpen} onOpenChange={setMenuOpen}>
        <SheetContent>
          <DialogTitle className="sr-only">{t('nav.label')}</DialogTitle>
          <DialogDescription className="sr-only">{t('nav.drawerDescription')}</DialogDescription>
          <SidebarBody onNavigate={() => setMenuOpen(false)} />
        </SheetContent>
      </Dialog>
      <div className="flex min-h-dvh flex-col lg:pl-64">
        <Header onOpenMenu={() => setMenuOpen(true)} />
        <AnnouncementBanner />
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  )
}
