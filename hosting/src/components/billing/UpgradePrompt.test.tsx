import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { ErrorAlert } from '@/components/ErrorAlert'
import { isPremiumGateError, UpgradePrompt } from '@/components/billing/UpgradePrompt'
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
