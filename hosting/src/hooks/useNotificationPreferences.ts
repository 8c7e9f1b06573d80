import { useCallback } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { profileKey, useProfile } from '@/hooks/useProfile'

type NotificationType = components['schemas']['NotificationType']
type NotificationPrefs = components['schemas']['NotificationPreferences']
// What the profile PATCH accepts: the same fields, with muted types checked against the enum.
type NotificationPrefsPatch = components['schemas']['NotificationPreferencesPatch']
type Profile = components['schemas']['UserOut']

/**
 * What the settings page offers to silence in the app, and the notification
 * types behind each. `system` notices cannot be muted and `welcome` comes
 * once, so neither is listed.
 */
export const NOTIFICATION_CATEGORIES = {
  videoCompleted: ['video_complete'],
  videoFailed: ['video_failed'],
  postPublished: ['post_published', 'scheduled_post'],
  postFailed: ['post_failed'],
  connections: ['integration_error', 'social_disconnect'],
  billing: ['payment_success', 'payment_failed', 'subscription_expiring', 'subscription_cancelled'],
} as const satisfies Record<string, readonly NotificationType[]>

export type NotificationCategory = keyof typeof NOTIFICATION_CATEGORIES
export const CATEGORY_ORDER = Object.keys(NOTIFICATION_CATEGORIES) as NotificationCategory[]

const DEFAULT_PREFS: NotificationPrefs = { muted_types: [], email: true, email_unsubscribed: [] }

/**
 * My notification preferences, stored on my account (`preferences.notifications`
 * of `users-get_profile`): in-app per category (the server skips muted types),
 * and whether I want email. Changes show at once and roll back if the save fails.
 */
export function useNotificationPreferences() {
  const profile = useProfile()
  const queryClient = useQueryClient()
  const prefs = profile.data?.preferences.notifications ?? DEFAULT_PREFS

  const save = useMutation({
    mutationFn: (notifications: NotificationPrefs) =>
      unwrap(
        api.PATCH('/api/v1/users/profile', {
          // A field left out keeps its value.
          body: { notifications: notifications as NotificationPrefsPatch },
        }),
      ),
    onMutate: async (notifications) => {
      await queryClient.cancelQueries({ queryKey: profileKey })
      const previous = queryClient.getQueryData<Profile>(profileKey)
      if (previous) {
        queryClient.setQueryData<Profile>(profileKey, {
          ...previous,
          preferences: { ...previous.preferences, notifications },
        })
      }
      return { previous }
    },
    onError: (_error, _sent, context) => {
      if (context?.previous) queryClient.setQueryData(profileKey, context.previous)
    },
    onSuccess: (saved) => queryClient.setQueryData(profileKey, saved),
  })

  const current = useCallback(
    () => queryClient.getQueryData<Profile>(profileKey)?.preferences.notifications ?? DEFAULT_PREFS,
    [queryClient],
  )

  const inApp = (category: NotificationCategory) =>
    NOTIFICATION_CATEGORIES[category].every((type) => !(prefs.muted_types ?? []).includes(type))

  const setInApp = useCallback(
    (category: NotificationCategory, on: boolean) => {
      const latest = current()
      const muted = new Set(latest.muted_types ?? [])
      for (const type of NOTIFICATION_CATEGORIES[category]) {
        if (on) muted.delete(type)
        else muted.add(type)
      }
      save.mutate({ ...latest, muted_types: [...muted].sort() })
    },
    [current, save],
  )

  // Turning email on again also clears the kinds an email's unsubscribe link turned off.
  const setEmail = useCallback(
    (on: boolean) => save.mutate({ ...current(), email: on, ...(on ? { email_unsubscribed: [] } : {}) }),
    [current, save],
  )

  return {
    isLoading: profile.isLoading,
    loadError: profile.error,
    refetch: profile.refetch,
    inApp,
    email: prefs.email,
    setInApp,
    setEmail,
    saveError: save.error,
  }
}
