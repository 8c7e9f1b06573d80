import type { ParseKeys } from 'i18next'
import { Monitor, Moon, Sun, type LucideIcon } from 'lucide-react'
import type { Theme } from '@/contexts/theme'

export const THEME_OPTIONS: { value: Theme; labelKey: ParseKeys; icon: LucideIcon }[] = [
  { value: 'dark', labelKey: 'theme.dark', icon: Moon },
  { value: 'light', labelKey: 'theme.light', icon: Sun },
  { value: 'system', labelKey: 'theme.system', icon: Monitor },
]
