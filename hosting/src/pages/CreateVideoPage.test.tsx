import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { CreateVideoPage } from './CreateVideoPage'

const template = {
  id: 'sys-viral-hook',
  name: 'Viral Hook',
  description: 'Fast and bold',
  category: 'viral',
  tags: [],
  platforms: ['tiktok'],
  owner_id: null,
  is_system: true,
  is_public: true,
  config: {},
  version: 1,
  usage_count: 0,
  created_at: '2026-11-24T10:00:00Z',
  updated_at: '2026-11-24T10:00:00Z',
  can_edit: false,
}

describe('CreateVideoPage', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('walks template → topic → confirm, shows the daily limit, and the API’s 429 message', async () => {
    const { calls } = mockApi({
      'GET /api/v1/templates/system': () => ({ items: [template] }),
      'GET /api/v1/templates/my': () => ({ items: [], next_cursor: null, has_more: false }),
      'GET /api/v1/auth/me': () => ({
        user: makeUser(),
        limits: { role: 'free', day: '2026-11-24', videos_today: 1, daily_limit: 3, remaining_today: 2, active_generations: 0, max_concurrent: 1, retention_days: 30, can_schedule: false, can_use_ai_suggestions: false, resets_at: '2026-11-25T00:00:00Z' },
        features: {},
      }),
      'GET /api/v1/integrations/status': () => ({ can_generate: true, steps: [], configured_categories: [], missing_categories: [] }),
      'POST /api/v1/videos': () => errorResponse(429, 'daily_limit_reached', 'You have made 3 of 3 videos today; more tomorrow.'),
    })
    const user = userEvent.setup()
    const auth = makeAuth({ status: 'signed-in', user: makeUser() })
    renderWithProviders(
      <MemoryRouter>
        <CreateVideoPage />
      </MemoryRouter>,
      { auth },
    )
    expect(await screen.findByText('2 of 3 videos left today')).toBeInTheDocument()
    const next = screen.getByRole('button', { name: 'Next' })
    expect(next).toBeDisabled()
    await user.click(await screen.findByRole('radio', { name: /Viral Hook/ }))
    await user.click(next)

    await user.type(screen.getByLabelText('Topic'), 'ab')
    await user.click(screen.getByRole('button', { name: 'Next' }))
    expect(screen.getByText('Write at least 3 characters.')).toBeInTheDocument()
    await user.type(screen.getByLabelText('Topic'), 'c octopus')
    await user.click(screen.getByRole('button', { name: 'Next' }))

    await user.click(await screen.findByRole('button', { name: 'Generate video' }))
    expect(await screen.findByText('You have made 3 of 3 videos today; more tomorrow.')).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ template_id: 'sys-viral-hook', topic: 'abc octopus' })
  })
})
