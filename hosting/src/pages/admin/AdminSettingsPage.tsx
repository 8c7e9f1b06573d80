import { useTranslation } from 'react-i18next'
import { ErrorAlert } from '@/components/ErrorAlert'
import { PageHeader } from '@/components/PageHeader'
import { AnnouncementSettingForm, FeaturesSettingForm, LimitsSettingForm } from '@/components/admin/SettingForms'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useAdminSettings } from '@/hooks/useAdminSettings'

const FORMS = {
  limits: LimitsSettingForm,
  features: FeaturesSettingForm,
  announcement: AnnouncementSettingForm,
} as const

/** `/admin/settings`: per-role limits, feature flags and the announcement, each saved on its own. */
export function AdminSettingsPage() {
  const { t } = useTranslation()
  const settings = useAdminSettings()
  const byKey = new Map((settings.data?.items ?? []).map((s) => [s.key, s]))
  return (
    <>
      <PageHeader title={t('pages.adminSettings.title')} description={t('pages.adminSettings.description')} />
      {settings.isError ? (
        <ErrorAlert
          error={settings.error}
          action={
            <Button size="sm" variant="outline" onClick={() => void settings.refetch()}>
              {t('common.retry')}
            </Button>
          }
        />
      ) : settings.isPending ? (
        <div className="flex flex-col gap-6" aria-busy="true" aria-label={t('common.loading')}>
          <Skeleton className="h-72 w-full" />
          <Skeleton className="h-48 w-full" />
        </div>
      ) : (
        <div className="flex flex-col gap-6">
          {(Object.keys(FORMS) as (keyof typeof FORMS)[]).map((key) => {
            const setting = byKey.get(key)
            if (!setting) return null
            const Form = FORMS[key]
            // Re-mount the form (dropping the draft) whenever the stored value changes.
            return <Form key={`${key}-${setting.updated_at ?? 'default'}-${setting.is_default}`} setting={setting} />
          })}
        </div>
      )}
    </>
  )
}
