/**
 * Local (Auth emulator) sign-in: the emulator accepts a JSON string as a fake
 * Google ID token, so a newcomer can sign in with no internet and no Google
 * account. The `sub` is derived from the email so the same email always maps
 * to the same Firebase user.
 */

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const DISPLAY_NAME_MAX = 64

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** A 21-digit, Google-style numeric subject derived from SHA-256(email). */
export async function localGoogleSub(email: string): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`synthora-local:${normaliseEmail(email)}`)),
  )
  let value = 0n
  for (const byte of bytes.slice(0, 9)) value = (value << 8n) | BigInt(byte)
  return `1${value.toString().padStart(20, '0').slice(-20)}`
}

/** The fake Google ID token the emulator's signInWithIdp accepts. */
export async function localGoogleIdToken(email: string, displayName: string): Promise<string> {
  const normalised = normaliseEmail(email)
  return JSON.stringify({
    sub: await localGoogleSub(normalised),
    email: normalised,
    email_verified: true,
    name: displayName.trim(),
  })
}

export interface LocalSignInErrors {
  email?: 'required' | 'invalid'
  displayName?: 'required' | 'tooLong'
}

export function validateLocalSignIn(email: string, displayName: string): LocalSignInErrors {
  const errors: LocalSignInErrors = {}
  const trimmedEmail = email.trim()
  if (!trimmedEmail) errors.email = 'required'
  else if (!EMAIL_PATTERN.test(trimmedEmail)) errors.email = 'invalid'
  const trimmedName = displayName.trim()
  if (!trimmedName) errors.displayName = 'required'
  else if (trimmedName.length > DISPLAY_NAME_MAX) errors.displayName = 'tooLong'
  return errors
}
