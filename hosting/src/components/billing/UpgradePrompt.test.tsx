import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { ErrorAlert } from '@/components/ErrorAlert'
import { isPremiumGateError, UpgradeForFeature, UpgradePrompt } from '@/components/billing/UpgradePrompt'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'

const signedIn = (role: 'free' | 'premium' | 'admin') => makeAuth({ status: 'signed-in', user: makeUser({ role }) })
const dailyLimit = new ApiError({ code: 'daily_limit_reached', message: 'daily video limit reached (3 per day)', status: 429 })

describe('UpgradePrompt', () => {
  it('offers a free user the upgrade, linking to Settings › Subscription', () => {
    renderWithProviders(
      <MemoryRouter>
        <UpgradePrompt />
      </MemoryRouter>,
      { auth: signedIn('free') },
    )
    expect(screen.getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/settings/subscription')
  })

  it.each(['premium', 'admin'] as const)('shows nothing to a %s user', (role) => {
    renderWithProviders(
      <MemoryRouter>
        <UpgradePrompt />
      </MemoryRouter>,
      { auth: signedIn(role) },
    )
    expect(screen.queryByRole('link', { name: 'Upgrade' })).toBeNull()
  })
})

describe('premium gate errors', () => {
  it('recognises the refusals an upgrade lifts, and only those', () => {
    expect(isPremiumGateError(dailyLimit)).toBe(true)
    expect(isPremiumGateError(new ApiError({ code: 'premium_required', message: 'x', status: 403 }))).toBe(true)
    expect(isPremiumGateError(new ApiError({ code: 'concurrent_limit_reached', message: 'x', status: 429 }))).toBe(true)
    expect(isPremiumGateError(new ApiError({ code: 'rate_limited', message: 'x', status: 429 }))).toBe(false)
    expect(isPremiumGateError(new ApiError({ code: 'admin_only', message: 'x', status: 403 }))).toBe(false)
    expect(isPremiumGateError(new Error('daily_limit_reached'))).toBe(false)
  })

  it('an API refusal shown in an alert carries the upgrade for a free user', () => {
    renderWithProviders(
      <MemoryRouter>
        <ErrorAlert error={dailyLimit} />
      </MemoryRouter>,
      { auth: signedIn('free') },
    )
    expect(screen.getByRole('alert')).toHaveTextContent('daily video limit reached')
    expect(screen.getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/settings/subscription')
  })

  it('a premium user sees the refusal without an upgrade', () => {
    renderWithProviders(
      <MemoryRouter>
        <ErrorAlert error={dailyLimit} />
      </MemoryRouter>,
      { auth: signedIn('premium') },
    )
    expect(screen.getByRole('alert')).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Upgrade' })).toBeNull()
  })
})

describe('UpgradeForFeature', () => {
  afterEach(() => vi.unstubAllGlobals())
  const me = (canSchedule: boolean) => ({
    user: makeUser(),
    limits: { role: 'free', day: '2026-11-24', videos_today: 0, daily_limit: 3, remaining_today: 3, active_generations: 0, max_concurrent: 1, retention_days: 30, can_schedule: canSchedule, can_use_ai_suggestions: false, resets_at: '2026-11-25T00:00:00Z' },
    features: {},
  })

  it('offers the upgrade when the plan lacks the feature', async () => {
    mockApi({ 'GET /api/v1/auth/me': () => me(false) })
    renderWithProviders(
      <MemoryRouter>
        <UpgradeForFeature feature="schedule" />
      </MemoryRouter>,
      { auth: signedIn('free') },
    )
    expect(await screen.findByText(/Scheduled posting is a Premium feature/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/settings/subscription')
  })

  it('stays hidden when the free plan includes the feature', async () => {
    const { fetchMock } = mockApi({ 'GET /api/v1/auth/me': () => me(true) })
    renderWithProviders(
      <MemoryRouter>
        <UpgradeForFeature feature="schedule" />
      </MemoryRouter>,
      { auth: signedIn('free') },
    )
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalled())
    await new Promise((r) => setTimeout(r, 50))
    expect(screen.queryByRole('link', { name: 'Upgrade' })).toBeNull()
  })
})
