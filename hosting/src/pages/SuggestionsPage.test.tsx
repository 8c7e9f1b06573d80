import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { SuggestionsPage } from './SuggestionsPage'

const SLOW = 30_000

function me(role: 'free' | 'premium', allowed: boolean) {
  return {
    user: makeUser({ role }),
    limits: { role, day: '2026-12-01', videos_today: 0, daily_limit: 20, remaining_today: 20, active_generations: 0, max_concurrent: 3, retention_days: 30, can_schedule: true, can_use_ai_suggestions: allowed, resets_at: '2026-12-02T00:00:00Z' },
    features: {},
  }
}

const basis = { posts: 42, videos: 30, platforms: ['tiktok'], start: '2026-09-01T00:00:00Z', end: '2026-11-28T00:00:00Z', summary: '42 measured posts of 30 videos on tiktok, published 2026-09-01 to 2026-11-28' }

function suggestion(overrides: Record<string, unknown>) {
  return {
    id: 's1',
    type: 'template',
    title: 'Question hooks work best for you',
    body: 'question hooks: 1.8x your median views, 14 videos (high confidence).',
    evidence: { basis, points: ['question hooks: 1.8x your median views, 14 videos', 'bold claim hooks: 0.7x your median views, 9 videos'], data: {} },
    priority: 'high',
    prefill: { template_id: 'tpl-1', topic: null, choices: { music_mood: 'calm', min_seconds: 15, max_seconds: 30 } },
    read: false,
    dismissed: false,
    acted: false,
    acted_video_id: null,
    created_at: '2026-12-01T05:30:00Z',
    read_at: null,
    acted_at: null,
    expires_at: '2026-12-31T05:30:00Z',
    ...overrides,
  }
}

const loop = { status: 'insufficient_data', message: 'Not enough data yet: 0 measured video(s) made from suggestions; a comparison needs at least 3.', basis, acted: 0, with_video: 0, measured: 0, acted_median_ratio: null, others_median_ratio: null, lift: null, outcomes: [] }

function Where() {
  const location = useLocation()
  return <p data-testid="where">{location.pathname + location.search}</p>
}

function renderPage() {
  return renderWithProviders(
    <MemoryRouter initialEntries={['/suggestions']}>
      <Routes>
        <Route path="/suggestions" element={<SuggestionsPage />} />
        <Route path="/create" element={<Where />} />
      </Routes>
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user: makeUser({ role: 'premium' }) }) },
  )
}

