import { Bell, CreditCard, KeyRound, Palette, UserRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'
import { PageHeader } from '@/components/PageHeader'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs'
import { ApiTokenSettings } from './ApiTokenSettings'
import { AppearanceSettings } from './AppearanceSettings'
import { NotificationSettings } from './NotificationSettings'
import { ProfileSettings } from './ProfileSettings'
import { ProviderFallbackSettings } from './ProviderFallbackSettings'
import { SubscriptionSettings } from './SubscriptionSettings'

export function SettingsPage() {
  const { t } = useTranslation()
  const { pathname } = useLocation()
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <Tabs defaultValue={pathname.endsWith('/subscription') ? 'subscription' : 'profile'}>
        <TabsList>
          <TabsTrigger value="profile">
            <UserRound aria-hidden />
            {t('settings.tabs.profile')}
          </TabsTrigger>
          <TabsTrigger value="appearance">
            <Palette aria-hidden />
            {t('settings.tabs.appearance')}
          </TabsTrigger>
          <TabsTrigger value="notifications">
            <Bell aria-hidden />
            {t('settings.tabs.notifications')}
          </TabsTrigger>
          <TabsTrigger value="subscription">
            <CreditCard aria-hidden />
            {t('settings.tabs.subscription')}
          </TabsTrigger>
          <TabsTrigger value="tokens">
            <KeyRound aria-hidden />
            {t('apiTokens.tab')}
          </TabsTrigger>
        </TabsList>
        <TabsContent value="profile" className="flex flex-col gap-6">
          <ProfileSettings />
          <ProviderFallbackSettings />
        </TabsContent>
        <TabsContent value="appearance">
          <AppearanceSettings />
        </TabsContent>
        <TabsContent value="notifications">
          <NotificationSettings />
        </TabsContent>
        <TabsContent value="subscription">
          <SubscriptionSettings />
        </TabsContent>
        <TabsContent value="tokens">
          <ApiTokenSettings />
        </TabsContent>
      </Tabs>
    </>
  )
}
