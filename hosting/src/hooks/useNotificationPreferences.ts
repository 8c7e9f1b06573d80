import { useCallback, useState } from 'react'
import { readStoredJson, writeStored } from '@/lib/storage'

export const NOTIFICATION_PREFS_STORAGE_KEY = 'synthora.notification-preferences'

export const NOTIFICATION_CATEGORIES = [
  'videoCompleted',
  'videoFailed',
  'postPublished',
  'postFailed',
  'suggestions',
  'billing',
] as const
export const NOTIFICATION_CHANNELS = ['inApp', 'email'] as const

export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number]
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]
export type NotificationPreferences = Record<NotificationCategory, Record<NotificationChannel, boolean>>

export function defaultNotificationPreferences(): NotificationPreferences {
  const prefs = {} as NotificationPreferences
  for (const category of NOTIFICATION_CATEGORIES) {
    prefs[category] = { inApp: true, email: category === 'videoFailed' || category === 'postFailed' || category === 'billing' }
  }
  return prefs
}

function load(): NotificationPreferences {
  const stored = readStoredJson<Partial<Record<string, Partial<Record<string, unknown>>>>>(NOTIFICATION_PREFS_STORAGE_KEY, {})
  const prefs = defaultNotificationPreferences()
  for (const category of NOTIFICATION_CATEGORIES) {
    for (const channel of NOTIFICATION_CHANNELS) {
      const value = stored[category]?.[channel]
      if (typeof value === 'boolean') prefs[category][channel] = value
    }
  }
  return prefs
}

/**
 * Notification preferences, kept in localStorage on this device until the
 * notifications API exists; then this hook switches to a query + mutation.
 */
export function useNotificationPreferences() {
  const [preferences, setPreferences] = useState<NotificationPreferences>(load)
  const setPreference = useCallback((category: NotificationCategory, channel: NotificationChannel, value: boolean) => {
    setPreferences((current) => {
      const next = { ...current, [category]: { ...current[category], [channel]: value } }
      writeStored(NOTIFICATION_PREFS_STORAGE_KEY, JSON.stringify(next))
      return next
    })
  }, [])
  return { preferences, setPreference }
}