describe('SuggestionsPage', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows each suggestion with its evidence; "make this" opens Create pre-filled', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions': () => ({ items: [suggestion({})], next_cursor: null, has_more: false, unread_count: 1 }),
      'GET /api/v1/suggestions/analysis/outcomes': () => loop,
    })
    const user = userEvent.setup({ delay: null })
    renderPage()
    const card = await screen.findByRole('article', { name: 'Question hooks work best for you' })
    expect(within(card).getByText('question hooks: 1.8x your median views, 14 videos')).toBeInTheDocument()
    expect(within(card).getByText(/From 42 measured posts of 30 videos/)).toBeInTheDocument()
    expect(screen.getByText(/a comparison needs at least 3/)).toBeInTheDocument()
    await user.click(within(card).getByRole('button', { name: 'Make this' }))
    const where = await screen.findByTestId('where')
    const url = new URL(where.textContent ?? '', 'http://x')
    expect(url.pathname).toBe('/create')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      template: 'tpl-1',
      music_mood: 'calm',
      min_seconds: '15',
      max_seconds: '30',
      suggestion: 's1',
    })
  }, SLOW)

  it('filters by category, marks read and dismisses', async () => {
    const { calls } = mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions': (_r, url) =>
        url.searchParams.get('type') === 'posting_time'
          ? { items: [suggestion({ id: 's2', type: 'posting_time', title: 'Post on tiktok at 18:00-19:00 (UTC)', prefill: null })], next_cursor: null, has_more: false, unread_count: 1 }
          : { items: [suggestion({})], next_cursor: null, has_more: false, unread_count: 1 },
      'GET /api/v1/suggestions/analysis/outcomes': () => loop,
      'POST /api/v1/suggestions/s2/read': () => suggestion({ id: 's2', read: true }),
      'POST /api/v1/suggestions/s2/dismiss': () => suggestion({ id: 's2', dismissed: true }),
    })
    const user = userEvent.setup({ delay: null })
    renderPage()
    await screen.findByText('Question hooks work best for you')
    await user.click(screen.getByRole('tab', { name: 'When to post' }))
    expect(await screen.findByText('Post on tiktok at 18:00-19:00 (UTC)')).toBeInTheDocument()
    expect(calls.some((c) => c.path === '/api/v1/suggestions' && c.method === 'GET')).toBe(true)
    await user.click(screen.getByRole('button', { name: 'Mark read' }))
    await user.click(screen.getByRole('button', { name: 'Dismiss: Post on tiktok at 18:00-19:00 (UTC)' }))
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/v1/suggestions/s2/read',
      '/api/v1/suggestions/s2/dismiss',
    ])
  }, SLOW)

  it('says what it needs when there is nothing yet', async () => {
    mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions': () => ({ items: [], next_cursor: null, has_more: false, unread_count: 0 }),
      'GET /api/v1/suggestions/analysis/outcomes': () => loop,
    })
    renderPage()
    expect(await screen.findByText(/at least 10 posts older than 48 hours/)).toBeInTheDocument()
  }, SLOW)

  it('shows whether the videos made from suggestions did better: the lift and each one', async () => {
    const measuredLoop = {
      ...loop,
      status: 'ok',
      message: null,
      acted: 4,
      with_video: 4,
      measured: 3,
      acted_median_ratio: 1.62,
      others_median_ratio: 0.9,
      lift: 1.8,
      outcomes: [
        { video_id: 'v9', status: 'measured', posts: 2, views: 5400, ratio: 1.62, suggestion_id: 's1', type: 'template', title: 'Energetic music mood work best for you', acted_at: '2026-11-20T10:00:00Z' },
        { video_id: 'v8', status: 'not_posted', posts: 0, views: 0, ratio: null, suggestion_id: 's5', type: 'content_idea', title: 'How whales sleep', acted_at: '2026-11-19T10:00:00Z' },
      ],
    }
    mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions': () => ({ items: [], next_cursor: null, has_more: false, unread_count: 0 }),
      'GET /api/v1/suggestions/analysis/outcomes': () => measuredLoop,
    })
    renderPage()
    const box = await screen.findByTestId('suggestion-outcomes')
    expect(within(box).getByText('Your 3 measured videos made from suggestions got 1.6x your median views; your other videos 0.9x.')).toBeInTheDocument()
    expect(within(box).getByTestId('suggestion-lift')).toHaveTextContent('Videos made from suggestions did 1.80x as well as your others.')
    const list = within(box).getByRole('list', { name: 'Videos made from suggestions' })
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Energetic music mood work best for you: 1.6x your median views (2 posts)',
      'How whales sleep: not posted yet',
    ])
  }, SLOW)

  it('offers the upgrade to a free user and asks for no suggestions', async () => {
    const { calls } = mockApi({ 'GET /api/v1/auth/me': () => me('free', false) })
    renderWithProviders(
      <MemoryRouter>
        <SuggestionsPage />
      </MemoryRouter>,
      { auth: makeAuth({ status: 'signed-in', user: makeUser({ role: 'free' }) }) },
    )
    expect(await screen.findByTestId('upgrade-prompt')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: /Upgrade/ })).toHaveAttribute('href', '/settings/subscription')
    expect(calls.some((c) => c.path.startsWith('/api/v1/suggestions'))).toBe(false)
  }, SLOW)
})
