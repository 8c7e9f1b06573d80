import { NavLink } from 'react-router'
import { useTranslation } from 'react-i18next'
import { useAuth } from '@/contexts/auth'
import { useRuntimeConfig } from '@/contexts/config'
import { Badge } from '@/components/ui/badge'
import { ROLE_LABEL_KEYS } from '@/lib/roles'
import { cn } from '@/lib/utils'
import { Logo } from './Logo'
import { NAV_SECTIONS } from './nav'

/** Navigation list shared by the desktop sidebar and the mobile drawer. */
export function SidebarNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation()
  const { user } = useAuth()
  const isAdmin = user?.role === 'admin'
  return (
    <nav aria-label={t('nav.label')} className="flex flex-1 flex-col gap-6 overflow-y-auto px-3 py-4">
      {NAV_SECTIONS.map((section) => {
        const items = section.items.filter((item) => !item.adminOnly || isAdmin)
        if (items.length === 0) return null
        return (
          <div key={section.labelKey} className="flex flex-col gap-1">
            <p className="px-3 pb-1 text-[11px] font-semibold uppercase tracking-wider text-muted-foreground">
              {t(section.labelKey)}
            </p>
            {items.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                end={item.to === '/'}
                onClick={onNavigate}
                className={({ isActive }) =>
                  cn(
                    'group relative flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground',
                    isActive &&
                      'bg-accent text-foreground before:absolute before:inset-y-1.5 before:left-0 before:w-0.5 before:rounded-full before:bg-brand-gradient',
                  )
                }
              >
                <item.icon className="size-4 shrink-0" aria-hidden />
                <span className="truncate">{t(item.labelKey)}</span>
              </NavLink>
            ))}
          </div>
        )
      })}
    </nav>
  )
}

function PlanFooter() {
  const { t } = useTranslation()
  const { user } = useAuth()
  const config = useRuntimeConfig()
  if (!user) return null
  return (
    <div className="border-t p-4">
      <div className="flex items-center justify-between gap-2">
        <span className="text-xs text-muted-foreground">{t('nav.plan')}</span>
        <Badge variant={user.role === 'free' ? 'secondary' : 'brand'}>{t(ROLE_LABEL_KEYS[user.role])}</Badge>
      </div>
      <p className="mt-3 truncate text-[11px] text-muted-foreground">
        {t('app.versionLine', { version: config.version, environment: config.environment })}
      </p>
    </div>
  )
}

export function SidebarBody({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <>
      <div className="flex h-16 shrink-0 items-center px-5">
        <Logo />
      </div>
      <SidebarNav onNavigate={onNavigate} />
      <PlanFooter />
    </>
  )
}

export function Sidebar() {
  return (
    <aside className="fixed inset-y-0 left-0 z-30 hidden w-64 flex-col border-r bg-sidebar lg:flex">
      <SidebarBody />
    </aside>
  )
}
