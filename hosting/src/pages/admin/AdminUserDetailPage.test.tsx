import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminUserDetailPage } from './AdminUserDetailPage'

const me = makeUser({ uid: 'admin-1', email: 'root@example.com', display_name: 'Root Admin', role: 'admin' })
const ada = makeUser({ uid: 'u-ada', email: 'ada@example.com', display_name: 'Ada Lovelace', role: 'premium' })

const usage = {
  role: 'premium',
  day: '2026-12-07',
  videos_today: 2,
  daily_limit: 50,
  remaining_today: 48,
  active_generations: 0,
  max_concurrent: 3,
  retention_days: 30,
  can_schedule: true,
  can_use_ai_suggestions: true,
  resets_at: '2026-12-08T00:00:00Z',
}

function detail(overrides: Record<string, unknown> = {}) {
  return {
    user: ada,
    usage,
    videos: 7,
    videos_by_status: { completed: 6, failed: 1 },
    posts: 3,
    storage_bytes: 5 * 1024 * 1024,
    subscription: { role: 'premium', is_premium: true, source: 'subscription', plan: 'monthly', status: 'active', cancel_at_period_end: false },
    connected_accounts: [
      { id: 'acc1', platform: 'tiktok', platform_account_id: 'x', status: 'connected', display_name: 'Ada on TikTok', scopes: [], capabilities: {}, connected_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z' },
    ],
    last_activity_at: '2026-12-06T10:00:00Z',
    deletion: null,
    ...overrides,
  }
}

function job(status: string, phase: string | null, counts: Record<string, number> = {}) {
  return {
    uid: 'u-ada',
    mode: 'soft',
    status,
    phase,
    phases: ['subscription', 'social_accounts', 'posts', 'videos', 'user'],
    counts,
    requested_by: 'admin-1',
    requested_at: '2026-12-07T10:00:00Z',
    purge_after: '2027-01-06T10:00:00Z',
  }
}

function renderAt(uid: string) {
  return renderWithProviders(
    <MemoryRouter initialEntries={[`/admin/users/${uid}`]}>
      <Routes>
        <Route path="/admin/users/:uid" element={<AdminUserDetailPage />} />
      </Routes>
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user: me }) },
  )
}

afterEach(() => vi.unstubAllGlobals())

describe('AdminUserDetailPage', () => {
  it('shows the user with their stats, plan and accounts', async () => {
    mockApi({ 'GET /api/v1/admin/users/u-ada': () => detail() })
    renderAt('u-ada')
    expect(await screen.findByRole('heading', { name: 'Ada Lovelace' })).toBeInTheDocument()
    const stats = screen.getByRole('region', { name: 'Usage' })
    expect(within(stats).getByText('7')).toBeInTheDocument()
    expect(within(stats).getByText('3')).toBeInTheDocument()
    expect(within(stats).getByText('5 MB')).toBeInTheDocument()
    expect(screen.getByText('Ada on TikTok')).toBeInTheDocument()
    expect(screen.getByText('2 of 50')).toBeInTheDocument()
    expect(screen.getByText('monthly')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'All users' })).toHaveAttribute('href', '/admin/users')
  })

  it('soft-deletes through the dialog and shows the scheduled purge', async () => {
    let deleted = false
    const { calls } = mockApi({
      'GET /api/v1/admin/users/u-ada': () => detail(deleted ? { deletion: job('scheduled', null) } : {}),
      'DELETE /api/v1/admin/users/u-ada': () => {
        deleted = true
        return job('scheduled', null)
      },
      'GET /api/v1/admin/users/u-ada/deletion': () => job('scheduled', null),
    })
    renderAt('u-ada')
    await userEvent.click(await screen.findByRole('button', { name: 'Delete user…' }))
    const dialog = screen.getByRole('alertdialog')
    expect(within(dialog).getByRole('radio', { name: /Soft delete/ })).toBeChecked()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable and schedule the purge' }))
    expect(await within(dialog).findByText(/everything is purged on/)).toBeInTheDocument()
    const sent = calls.find((c) => c.method === 'DELETE')
    expect(sent?.path).toBe('/api/v1/admin/users/u-ada')
    const url = vi.mocked(fetch).mock.calls.map(([r]) => new URL((r as Request).url)).find((u) => u.searchParams.has('mode'))
    expect(url?.searchParams.get('mode')).toBe('soft')
  })

  it('follows a hard delete to the end', async () => {
    let polls = 0
    mockApi({
      'GET /api/v1/admin/users/u-ada': () => detail(),
      'DELETE /api/v1/admin/users/u-ada': () => job('running', null),
      'GET /api/v1/admin/users/u-ada/deletion': () => {
        polls += 1
        return polls > 1 ? job('done', null, { videos: 7, posts: 3 }) : job('running', 'videos', { posts: 3 })
      },
    })
    renderAt('u-ada')
    await userEvent.click(await screen.findByRole('button', { name: 'Delete user…' }))
    const dialog = screen.getByRole('alertdialog')
    await userEvent.click(within(dialog).getByRole('radio', { name: /Hard delete/ }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete everything now' }))
    expect(await within(dialog).findByText('Deleting: videos (step 4 of 5)')).toBeInTheDocument()
    await waitFor(() => expect(within(dialog).getByText('Deleted: nothing of this user is left.')).toBeInTheDocument(), {
      timeout: 4000,
    })
    expect(within(dialog).getByText('videos')).toBeInTheDocument()
  })

  it('offers no delete on your own account, and restores a soft-deleted user', async () => {
    mockApi({
      'GET /api/v1/admin/users/admin-1': () => detail({ user: me }),
    })
    renderAt('admin-1')
    expect(await screen.findByText('You cannot delete your own account.')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Delete user…' })).not.toBeInTheDocument()
  })

  it('restores a soft-deleted user and shows a refusal', async () => {
    let restores = 0
    mockApi({
      'GET /api/v1/admin/users/u-ada': () => detail({ deletion: job('scheduled', null) }),
      'POST /api/v1/admin/users/u-ada/restore': () => {
        restores += 1
        return errorResponse(409, 'deletion_started', 'the purge has started; a user being purged cannot be restored')
      },
    })
    renderAt('u-ada')
    await userEvent.click(await screen.findByRole('button', { name: 'Restore user' }))
    expect(await screen.findByText(/cannot be restored/)).toBeInTheDocument()
    expect(restores).toBe(1)
  })
})
