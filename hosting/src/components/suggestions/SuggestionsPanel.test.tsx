import { screen, within } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { SuggestionsPanel } from './SuggestionsPanel'

function me(role: 'free' | 'premium', allowed: boolean) {
  return {
    user: makeUser({ role }),
    limits: { role, day: '2026-12-01', videos_today: 0, daily_limit: 20, remaining_today: 20, active_generations: 0, max_concurrent: 3, retention_days: 30, can_schedule: true, can_use_ai_suggestions: allowed, resets_at: '2026-12-02T00:00:00Z' },
    features: {},
  }
}

const basis = { posts: 16, videos: 16, platforms: ['youtube'], start: '2026-11-18T00:00:00Z', end: '2026-12-04T00:00:00Z', summary: '16 measured posts of 16 videos on youtube' }

function suggestion(id: string, title: string, prefill: unknown) {
  return {
    id,
    type: 'template',
    title,
    body: 'body',
    evidence: { basis, points: [`${title}: 1.4x your median views, 8 videos`], data: {} },
    priority: 'high',
    prefill,
    read: false,
    dismissed: false,
    acted: false,
    acted_video_id: null,
    created_at: '2026-12-01T05:30:00Z',
    read_at: null,
    acted_at: null,
    expires_at: '2026-12-31T05:30:00Z',
  }
}

function renderPanel(role: 'free' | 'premium') {
  renderWithProviders(
    <MemoryRouter>
      <SuggestionsPanel />
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user: makeUser({ role }) }) },
  )
}

describe('SuggestionsPanel', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows the newest unread suggestions, the unread count, "make this" and the page link', async () => {
    const queries: string[] = []
    mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions': (_request, url) => {
        queries.push(url.search)
        return {
          items: [
            suggestion('s1', 'Energetic music mood work best for you', { template_id: 'tpl-1', topic: null, choices: { music_mood: 'energetic' } }),
            suggestion('s2', 'Post on youtube at 18:00-19:00', null),
          ],
          next_cursor: null,
          has_more: true,
          unread_count: 7,
        }
      },
    })
    renderPanel('premium')
    const panel = await screen.findByRole('region', { name: 'Suggestions' })
    expect(await within(panel).findByText('Energetic music mood work best for you')).toBeInTheDocument()
    expect(within(panel).getByText('7 unread')).toBeInTheDocument()
    expect(within(panel).getAllByTestId('suggestions-panel-item')).toHaveLength(2)
    const make = within(panel).getByRole('link', { name: 'Make this: Energetic music mood work best for you' })
    expect(make).toHaveAttribute('href', '/create?template=tpl-1&music_mood=energetic&suggestion=s1')
    // a suggestion without a pre-fill has no "make this"
    expect(within(panel).queryByRole('link', { name: /Make this: Post on youtube/ })).toBeNull()
    expect(within(panel).getByRole('link', { name: 'All suggestions' })).toHaveAttribute('href', '/suggestions')
    expect(new URLSearchParams(queries[0]).get('read')).toBe('false')
    expect(new URLSearchParams(queries[0]).get('limit')).toBe('3')
  })

  it('tells a premium user with too little history what it needs, in the analysis own words', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions': () => ({ items: [], next_cursor: null, has_more: false, unread_count: 0 }),
      'GET /api/v1/suggestions/analysis/performance': () => ({
        status: 'insufficient_data',
        message: 'Not enough data yet: 3 measured posts (48 h+ old); this needs at least 10.',
        basis,
        dimensions: [],
      }),
    })
    renderPanel('premium')
    const needs = await screen.findByTestId('suggestions-panel-needs')
    expect(await within(needs).findByText('Not enough data yet: 3 measured posts (48 h+ old); this needs at least 10.')).toBeInTheDocument()
    expect(screen.getByText('0 unread')).toBeInTheDocument()
  })

  it('shows a free user a premium teaser with the upgrade link, and asks for no suggestion', async () => {
    const { calls } = mockApi({ 'GET /api/v1/auth/me': () => me('free', false) })
    renderPanel('free')
    const teaser = await screen.findByTestId('suggestions-teaser')
    expect(within(teaser).getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/settings/subscription')
    expect(calls.some((c) => c.path.startsWith('/api/v1/suggestions'))).toBe(false)
  })
})
