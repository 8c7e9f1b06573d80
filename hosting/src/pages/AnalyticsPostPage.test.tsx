import { fireEvent, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AnalyticsPost, AnalyticsTotals } from '@/api/types'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { AnalyticsPostPage } from './AnalyticsPostPage'

function totals(overrides: Partial<AnalyticsTotals> = {}): AnalyticsTotals {
  return { views: 0, likes: 0, comments: 0, shares: 0, saves: 0, watch_time_s: 0, subscribers_gained: 0, engagement_rate: null, ...overrides }
}

const metrics = (views: number | null, likes: number | null) => ({
  views,
  likes,
  comments: null,
  shares: null,
  saves: null,
  reach: null,
  watch_time_s: null,
  avg_view_duration_s: null,
  subscribers_gained: null,
})

function analytics(views: number[]): AnalyticsPost {
  const last = views[views.length - 1] ?? 0
  return {
    post_id: 'p1',
    totals: totals({ views: last, likes: 7 }),
    platforms: [
      {
        item_id: 'p1-t1',
        platform: 'youtube',
        account_id: 'acc-yt',
        platform_post_id: 'yt1',
        published_at: '2026-12-01T18:00:00Z',
        last_synced_at: '2026-12-03T18:00:00Z',
        totals: totals({ views: last, likes: 7, engagement_rate: 7 / last }),
        history: views.map((v, i) => ({
          fetched_at: `2026-12-0${i + 1}T18:00:00Z`,
          definitions: 'youtube-views-2026-08-27',
          // The second fetch did not carry likes (a lagging report): left out of the likes line.
          metrics: metrics(v, i === 1 ? null : 7),
        })),
      },
    ],
  }
}

function renderAt(path: string) {
  return renderWithProviders(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/analytics/posts/:postId" element={<AnalyticsPostPage />} />
      </Routes>
    </MemoryRouter>,
  )
}

describe('AnalyticsPostPage', { timeout: 30_000 }, () => {
  beforeEach(() => window.localStorage.clear())
  afterEach(() => vi.unstubAllGlobals())

  it("shows each platform's totals and its history, and skips fetches that did not carry a metric", async () => {
    mockApi({
      'GET /api/v1/analytics/posts/p1': () => analytics([100, 250, 400]),
      'GET /api/v1/posts/p1': () => ({ id: 'p1', video_title: 'Octopus hearts', targets: [{ platform: 'youtube', url: 'https://youtu.be/yt1' }] }),
    })
    renderAt('/analytics/posts/p1')
    expect(await screen.findByRole('heading', { name: 'Octopus hearts', level: 1 }, { timeout: 5000 })).toBeInTheDocument()
    expect(screen.getByTestId('analytics-post-youtube-views')).toHaveTextContent('400')
    expect(screen.getByRole('img', { name: /Views on YouTube over time: 3 points/ })).toBeInTheDocument()
    expect(screen.getByText(/3 stored fetches · metric definitions: youtube-views-2026-08-27/)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', 'https://youtu.be/yt1')
    fireEvent.change(screen.getByLabelText('Metric'), { target: { value: 'likes' } })
    expect(screen.getByRole('img', { name: /Likes on YouTube over time: 2 points/ })).toBeInTheDocument()
  })

  it('syncs this post and shows the new numbers; a cooldown answer disables the button', async () => {
    let views = [100]
    mockApi({
      'GET /api/v1/analytics/posts/p1': () => analytics(views),
      'GET /api/v1/posts/p1': () => ({ id: 'p1', video_title: 'Octopus hearts', targets: [] }),
      'POST /api/v1/analytics/sync/p1': () => {
        views = [100, 900]
        return analytics(views)
      },
    })
    renderAt('/analytics/posts/p1')
    expect(await screen.findByTestId('analytics-post-youtube-views', {}, { timeout: 5000 })).toHaveTextContent('100')
    const button = screen.getByRole('button', { name: 'Sync this post' })
    await userEvent.setup().click(button)
    await waitFor(() => expect(screen.getByTestId('analytics-post-youtube-views')).toHaveTextContent('900'))
    expect(button).toBeDisabled()
    expect(button).toHaveTextContent('next in 5 min')
  })

  it('a 429 from the server starts the cooldown it names', async () => {
    mockApi({
      'GET /api/v1/analytics/posts/p1': () => analytics([100]),
      'GET /api/v1/posts/p1': () => ({ id: 'p1', video_title: null, targets: [] }),
      'POST /api/v1/analytics/sync/p1': () =>
        errorResponse(429, 'sync_cooldown', 'a manual sync ran recently; try again in 120 s', { retry_after_s: 120 }),
    })
    renderAt('/analytics/posts/p1')
    const button = await screen.findByRole('button', { name: 'Sync this post' }, { timeout: 5000 })
    await userEvent.setup().click(button)
    await waitFor(() => expect(button).toBeDisabled())
    expect(button).toHaveTextContent('next in 2 min')
    expect(screen.getByRole('heading', { name: 'Post analytics', level: 1 })).toBeInTheDocument()
  })
})
