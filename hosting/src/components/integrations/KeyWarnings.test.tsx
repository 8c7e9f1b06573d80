import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { KeyWarnings } from './KeyWarnings'

const step = (over: Record<string, unknown>) => ({
  source: 'offline',
  provider: null,
  provider_name: 'local',
  integration_id: null,
  validation_status: null,
  available: true,
  note: '',
  not_used: [],
  ...over,
})

const signedIn = () => makeAuth({ status: 'signed-in', user: makeUser() })

afterEach(() => vi.unstubAllGlobals())

function mock(fallback: boolean, steps: unknown[]) {
  mockApi({
    'GET /api/v1/integrations/status': () => ({ can_generate: true, steps, configured_categories: [], missing_categories: [] }),
    'GET /api/v1/users/profile': () =>
      makeUser({ preferences: { notifications: { muted_types: [], email: true }, language: 'en', provider_fallback: fallback } }),
  })
}

describe('KeyWarnings', () => {
  it('warns about unreachable, unchecked and refused keys and says what a failure does', async () => {
    mock(true, [
      step({ step: 'script', source: 'integration', provider: 'openai', provider_name: 'OpenAI', validation_status: 'unreachable' }),
      step({ step: 'voice', source: 'integration', provider: 'openai', provider_name: 'OpenAI', validation_status: 'pending' }),
      step({
        step: 'media',
        not_used: [{ integration_id: 'p1', provider: 'pexels', provider_name: 'Pexels', reason: 'the last key check said invalid' }],
      }),
      step({ step: 'assembly', source: 'integration', provider: 'shotstack', provider_name: 'Shotstack', validation_status: 'valid' }),
    ])
    renderWithProviders(<MemoryRouter><KeyWarnings /></MemoryRouter>, { auth: signedIn() })
    const box = await screen.findByTestId('key-warnings')
    const items = screen.getAllByRole('listitem').map((li) => li.textContent)
    expect(items).toEqual([
      'Script: the last check could not reach OpenAI.',
      'Voice: the OpenAI key has not been checked yet.',
      'Visuals: the Pexels key was refused, so it is not used.',
    ])
    expect(box).toHaveTextContent('falls back to your next provider')
  })

  it('says a failing key stops the video when fallback is off, and is silent when all keys are fine', async () => {
    mock(false, [step({ step: 'script', source: 'integration', provider: 'openai', provider_name: 'OpenAI', validation_status: 'rate_limited' })])
    const { unmount } = renderWithProviders(<MemoryRouter><KeyWarnings /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByText('Script: the last check of the OpenAI key said rate limited.')).toBeInTheDocument()
    expect(await screen.findByText(/Fallback is off/)).toBeInTheDocument()
    unmount()
    vi.unstubAllGlobals()
    mock(true, [step({ step: 'script', source: 'integration', provider: 'openai', provider_name: 'OpenAI', validation_status: 'valid' })])
    const { container } = renderWithProviders(<MemoryRouter><KeyWarnings /></MemoryRouter>, { auth: signedIn() })
    await new Promise((r) => setTimeout(r, 200))
    expect(container.querySelector('[data-testid="key-warnings"]')).toBeNull()
  })
})
