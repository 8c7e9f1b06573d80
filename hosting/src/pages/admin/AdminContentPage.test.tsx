import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminContentPage } from './AdminContentPage'

const me = makeUser({ uid: 'admin-1', role: 'admin' })

const videoJob = {
  kind: 'video',
  id: 'vid1',
  target_id: null,
  owner_id: 'u-ada',
  title: 'Octopus hearts',
  stage: 'voice',
  message: '401 invalid api key',
  error: { step: 'voice', provider: 'elevenlabs', message: '401 invalid api key', payload: { detail: 'invalid_api_key' } },
  retryable: true,
  failed_at: '2026-12-07T10:00:00Z',
}
const postJob = {
  ...videoJob,
  kind: 'post',
  id: 'post1',
  target_id: 't1',
  title: 'Cats',
  stage: 'tiktok',
  message: 'Too many posts',
  error: { code: 'spam_risk', message: 'Too many posts' },
  retryable: false,
}

afterEach(() => vi.unstubAllGlobals())

function renderPage() {
  return renderWithProviders(
    <MemoryRouter>
      <AdminContentPage />
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user: me }) },
  )
}

describe('AdminContentPage', () => {
  it('lists failed jobs with their full error and retries one', async () => {
    let failed = [videoJob, postJob]
    const { calls } = mockApi({
      'GET /api/v1/admin/content/failed-jobs': (_r, url) => {
        const kind = url.searchParams.get('kind')
        const items = kind ? failed.filter((j) => j.kind === kind) : failed
        return { items, counts: {} }
      },
      'POST /api/v1/admin/content/failed-jobs/retry': () => {
        failed = failed.filter((j) => j.id !== 'vid1')
        return { kind: 'video', id: 'vid1', outcome: 'retried' }
      },
    })
    renderPage()
    const row = await screen.findByTestId('failed-video-vid1-')
    expect(within(row).getByText('401 invalid api key')).toBeInTheDocument()
    await userEvent.click(within(row).getByText('Full error'))
    expect(within(row).getByText(/invalid_api_key/)).toBeInTheDocument()
    expect(within(screen.getByTestId('failed-post-post1-t1')).getByRole('button', { name: 'Retry Cats' })).toBeDisabled()
    expect(screen.getByRole('region', { name: 'Failed jobs' })).toHaveAttribute('tabindex', '0')

    await userEvent.click(within(row).getByRole('button', { name: 'Retry Octopus hearts' }))
    await waitFor(() => expect(screen.queryByTestId('failed-video-vid1-')).not.toBeInTheDocument())
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ kind: 'video', id: 'vid1', target_id: null })

    await userEvent.click(screen.getByRole('button', { name: 'Publishing' }))
    const url = vi.mocked(fetch).mock.calls.map(([r]) => new URL((r as Request).url)).at(-1)
    expect(url?.searchParams.get('kind')).toBe('post')
  })

  it('shows recent videos and posts on their tabs', async () => {
    mockApi({
      'GET /api/v1/admin/content/failed-jobs': () => ({ items: [], counts: {} }),
      'GET /api/v1/admin/content/videos': () => ({
        items: [{ id: 'v1', owner_id: 'u-ada', title: 'Why cats purr', topic: 'cats', template_id: 't', template_name: 'Explainer', status: 'completed', created_at: '2026-12-07T10:00:00Z' }],
        next_cursor: null,
        has_more: false,
      }),
      'GET /api/v1/admin/content/posts': () => ({
        items: [{ id: 'p1', owner_id: 'u-bob', video_id: 'v1', video_title: 'Purring', status: 'published', created_at: '2026-12-07T10:00:00Z', targets: [{ id: 't1', platform: 'youtube', status: 'published' }] }],
        next_cursor: null,
        has_more: false,
      }),
    })
    renderPage()
    expect(await screen.findByText('Nothing has failed')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('tab', { name: 'Recent videos' }))
    expect(await screen.findByText('Why cats purr')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'u-ada' })).toHaveAttribute('href', '/admin/users/u-ada')
    await userEvent.click(screen.getByRole('tab', { name: 'Recent posts' }))
    expect(await screen.findByText('Purring')).toBeInTheDocument()
    expect(screen.getByText('youtube: published')).toBeInTheDocument()
  })
})
