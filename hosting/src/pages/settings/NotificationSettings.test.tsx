import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { NotificationSettings } from './NotificationSettings'

const signedIn = () => makeAuth({ status: 'signed-in', user: makeUser() })

function profile(notifications: { muted_types: string[]; email: boolean }) {
  return makeUser({ preferences: { notifications, language: 'en' } } as never)
}

afterEach(() => vi.unstubAllGlobals())

describe('NotificationSettings', () => {
  it('shows the account preferences and saves a muted category to the server', async () => {
    const { calls } = mockApi({
      'GET /api/v1/users/profile': () => profile({ muted_types: ['payment_success'], email: true }),
      'PATCH /api/v1/users/profile': async (request) => {
        const body = (await request.json()) as { notifications: { muted_types: string[]; email: boolean } }
        return profile(body.notifications)
      },
    })
    renderWithProviders(<NotificationSettings />, { auth: signedIn() })

    const failed = await screen.findByRole('switch', { name: 'In-app notifications: Video failed' })
    expect(failed).toBeChecked()
    // One of billing's four types is muted, so billing shows as off.
    expect(screen.getByRole('switch', { name: 'In-app notifications: Billing' })).not.toBeChecked()
    expect(screen.getByRole('switch', { name: 'Email me' })).toBeChecked()

    await userEvent.click(failed)
    expect(failed).not.toBeChecked() // at once, before the server answers
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1))
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      // only what changed: an absent field is left as it is
      notifications: { muted_types: ['payment_success', 'video_failed'], email: true },
    })

    await userEvent.click(screen.getByRole('switch', { name: 'In-app notifications: Billing' }))
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2))
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)?.body).toMatchObject({
      notifications: { muted_types: ['video_failed'], email: true },
    })
  })

  it('turns email off and rolls a failed save back with the server message', async () => {
    mockApi({
      'GET /api/v1/users/profile': () => profile({ muted_types: [], email: true }),
      'PATCH /api/v1/users/profile': () => errorResponse(403, 'account_disabled', 'This account is disabled.'),
    })
    renderWithProviders(<NotificationSettings />, { auth: signedIn() })
    const email = await screen.findByRole('switch', { name: 'Email me' })
    await userEvent.click(email)
    expect(await screen.findByRole('alert')).toHaveTextContent('This account is disabled.')
    await waitFor(() => expect(email).toBeChecked())
  })

  it('offers a retry when the profile cannot be loaded', async () => {
    let fail = true
    mockApi({
      'GET /api/v1/users/profile': () =>
        fail ? errorResponse(503, 'unavailable', 'The store is down.') : profile({ muted_types: [], email: false }),
    })
    renderWithProviders(<NotificationSettings />, { auth: signedIn() })
    expect(await screen.findByRole('alert')).toHaveTextContent('The store is down.')
    fail = false
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(await screen.findByRole('switch', { name: 'Email me' })).not.toBeChecked()
  })
})
