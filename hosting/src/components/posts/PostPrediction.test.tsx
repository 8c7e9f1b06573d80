import { screen, within } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { PostPrediction, hourIn } from './PostPrediction'

function me(role: 'free' | 'premium', allowed: boolean) {
  return {
    user: makeUser({ role }),
    limits: { role, day: '2026-12-01', videos_today: 0, daily_limit: 20, remaining_today: 20, active_generations: 0, max_concurrent: 3, retention_days: 30, can_schedule: true, can_use_ai_suggestions: allowed, resets_at: '2026-12-02T00:00:00Z' },
    features: {},
  }
}

const basis = { posts: 16, videos: 16, platforms: ['youtube'], start: null, end: null, summary: '16 measured posts' }

function prediction(platform: string, overrides: Record<string, unknown> = {}) {
  return {
    status: 'ok',
    message: null,
    basis,
    platform,
    expected_views: 1840,
    low: 1200,
    high: 2600,
    baseline_views: 1400,
    baseline_source: 'own_and_platform',
    prior: null,
    factors: [
      { name: 'music_mood', value: 'energetic', label: 'energetic music mood', effect: 1.31, posts: 8, raw_ratio: 1.37, direction: 'up' },
      { name: 'hour', value: '18', label: 'posting at 18:00', effect: 0.9, posts: 4, raw_ratio: 0.85, direction: 'down' },
      { name: 'hook_style', value: 'question', label: 'question hooks', effect: 1.01, posts: 8, raw_ratio: 1.01, direction: 'neutral' },
      { name: 'length', value: '15_30s', label: 'videos of 15-30 s', effect: 1.0, posts: 16, raw_ratio: 1.0, direction: 'neutral' },
    ],
    video_id: 'v1',
    template_id: 'tpl-1',
    planned_hour: 18,
    ...overrides,
  }
}

function renderFor(role: 'free' | 'premium', platforms: ('youtube' | 'tiktok')[] = ['youtube', 'tiktok']) {
  renderWithProviders(
    <MemoryRouter>
      <PostPrediction videoId="v1" platforms={platforms} hour={18} />
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user: makeUser({ role }) }) },
  )
}

describe('PostPrediction', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('asks for each chosen platform at the planned hour and shows the range and the top factors', async () => {
    const asked: string[] = []
    mockApi({
      'GET /api/v1/auth/me': () => me('premium', true),
      'GET /api/v1/suggestions/analysis/predict/v1': (_request, url) => {
        asked.push(`${url.searchParams.get('platform')}@${url.searchParams.get('hour')}`)
        return url.searchParams.get('platform') === 'youtube'
          ? prediction('youtube')
          : prediction('tiktok', {
              status: 'insufficient_data',
              message: 'Not enough data yet: no measured posts on tiktok (48 h+ old), and no overall history for that platform on this server.',
              expected_views: null,
              low: null,
              high: null,
              factors: [],
            })
      },
    })
    renderFor('premium')
    const section = await screen.findByRole('region', { name: 'Expected views, posted at 18:00' })
    const youtube = await within(section).findByTestId('post-prediction-youtube-range')
    expect(youtube).toHaveTextContent('1,200 to 2,600 views (about 1,840)')
    const factors = within(section).getByRole('list', { name: 'What drives it' })
    // the three that move the figure most, as the API sorted them
    expect(within(factors).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'energetic music mood: x1.31 (8 posts)',
      'posting at 18:00: x0.90 (4 posts)',
      'question hooks: about even, x1.01 (8 posts)',
    ])
    const tiktok = await within(section).findByTestId('post-prediction-tiktok-none')
    expect(tiktok).toHaveTextContent(/^Not enough data for a prediction yet\. Not enough data yet: no measured posts on tiktok/)
    expect(asked.sort()).toEqual(['tiktok@18', 'youtube@18'])
  })

  it('shows a free user one upgrade line and asks for no prediction', async () => {
    const { calls } = mockApi({ 'GET /api/v1/auth/me': () => me('free', false) })
    renderFor('free')
    const teaser = await screen.findByTestId('post-prediction-teaser')
    expect(within(teaser).getByRole('link', { name: 'Upgrade' })).toHaveAttribute('href', '/settings/subscription')
    expect(calls.some((c) => c.path.includes('/predict/'))).toBe(false)
  })
})

describe('hourIn', () => {
  it('reads the local hour of an instant in a zone', () => {
    const instant = new Date('2026-12-01T23:30:00Z')
    expect(hourIn(instant, 'UTC')).toBe(23)
    expect(hourIn(instant, 'Europe/Berlin')).toBe(0)
    expect(hourIn(instant, 'America/New_York')).toBe(18)
  })
})
