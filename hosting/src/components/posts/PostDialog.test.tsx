import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { PostDialog } from './PostDialog'

const account = (id: string, platform: string, options: string[] | null = null) => ({
  id,
  platform,
  platform_account_id: `${id}-p`,
  status: 'connected',
  display_name: `${platform} account`,
  scopes: [],
  capabilities: { can_publish: true, can_read_analytics: true, missing_scopes: [], privacy_level_options: options, notes: [] },
  connected_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
})

describe('PostDialog', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('posts to the chosen accounts and shows each refused rule', async () => {
    const { calls } = mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [account('yt', 'youtube'), account('tt', 'tiktok', ['SELF_ONLY', 'PUBLIC_TO_EVERYONE'])] }),
      'POST /api/v1/posts': () =>
        errorResponse(422, 'prepublish_check_failed', '1 platform rule(s) not met', [
          { target: 't1-youtube', rule: 'title_length', message: 'YouTube titles are at most 100 characters', field: 'body.targets.0.title' },
        ]),
    })
    renderWithProviders(<PostDialog videoId="v1" />)
    const user = userEvent.setup()
    await user.click(screen.getByTestId('post-video'))
    await user.click(await screen.findByLabelText('youtube: youtube account'))
    await user.click(screen.getByLabelText('tiktok: tiktok account'))
    await user.click(screen.getByRole('button', { name: 'Post now' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true))
    const body = calls.find((c) => c.method === 'POST')?.body as { targets: { social_account_id: string; privacy: string | null }[] }
    expect(body.targets.map((t) => [t.social_account_id, t.privacy])).toEqual([
      ['yt', null],
      ['tt', 'SELF_ONLY'],
    ])
    expect(await screen.findByTestId('post-rule-errors')).toHaveTextContent('t1-youtube: YouTube titles are at most 100 characters')
  }, 20_000)
})

describe('PostDialog: duplicates, best times, per-account settings', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('warns of a duplicate, offers the best slots as chips that set the time, and sends each tab’s settings', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-10T12:00:00Z'), toFake: ['Date'] })
    const { calls } = mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [account('yt', 'youtube'), account('ig', 'instagram')] }),
      'GET /api/v1/posts/conflicts': (_req, url) => ({
        video_id: url.searchParams.get('video_id'),
        conflicts: url.searchParams.get('account_ids')?.includes('yt')
          ? [
              {
                post_id: 'p0',
                target_id: 't1-youtube',
                account_id: 'yt',
                account_name: 'youtube account',
                platform: 'youtube',
                status: 'queued',
                scheduled_at: '2027-03-11T09:00:00Z',
                url: null,
              },
            ]
          : [],
      }),
      'GET /api/v1/analytics/heatmap': (_req, url) => ({
        timezone: url.searchParams.get('tz'),
        days: 90,
        platform: null,
        measured_posts: 40,
        status: 'ok',
        message: null,
        cells: [],
        best_slots: [{ weekday: 4, hour: 18, posts: 7, score: 1.8, above_median: 7, confidence: 0.99, confidence_label: 'high' }],
      }),
      'POST /api/v1/posts': () => ({ id: 'p1' }),
    })
    renderWithProviders(<PostDialog videoId="v1" timeZone="Europe/Paris" />)
    const user = userEvent.setup()
    await user.click(screen.getByTestId('post-video'))
    expect(await screen.findByText('Schedule for (your time zone: Europe/Paris)')).toBeInTheDocument()
    await user.click(await screen.findByLabelText('youtube: youtube account'))
    const warning = await screen.findByTestId('post-duplicate-warning')
    expect(warning).toHaveTextContent('youtube: youtube account: Queued')
    expect(calls.find((c) => c.path === '/api/v1/posts/conflicts')).toBeTruthy()
    // a chip: Friday 18:00 Paris, 7 posts, high confidence; it sets the next Friday 18:00
    const chip = await screen.findByRole('button', { name: /Use Fri 18:00 \(7 posts measured, high confidence\)/ })
    await user.click(chip)
    expect(screen.getByLabelText('Schedule for (your time zone: Europe/Paris)')).toHaveValue('2027-03-12T18:00')
    // the YouTube tab: privacy and category; the Instagram tab: share to feed off
    await user.selectOptions(screen.getByLabelText('Who can see it'), 'unlisted')
    await user.selectOptions(screen.getByLabelText('Category'), '27')
    await user.click(screen.getByLabelText('instagram: instagram account'))
    await user.click(screen.getByRole('tab', { name: 'Instagram' }))
    await user.click(screen.getByLabelText('Also share to the feed'))
    // live limits: a 101-character YouTube title blocks the button until shortened
    await user.click(screen.getByRole('tab', { name: 'YouTube' }))
    await user.click(screen.getByLabelText('Title'))
    await user.paste('x'.repeat(101))
    expect(screen.getByTestId('post-live-problems')).toHaveTextContent('YouTube: the Title is longer than 100 characters')
    expect(screen.getByTestId('post-submit')).toBeDisabled()
    await user.type(screen.getByLabelText('Title'), '{Backspace}')
    await user.click(screen.getByTestId('post-submit'))
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true))
    const body = calls.find((c) => c.method === 'POST')?.body as {
      scheduled_at: string
      timezone: string
      targets: { social_account_id: string; privacy: string | null; title: string | null; settings: Record<string, unknown> }[]
    }
    expect(body.scheduled_at).toBe('2027-03-12T17:00:00.000Z')
    expect(body.timezone).toBe('Europe/Paris')
    expect(body.targets[0]).toMatchObject({ social_account_id: 'yt', privacy: 'unlisted', title: 'x'.repeat(100) })
    expect(body.targets[0]?.settings).toMatchObject({ category_id: '27', made_for_kids: false })
    expect(body.targets[1]).toMatchObject({ social_account_id: 'ig', privacy: null, settings: { share_to_feed: false } })
  }, 30_000)

  it('says when there is not enough data for best times', async () => {
    mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [account('yt', 'youtube')] }),
      'GET /api/v1/analytics/heatmap': () => ({
        timezone: 'UTC',
        days: 90,
        platform: null,
        measured_posts: 2,
        status: 'insufficient_data',
        message: '2 measured post(s) in the last 90 days.',
        cells: [],
        best_slots: [],
      }),
    })
    renderWithProviders(<PostDialog videoId="v1" timeZone="UTC" />)
    await userEvent.setup().click(screen.getByTestId('post-video'))
    expect(await screen.findByTestId('post-best-slots-empty')).toHaveTextContent('Not enough data yet. 2 measured post(s) in the last 90 days.')
  })
})
