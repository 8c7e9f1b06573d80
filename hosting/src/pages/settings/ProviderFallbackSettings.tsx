import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Switch } from '@/components/ui/switch'
import { useProfile, useUpdateProfile } from '@/hooks/useProfile'

/** `preferences.provider_fallback`: whether a failing provider hands its step to the next one. */
export function ProviderFallbackSettings() {
  const { t } = useTranslation()
  const profile = useProfile()
  const update = useUpdateProfile()
  const on = update.isPending && update.variables?.provider_fallback != null
    ? update.variables.provider_fallback
    : (profile.data?.preferences.provider_fallback ?? true)
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('llm.fallback.settingsTitle')}</CardTitle>
        <CardDescription>{t('llm.fallback.settingsDescription')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-2">
        {profile.error ? <ErrorAlert error={profile.error} /> : null}
        {update.error ? <ErrorAlert error={update.error} /> : null}
        {profile.isLoading ? (
          <Skeleton className="h-12 w-full" />
        ) : (
          <label className="flex items-center justify-between gap-4 px-1 py-2">
            <span>
              <span className="block text-sm font-medium">{t('llm.fallback.toggle')}</span>
              <span id="provider-fallback-hint" className="block text-xs text-muted-foreground">
                {t('llm.fallback.toggleHint')}
              </span>
            </span>
            <Switch
              checked={on}
              disabled={update.isPending || !profile.data}
              onCheckedChange={(next) => update.mutate({ provider_fallback: next })}
              aria-label={t('llm.fallback.toggle')}
              aria-describedby="provider-fallback-hint"
              data-testid="provider-fallback"
            />
          </label>
        )}
      </CardContent>
    </Card>
  )
}
