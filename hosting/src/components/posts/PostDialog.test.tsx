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
