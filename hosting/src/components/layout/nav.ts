import type { ParseKeys } from 'i18next'
import {
  BarChart3,
  CalendarDays,
  Clapperboard,
  LayoutDashboard,
  LayoutTemplate,
  Lightbulb,
  type LucideIcon,
  Plug,
  Send,
  Settings,
  Share2,
  ShieldCheck,
  Sparkles,
} from 'lucide-react'

export interface NavItem {
  to: string
  labelKey: ParseKeys
  icon: LucideIcon
  adminOnly?: boolean
}

export interface NavSection {
  labelKey: ParseKeys
  items: NavItem[]
}

/** The sidebar, in order. Routes live in src/router/index.tsx. */
export const NAV_SECTIONS: NavSection[] = [
  {
    labelKey: 'nav.sections.create',
    items: [
      { to: '/', labelKey: 'nav.dashboard', icon: LayoutDashboard },
      { to: '/create', labelKey: 'nav.createVideo', icon: Sparkles },
      { to: '/videos', labelKey: 'nav.videos', icon: Clapperboard },
      { to: '/templates', labelKey: 'nav.templates', icon: LayoutTemplate },
      { to: '/integrations', labelKey: 'nav.integrations', icon: Plug },
    ],
  },
  {
    labelKey: 'nav.sections.publish',
    items: [
      { to: '/posts', labelKey: 'nav.posts', icon: Send },
      { to: '/calendar', labelKey: 'nav.calendar', icon: CalendarDays },
      { to: '/analytics', labelKey: 'nav.analytics', icon: BarChart3 },
      { to: '/suggestions', labelKey: 'nav.suggestions', icon: Lightbulb },
      { to: '/social-accounts', labelKey: 'nav.socialAccounts', icon: Share2 },
    ],
  },
  {
    labelKey: 'nav.sections.account',
    items: [
      { to: '/settings', labelKey: 'nav.settings', icon: Settings },
      { to: '/admin', labelKey: 'nav.admin', icon: ShieldCheck, adminOnly: true },
    ],
  },
]
