import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

export type SettingOut = components['schemas']['SettingOut']
export type SettingsList = components['schemas']['SettingsList']

/** The known setting keys (`app_settings` on the server; others are a 404). */
export type SettingKey = 'limits' | 'features' | 'announcement'

/** One role's limits in the `limits` setting; `null` means unlimited. */
export interface RoleLimits {
  daily_videos: number | null
  max_concurrent: number | null
  retention_days: number | null
  can_schedule: boolean
  ai_suggestions: boolean
}
export type LimitsValue = Record<'free' | 'premium' | 'admin', RoleLimits>
export type FeaturesValue = Record<string, boolean>
export interface AnnouncementValue {
  message: string
  level: 'info' | 'warning' | 'critical'
}

export const adminSettingsKey = ['admin', 'settings'] as const

/** `admin-list_settings`: every setting with its current value (defaults merged in). */
export function useAdminSettings() {
  return useQuery({
    queryKey: adminSettingsKey,
    queryFn: () => unwrap(api.GET('/api/v1/admin/settings')),
  })
}

function replaceIn(queryClient: ReturnType<typeof useQueryClient>, saved: SettingOut) {
  queryClient.setQueryData<SettingsList>(adminSettingsKey, (list) =>
    list ? { items: list.items.map((item) => (item.key === saved.key ? saved : item)) } : list,
  )
}

/** `admin-put_setting`: replace one setting's value (validated by the server: a 422 names the fields). */
export function useSaveSetting(key: SettingKey) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (value: Record<string, unknown>) =>
      unwrap(api.POST('/api/v1/admin/settings/{key}', { params: { path: { key } }, body: { value } })),
    onSuccess: (saved) => replaceIn(queryClient, saved),
  })
}

/** `admin-reset_setting`: back to the defaults. */
export function useResetSetting(key: SettingKey) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/admin/settings/{key}', { params: { path: { key } } })),
    onSuccess: (saved) => replaceIn(queryClient, saved),
  })
}
