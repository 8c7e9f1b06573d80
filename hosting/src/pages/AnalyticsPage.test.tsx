import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AnalyticsHeatmap, AnalyticsOverview, AnalyticsTotals } from '@/api/types'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { AnalyticsPage } from './AnalyticsPage'

function totals(overrides: Partial<AnalyticsTotals> = {}): AnalyticsTotals {
  return {
    views: 0,
    likes: 0,
    comments: 0,
    shares: 0,
    saves: 0,
    watch_time_s: 0,
    subscribers_gained: 0,
    engagement_rate: null,
    ...overrides,
  }
}

function overview(overrides: Partial<AnalyticsOverview> = {}): AnalyticsOverview {
  return {
    days: 30,
    start: '2026-11-08',
    end: '2026-12-07',
    totals: totals({ views: 1500, likes: 60, comments: 6, shares: 9, watch_time_s: 7200, engagement_rate: 0.05 }),
    previous: totals({ views: 1000 }),
    changes: { views: 0.5, likes: -0.25, comments: null, shares: 0, watch_time_s: null, engagement_rate: null },
    posts_published: 3,
    followers: 1200,
    synced_at: '2026-12-07T10:00:00Z',
    ...overrides,
  }
}

function heatmap(overrides: Partial<AnalyticsHeatmap> = {}): AnalyticsHeatmap {
  const cells: AnalyticsHeatmap['cells'] = []
  for (let weekday = 0; weekday < 7; weekday++)
    for (let hour = 0; hour < 24; hour++) cells.push({ weekday, hour, posts: 0, score: null })
  const at = (w: number, h: number) => cells[w * 24 + h]!
  Object.assign(at(1, 18), { posts: 4, score: 1.8 })
  Object.assign(at(3, 9), { posts: 2, score: 0.7 })
  return {
    timezone: 'Europe/Berlin',
    days: 90,
    platform: null,
    measured_posts: 14,
    status: 'ok',
    message: null,
    cells,
    best_slots: [{ weekday: 1, hour: 18, posts: 4, score: 1.8, above_median: 4, confidence: 0.9375, confidence_label: 'medium' }],
    ...overrides,
  }
}

const series = (metric: string) => ({
  metric,
  platform: null,
  days: 30,
  points: [
    { day: '2026-12-05', value: 100 },
    { day: '2026-12-06', value: 400 },
    { day: '2026-12-07', value: 250 },
  ],
})

/** Every analytics read answered; `extra` overrides or adds routes. */
function mockAnalytics(extra: Record<string, Parameters<typeof mockApi>[0][string]> = {}) {
  return mockApi({
    'GET /api/v1/analytics/overview': () => overview(),
    'GET /api/v1/analytics/time-series': (_r, url) => series(url.searchParams.get('metric') ?? 'views'),
    'GET /api/v1/analytics/platforms': () => ({
      days: 30,
      platforms: [
        { platform: 'youtube', totals: totals({ views: 1000, engagement_rate: 0.04 }), posts_published: 2, avg_views_per_post: 500 },
        { platform: 'instagram', totals: totals({ views: 500 }), posts_published: 1, avg_views_per_post: null },
      ],
    }),
    'GET /api/v1/analytics/top-performing': (_r, url) => ({
      metric: url.searchParams.get('metric') ?? 'views',
      days: 30,
      posts: [
        {
          post_id: 'p1',
          item_id: 'p1-t1',
          platform: 'youtube',
          title: 'Why octopuses have three hearts',
          published_at: '2026-12-01T18:00:00Z',
          totals: totals({ views: 900, likes: 40 }),
          value: url.searchParams.get('metric') === 'likes' ? 40 : 900,
        },
      ],
    }),
    'GET /api/v1/analytics/heatmap': () => heatmap(),
    'GET /api/v1/social-accounts': () => ({ items: [{ id: 'acc-yt', status: 'connected', platform: 'youtube' }] }),
    'GET /api/v1/posts': () => ({ items: [], next_cursor: null, has_more: false }),
    ...extra,
  })
}

/** The query strings the page sent to `path`. */
function queriesTo(fetchMock: ReturnType<typeof mockApi>['fetchMock'], path: string): string[] {
  return fetchMock.mock.calls
    .map(([request]) => new URL((request as Request).url))
    .filter((url) => url.pathname === path)
    .map((url) => url.search.slice(1))
}

