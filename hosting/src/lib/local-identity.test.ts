import { describe, expect, it } from 'vitest'
import { localGoogleIdToken, localGoogleSub, validateLocalSignIn } from './local-identity'

describe('local identity', () => {
  it('derives the same Google-style subject from the same email, whatever its case', async () => {
    const first = await localGoogleSub('Ada@Example.com')
    expect(first).toMatch(/^1\d{20}$/)
    expect(await localGoogleSub(' ada@example.com ')).toBe(first)
    expect(await localGoogleSub('grace@example.com')).not.toBe(first)
  })

  it('builds the fake Google ID token the Auth emulator accepts', async () => {
    const token = JSON.parse(await localGoogleIdToken('Ada@Example.com', ' Ada '))
    expect(token).toEqual({
      sub: await localGoogleSub('ada@example.com'),
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada',
    })
  })

  it('validates the form fields', () => {
    expect(validateLocalSignIn('', '')).toEqual({ email: 'required', displayName: 'required' })
    expect(validateLocalSignIn('nope', 'Ada')).toEqual({ email: 'invalid' })
    expect(validateLocalSignIn('a@b.co', 'A'.repeat(65))).toEqual({ displayName: 'tooLong' })
    expect(validateLocalSignIn('a@b.co', 'Ada')).toEqual({})
  })
})
