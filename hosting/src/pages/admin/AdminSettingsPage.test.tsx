import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminSettingsPage } from './AdminSettingsPage'

const signedIn = () => makeAuth({ status: 'signed-in', user: makeUser({ role: 'admin' }) })

const role = (daily: number | null, concurrent: number | null, retention: number | null, extras: boolean) => ({
  daily_videos: daily,
  max_concurrent: concurrent,
  retention_days: retention,
  can_schedule: extras,
  ai_suggestions: extras,
})
const limits = { free: role(3, 1, 7, false), premium: role(20, 3, 30, true), admin: role(null, null, null, true) }
const features = { signups_open: true, video_ai: true, social_posting: true, ai_suggestions: true, maintenance_mode: false }
const setting = (key: string, value: Record<string, unknown>, isDefault = true) => ({
  key,
  value,
  is_default: isDefault,
  updated_at: isDefault ? null : '2026-11-24T10:00:00Z',
  updated_by: isDefault ? null : 'admin-1',
})
const list = () => ({
  items: [setting('announcement', { message: '', level: 'info' }), setting('features', features), setting('limits', limits)],
})

afterEach(() => vi.unstubAllGlobals())

describe('AdminSettingsPage', () => {
  it('shows the limits and saves an edited value with unlimited as null', async () => {
    const { calls } = mockApi({
      'GET /api/v1/admin/settings': list,
      'POST /api/v1/admin/settings/limits': async (request) =>
        setting('limits', ((await request.json()) as { value: Record<string, unknown> }).value, false),
    })
    const user = userEvent.setup()
    renderWithProviders(<AdminSettingsPage />, { auth: signedIn() })
    const free = await screen.findByRole('group', { name: 'Free' })
    const daily = within(free).getByLabelText('Videos per day')
    expect(daily).toHaveValue(3)
    expect(within(screen.getByRole('group', { name: 'Admin' })).getByLabelText('Videos per day')).toHaveValue(null)

    await user.clear(daily)
    await user.type(daily, '5')
    await user.clear(within(free).getByLabelText('Keep videos (days)'))
    await user.click(screen.getByRole('switch', { name: 'Free: Scheduling' }))
    const form = screen.getByRole('form', { name: 'Limits' })
    await user.click(within(form).getByRole('button', { name: 'Save' }))

    await waitFor(() => expect(calls.find((c) => c.method === 'POST')).toBeDefined())
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      value: {
        free: { daily_videos: 5, max_concurrent: 1, retention_days: null, can_schedule: true, ai_suggestions: false },
        premium: limits.premium,
        admin: limits.admin,
      },
    })
    expect(await screen.findByText(/^Changed /)).toBeInTheDocument()
  })

  it('shows 422 validation errors under the right field', async () => {
    mockApi({
      'GET /api/v1/admin/settings': list,
      'POST /api/v1/admin/settings/limits': () =>
        errorResponse(422, 'validation_failed', "invalid value for setting 'limits'", [
          { field: 'body.value.premium.max_concurrent', message: 'Input should be greater than or equal to 1' },
        ]),
    })
    const user = userEvent.setup()
    renderWithProviders(<AdminSettingsPage />, { auth: signedIn() })
    const premium = await screen.findByRole('group', { name: 'Premium' })
    const concurrent = within(premium).getByLabelText('Videos at a time')
    await user.clear(concurrent)
    await user.type(concurrent, '0')
    await user.click(within(screen.getByRole('form', { name: 'Limits' })).getByRole('button', { name: 'Save' }))
    expect(await within(premium).findByText('Input should be greater than or equal to 1')).toBeInTheDocument()
    expect(concurrent).toHaveAttribute('aria-invalid', 'true')
  })

  it('toggles a feature flag and shows a refusal from the server', async () => {
    const { calls } = mockApi({
      'GET /api/v1/admin/settings': list,
      'POST /api/v1/admin/settings/features': () => errorResponse(503, 'unavailable', 'The settings store is down.'),
    })
    const user = userEvent.setup()
    renderWithProviders(<AdminSettingsPage />, { auth: signedIn() })
    await user.click(await screen.findByRole('switch', { name: 'Maintenance mode' }))
    const form = screen.getByRole('form', { name: 'Features' })
    await user.click(within(form).getByRole('button', { name: 'Save' }))
    expect(await within(form).findByRole('alert')).toHaveTextContent('The settings store is down.')
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ value: { ...features, maintenance_mode: true } })
  })

  it('resets a changed setting after confirmation', async () => {
    let stored = setting('features', { ...features, video_ai: false }, false)
    const { calls } = mockApi({
      'GET /api/v1/admin/settings': () => ({ items: [stored] }),
      'DELETE /api/v1/admin/settings/features': () => (stored = setting('features', features)),
    })
    const user = userEvent.setup()
    renderWithProviders(<AdminSettingsPage />, { auth: signedIn() })
    expect(await screen.findByRole('switch', { name: 'Video AI' })).not.toBeChecked()
    await user.click(screen.getByRole('button', { name: 'Reset to defaults' }))
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Reset to defaults' }))
    await waitFor(() => expect(screen.getByRole('switch', { name: 'Video AI' })).toBeChecked())
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true)
  })
})
