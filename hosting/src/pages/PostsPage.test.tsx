import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Post, PostTarget } from '@/api/types'
import { mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { PostsPage } from './PostsPage'

function target(overrides: Partial<PostTarget>): PostTarget {
  return {
    id: 't1-youtube',
    social_account_id: 'acc-yt',
    platform: 'youtube',
    account_name: 'Ada Creates',
    status: 'queued',
    revision: 0,
    content: { title: 'Octopus', caption: '', hashtags: [], privacy: null, cover_frame_s: null, ai_generated: true, settings: {} },
    not_before: null,
    waiting_reason: null,
    platform_post_id: null,
    url: null,
    published_at: null,
    error: null,
    retryable: null,
    attempts: 0,
    ...overrides,
  }
}

function post(overrides: Partial<Post>): Post {
  return {
    id: 'p1',
    video_id: 'v1',
    video_title: 'Why octopuses have three hearts',
    status: 'partially_published',
    scheduled_at: '2026-12-07T17:00:00Z',
    timezone: 'UTC',
    revision: 0,
    ai_disclosure: { ai_generated: true, reasons: ['synthetic voice'], sent_as: {} },
    targets: [],
    created_at: '2026-12-07T16:00:00Z',
    updated_at: '2026-12-07T16:00:00Z',
    ...overrides,
  }
}

describe('PostsPage', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows each target with its link or its reason, and retries a failed target', async () => {
    const { calls } = mockApi({
      'GET /api/v1/posts': () => ({
        items: [
          post({
            targets: [
              target({ status: 'published', url: 'https://www.youtube.com/watch?v=abc', platform_post_id: 'abc' }),
              target({
                id: 't2-tiktok',
                platform: 'tiktok',
                status: 'failed',
                retryable: true,
                error: { code: 'spam_risk_too_many_posts', message: 'TikTok daily cap reached', http_status: 403, retryable: true, platform_response: null },
              }),
            ],
          }),
        ],
        next_cursor: null,
        has_more: false,
      }),
      'POST /api/v1/posts/p1/publish': () => post({}),
    })
    renderWithProviders(
      <MemoryRouter>
        <PostsPage />
      </MemoryRouter>,
    )
    expect(await screen.findByText('Why octopuses have three hearts')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Open' })).toHaveAttribute('href', 'https://www.youtube.com/watch?v=abc')
    expect(screen.getByText('TikTok daily cap reached')).toBeInTheDocument()
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/posts/p1/publish')).toBe(true))
  }, 20_000)

  it('offers to cancel a scheduled post', async () => {
    const { calls } = mockApi({
      'GET /api/v1/posts': () => ({ items: [post({ status: 'scheduled', targets: [target({})] })], next_cursor: null, has_more: false }),
      'DELETE /api/v1/posts/p1': () => post({ status: 'cancelled' }),
    })
    renderWithProviders(
      <MemoryRouter>
        <PostsPage />
      </MemoryRouter>,
    )
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Cancel queued' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/posts/p1')).toBe(true))
  })
})

describe('PostsPage: CSV export and import', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('downloads the schedule as CSV and checks an import, row by row, before creating', async () => {
    const saved: Blob[] = []
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (saved.push(b), 'blob:x'), revokeObjectURL: () => {} }))
    const csvText = 'post_id,target_id\np1,t1-youtube\n'
    const { calls } = mockApi({
      'GET /api/v1/posts': () => ({ items: [post({})], next_cursor: null, has_more: false }),
      'GET /api/v1/posts/export': () => new Response(csvText, { status: 200, headers: { 'Content-Type': 'text/csv' } }),
      'POST /api/v1/posts/import': (request) =>
        request.json().then((body: { dry_run: boolean }) => ({
          dry_run: body.dry_run,
          valid: false,
          posts_planned: 1,
          posts_created: body.dry_run ? 0 : 1,
          created: [],
          rows: [
            { row: 2, status: body.dry_run ? 'valid' : 'created', group: 0, errors: [], warnings: ['this video is already queued to this account'], post_id: body.dry_run ? null : 'p9' },
            {
              row: 3,
              status: body.dry_run ? 'invalid' : 'not_created',
              group: null,
              errors: [{ field: 'scheduled_at', message: 'use ISO 8601', type: 'datetime' }],
              warnings: [],
            },
          ],
        })),
    })
    renderWithProviders(
      <MemoryRouter>
        <PostsPage />
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    await user.click(await screen.findByTestId('export-schedule'))
    await waitFor(() => expect(saved).toHaveLength(1))
    expect(await saved[0]?.text()).toBe(csvText)
    expect(calls.some((c) => c.path === '/api/v1/posts/export')).toBe(true)

    await user.click(screen.getByTestId('import-schedule'))
    await user.click(screen.getByLabelText('Or paste the CSV'))
    await user.paste('video_id,account_id,scheduled_at\nv1,a1,2027-01-01T09:00:00Z\nv1,a1,tomorrow')
    await user.click(screen.getByTestId('import-check'))
    const rowTwo = await screen.findByTestId('import-row-2')
    expect(rowTwo).toHaveTextContent('Valid')
    expect(rowTwo).toHaveTextContent('already queued')
    expect(screen.getByTestId('import-row-3')).toHaveTextContent('scheduled_at: use ISO 8601')
    expect(screen.getByText('Some rows need fixing (below); nothing has been created.')).toBeInTheDocument()
    // an invalid row blocks the import until "import the valid rows" is chosen
    expect(screen.getByTestId('import-run')).toBeDisabled()
    await user.click(screen.getByLabelText('Import the valid rows and skip the invalid ones'))
    await user.click(screen.getByTestId('import-run'))
    expect(await screen.findByText('1 post created.')).toBeInTheDocument()
    const sent = calls.filter((c) => c.path === '/api/v1/posts/import').map((c) => c.body as { dry_run: boolean; partial: boolean })
    expect(sent.map((b) => [b.dry_run, b.partial])).toEqual([
      [true, false],
      [false, true],
    ])
  }, 30_000)
})
