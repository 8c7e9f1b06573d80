import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { ProviderFallbackSettings } from './ProviderFallbackSettings'

const profile = (on: boolean) =>
  makeUser({ preferences: { notifications: { muted_types: [], email: true }, language: 'en', provider_fallback: on } })

afterEach(() => vi.unstubAllGlobals())

describe('ProviderFallbackSettings', () => {
  it('shows the preference (on by default) and saves only that field', async () => {
    const { calls } = mockApi({
      'GET /api/v1/users/profile': () => profile(true),
      'PATCH /api/v1/users/profile': async (request) => {
        const body = (await request.json()) as { provider_fallback: boolean }
        return profile(body.provider_fallback)
      },
    })
    renderWithProviders(<ProviderFallbackSettings />, { auth: makeAuth({ status: 'signed-in', user: makeUser() }) })
    const toggle = await screen.findByRole('switch', { name: 'Fall back to the next provider' })
    await waitFor(() => expect(toggle).toBeEnabled())
    expect(toggle).toBeChecked()
    await userEvent.click(toggle)
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1))
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ provider_fallback: false })
    await waitFor(() => expect(toggle).not.toBeChecked())
  })
})