function renderPage() {
  return renderWithProviders(
    <MemoryRouter>
      <AnalyticsPage />
    </MemoryRouter>,
  )
}

// The page renders 168 heatmap cells: role queries over them are slow in jsdom on a busy machine.
describe('AnalyticsPage', { timeout: 40_000 }, () => {
  beforeEach(() => window.localStorage.clear())
  afterEach(() => vi.unstubAllGlobals())

  it('shows totals with their change against the previous period, in words and not only colour', async () => {
    mockAnalytics()
    renderPage()
    const views = await screen.findByTestId('analytics-total-views', {}, { timeout: 5000 })
    expect(views).toHaveTextContent('1,500')
    expect(views).toHaveTextContent('Up 50% on the previous 30 days')
    expect(screen.getByTestId('analytics-total-likes')).toHaveTextContent('Down 25% on the previous 30 days')
    expect(screen.getByTestId('analytics-total-shares')).toHaveTextContent('Same as the previous 30 days')
    expect(screen.getByTestId('analytics-total-watch_time_s')).toHaveTextContent('2 hr')
    expect(screen.getByTestId('analytics-total-engagement_rate')).toHaveTextContent('5%')
    expect(screen.getByText(/3 posts published in the last 30 days · 1.2K followers/)).toBeInTheDocument()
  })

  it('charts the time series, reads points by keyboard, and refetches for another metric, platform and period', async () => {
    const { fetchMock } = mockAnalytics()
    renderPage()
    const chart = await screen.findByRole(
      'img',
      { name: /Views per day: 3 points from Dec 5 to Dec 7; highest 400 on Dec 6/ },
      { timeout: 5000 },
    )
    chart.focus()
    fireEvent.keyDown(chart, { key: 'End' })
    expect(screen.getByTestId('analytics-series-readout')).toHaveTextContent('Dec 7: 250')
    fireEvent.keyDown(chart, { key: 'ArrowLeft' })
    expect(screen.getByTestId('analytics-series-readout')).toHaveTextContent('Dec 6: 400')

    const user = userEvent.setup()
    await user.selectOptions(screen.getByLabelText('Metric'), 'likes')
    await user.selectOptions(screen.getByLabelText('Platform'), 'tiktok')
    await waitFor(() =>
      expect(queriesTo(fetchMock, '/api/v1/analytics/time-series')).toContain('metric=likes&days=30&platform=tiktok'),
    )
    await user.click(within(screen.getByRole('group', { name: 'Period' })).getByRole('button', { name: '90 days' }))
    await waitFor(() => expect(queriesTo(fetchMock, '/api/v1/analytics/overview')).toContain('days=90'))
    expect(within(screen.getByRole('group', { name: 'Period' })).getByRole('button', { name: '90 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
  })

  it('compares platforms and links each top post to its detail page', async () => {
    const { fetchMock } = mockAnalytics()
    renderPage()
    const platforms = await screen.findByTestId('analytics-platforms', {}, { timeout: 5000 })
    expect(within(platforms).getByRole('rowheader', { name: 'YouTube' })).toBeInTheDocument()
    expect(within(platforms).getAllByRole('row')).toHaveLength(3)
    const link = await screen.findByRole('link', { name: 'Why octopuses have three hearts' })
    expect(link).toHaveAttribute('href', '/analytics/posts/p1')
    await userEvent.setup().selectOptions(screen.getByLabelText('Rank by'), 'likes')
    await waitFor(() =>
      expect(queriesTo(fetchMock, '/api/v1/analytics/top-performing').some((q) => q.includes('metric=likes'))).toBe(true),
    )
  })

  it('draws the heatmap as a labelled table: best slots numbered, sample sizes in each cell label, arrow keys move', async () => {
    mockAnalytics()
    renderPage()
    const table = await screen.findByRole('table', { name: /Posting time heatmap in/ }, { timeout: 5000 })
    expect(within(table).getAllByRole('rowheader')).toHaveLength(7)
    const best = within(table).getByRole('button', {
      name: 'Tuesday 18:00–19:00 · 4 posts · 1.80× typical views · best slot #1, medium confidence',
    })
    expect(best).toHaveAttribute('data-best', '1')
    expect(best).toHaveTextContent('1')
    // One tab stop for the grid (the best slot); arrows move from there.
    expect(best).toHaveAttribute('tabindex', '0')
    fireEvent.mouseEnter(best)
    expect(screen.getByRole('tooltip')).toHaveTextContent('4 posts')
    best.focus()
    fireEvent.keyDown(best, { key: 'ArrowRight' })
    expect(document.activeElement).toHaveAccessibleName('Tuesday 19:00–20:00 · 0 posts')
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })
    expect(document.activeElement).toHaveAccessibleName('Wednesday 19:00–20:00 · 0 posts')
    expect(within(table).getByRole('button', { name: 'Thursday 09:00–10:00 · 2 posts · 0.70× typical views' })).toBeInTheDocument()
    expect(screen.getByTestId('analytics-best-slots')).toHaveTextContent(
      '1. Tuesday 18:00–19:00 4 posts (4 above typical), 1.80× typical, medium confidence',
    )
    expect(screen.getByText('Based on 14 measured posts in the last 90 days.')).toBeInTheDocument()
  })

  it('says when the heatmap has too little data instead of naming slots', async () => {
    mockAnalytics({
      'GET /api/v1/analytics/heatmap': () => heatmap({ status: 'insufficient_data', measured_posts: 4, best_slots: [], message: 'x' }),
    })
    renderPage()
    expect(await screen.findByTestId('analytics-heatmap-thin', {}, { timeout: 5000 })).toHaveTextContent(
      'Not enough data yet: 4 measured posts in the last 90 days. Best times need at least 10 posts',
    )
    expect(screen.queryByTestId('analytics-best-slots')).not.toBeInTheDocument()
  })

  it('without a connected account, says to connect one', async () => {
    mockAnalytics({
      'GET /api/v1/analytics/overview': () => overview({ synced_at: null, totals: totals(), posts_published: 0 }),
      'GET /api/v1/social-accounts': () => ({ items: [] }),
    })
    renderPage()
    expect(await screen.findByRole('heading', { name: 'Connect an account to see analytics' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Connect an account' })).toHaveAttribute('href', '/social-accounts')
  })

  it('with accounts but nothing published, says to post', async () => {
    mockAnalytics({ 'GET /api/v1/analytics/overview': () => overview({ synced_at: null, totals: totals() }) })
    renderPage()
    expect(await screen.findByRole('heading', { name: 'Post a video to start measuring' })).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Choose a video to post' })).toHaveAttribute('href', '/videos')
  })

  it('with live posts but no sync yet, offers a sync and then refreshes when the sync lands', async () => {
    let synced: string | null = null
    const { calls } = mockAnalytics({
      'GET /api/v1/analytics/overview': () => overview({ synced_at: synced }),
      'GET /api/v1/posts': () => ({
        items: [{ id: 'p1', targets: [{ status: 'published' }] }],
        next_cursor: null,
        has_more: false,
      }),
      'POST /api/v1/analytics/sync': () => {
        synced = '2026-12-07T11:00:00Z'
        return { accounts: ['acc-yt'], next_allowed_at: new Date(Date.now() + 15 * 60_000).toISOString() }
      },
    })
    renderPage()
    expect(await screen.findByRole('heading', { name: 'Waiting for the first sync' })).toBeInTheDocument()
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sync now' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/analytics/sync')).toBe(true))
    // The page polls the overview until the sync time moves, then shows the numbers.
    expect(await screen.findByTestId('analytics-total-views', {}, { timeout: 8000 })).toHaveTextContent('1,500')
    const button = screen.getByTestId('analytics-sync')
    expect(button).toBeDisabled()
    expect(button).toHaveTextContent(/next in 1[45] min/)
  })

  it('honours the cooldown the server answers with (429)', async () => {
    mockAnalytics({
      'POST /api/v1/analytics/sync': () =>
        errorResponse(429, 'sync_cooldown', 'a manual sync ran recently; try again in 540 s', { retry_after_s: 540 }),
    })
    renderPage()
    const button = await screen.findByTestId('analytics-sync', {}, { timeout: 5000 })
    await userEvent.setup().click(button)
    await waitFor(() => expect(button).toBeDisabled())
    expect(button).toHaveTextContent('next in 9 min')
    expect(window.localStorage.getItem('synthora.analytics.nextSyncAt')).not.toBeNull()
  })
})
