import { useTranslation } from 'react-i18next'
import type { ParseKeys } from 'i18next'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { THEME_OPTIONS } from '@/components/layout/theme-options'
import { useTheme, type Theme } from '@/contexts/theme'
import { cn } from '@/lib/utils'

const DESCRIPTION_KEYS = {
  dark: 'settings.appearance.darkDescription',
  light: 'settings.appearance.lightDescription',
  system: 'settings.appearance.systemDescription',
} as const satisfies Record<Theme, ParseKeys>

export function AppearanceSettings() {
  const { t } = useTranslation()
  const { theme, setTheme } = useTheme()
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.appearance.title')}</CardTitle>
        <CardDescription>{t('settings.appearance.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <div role="radiogroup" aria-label={t('settings.appearance.theme')} className="grid gap-3 sm:grid-cols-3">
          {THEME_OPTIONS.map((option) => {
            const selected = theme === option.value
            return (
              <button
                key={option.value}
                type="button"
                role="radio"
                aria-checked={selected}
                onClick={() => setTheme(option.value)}
                className={cn(
                  'flex flex-col items-start gap-2 rounded-xl border p-4 text-left transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                  selected && 'border-primary bg-accent ring-1 ring-primary',
                )}
              >
                <option.icon className={cn('size-5', selected ? 'text-primary' : 'text-muted-foreground')} aria-hidden />
                <span className="font-medium">{t(option.labelKey)}</span>
                <span className="text-xs text-muted-foreground">{t(DESCRIPTION_KEYS[option.value])}</span>
              </button>
            )
          })}
        </div>
      </CardContent>
    </Card>
  )
}
