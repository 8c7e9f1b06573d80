import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { DashboardPage } from './DashboardPage'

function renderFor(videosCreated: number) {
  mockApi({
    'GET /api/v1/videos/stats/me': () => ({ total: videosCreated, by_status: {}, completed_today: 0 }),
    'GET /api/v1/videos': () => ({ items: [], next_cursor: null, has_more: false }),
    'GET /api/v1/integrations/status': () => ({ can_generate: true, steps: [], configured_categories: [], missing_categories: [] }),
  })
  const user = makeUser({ display_name: 'Ada Lovelace', stats: { videos_created: videosCreated } })
  renderWithProviders(
    <MemoryRouter>
      <DashboardPage />
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user }) },
  )
}

describe('DashboardPage greeting', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('welcomes a newcomer without a "back"', () => {
    renderFor(0)
    expect(screen.getByRole('heading', { level: 1, name: 'Welcome, Ada' })).toBeInTheDocument()
    expect(screen.queryByText(/Welcome back/)).toBeNull()
  })

  it('welcomes back someone who has made videos', () => {
    renderFor(2)
    expect(screen.getByRole('heading', { level: 1, name: 'Welcome back, Ada' })).toBeInTheDocument()
  })
})
