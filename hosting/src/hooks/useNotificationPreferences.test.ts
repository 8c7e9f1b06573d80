import { act, renderHook } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { NOTIFICATION_PREFS_STORAGE_KEY, useNotificationPreferences } from './useNotificationPreferences'

describe('useNotificationPreferences', () => {
  it('starts from defaults and persists changes in localStorage', () => {
    const first = renderHook(() => useNotificationPreferences())
    expect(first.result.current.preferences.videoCompleted).toEqual({ inApp: true, email: false })
    act(() => first.result.current.setPreference('videoCompleted', 'email', true))
    expect(first.result.current.preferences.videoCompleted.email).toBe(true)
    first.unmount()

    const second = renderHook(() => useNotificationPreferences())
    expect(second.result.current.preferences.videoCompleted.email).toBe(true)
  })

  it('ignores corrupt or unknown stored values', () => {
    window.localStorage.setItem(NOTIFICATION_PREFS_STORAGE_KEY, '{"videoFailed":{"email":"yes"},"bogus":{}}')
    const { result } = renderHook(() => useNotificationPreferences())
    expect(result.current.preferences.videoFailed.email).toBe(true)
    expect(result.current.preferences).not.toHaveProperty('bogus')
  })
})
