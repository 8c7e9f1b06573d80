import { Menu } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Button } from '@/components/ui/button'
import { LogoMark } from './Logo'
import { ConnectedNotificationBell } from './ConnectedNotificationBell'
import { ThemeToggle } from './ThemeToggle'
import { UserMenu } from './UserMenu'

export function Header({ onOpenMenu }: { onOpenMenu: () => void }) {
  const { t } = useTranslation()
  return (
    <header className="sticky top-0 z-20 flex h-16 items-center gap-2 border-b bg-background/80 px-4 backdrop-blur-md sm:px-6">
      <Button variant="ghost" size="icon" className="lg:hidden" onClick={onOpenMenu} aria-label={t('nav.openMenu')}>
        <Menu aria-hidden />
      </Button>
      <LogoMark className="lg:hidden" />
      <div className="flex-1" />
      <ThemeToggle />
      <ConnectedNotificationBell />
      <UserMenu />
    </header>
  )
}
