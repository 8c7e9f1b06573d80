import type { TFunction } from 'i18next'
import { ApiError } from '@/api/errors'

/** A person-readable reason for a failed sign-in (Firebase error codes or our API's error body). */
export function describeSignInError(error: unknown, t: TFunction): string | null {
  if (!error) return null
  if (error instanceof ApiError) {
    if (error.isUnreachable) return t('auth.errors.serverUnreachable')
    return t('auth.errors.loginRefused', { message: error.message })
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  switch (code) {
    case 'auth/popup-closed-by-user':
    case 'auth/cancelled-popup-request':
      return null
    case 'auth/popup-blocked':
      return t('auth.errors.popupBlocked')
    case 'auth/network-request-failed':
      return t('auth.errors.network')
    case 'auth/internal-error':
      return t('auth.errors.googleUnavailable')
    default:
      return t('auth.errors.generic')
  }
}
