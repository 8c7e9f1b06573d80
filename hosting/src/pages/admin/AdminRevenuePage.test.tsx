import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminRevenuePage } from './AdminRevenuePage'

const me = makeUser({ uid: 'admin-1', role: 'admin' })
const ada = makeUser({ uid: 'u-ada', display_name: 'Ada Lovelace' })

afterEach(() => vi.unstubAllGlobals())

describe('AdminRevenuePage', () => {
  it('ranks users by the chosen metric and shows template performance', async () => {
    mockApi({
      'GET /api/v1/subscriptions/admin/stats': () => errorResponse(503, 'billing_off', 'Billing is not set up'),
      'GET /api/v1/admin/top-users': (_r, url) => {
        const metric = url.searchParams.get('metric')
        return {
          metric,
          basis: metric === 'storage' ? 'bytes of the finished videos stored now' : 'videos ever started',
          items: [{ user: ada, value: metric === 'storage' ? 3 * 1024 * 1024 : 12 }],
          scanned: 0,
          truncated: false,
        }
      },
      'GET /api/v1/admin/stats/templates': () => ({
        items: [
          { template_id: 't1', name: 'Explainer', is_system: true, videos: 10, completed: 8, failed: 2, success_rate: 0.8, measured_posts: 3, median_views: 420 },
        ],
        videos_scanned: 10,
        truncated: false,
      }),
    })
    renderWithProviders(
      <MemoryRouter>
        <AdminRevenuePage />
      </MemoryRouter>,
      { auth: makeAuth({ status: 'signed-in', user: me }) },
    )
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' }, { timeout: 5000 })).toHaveAttribute('href', '/admin/users/u-ada')
    expect(screen.getByText('12')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Storage' }))
    await waitFor(() => expect(screen.getByText('3 MB')).toBeInTheDocument())
    expect(screen.getByText('bytes of the finished videos stored now')).toBeInTheDocument()
    expect(await screen.findByText('Explainer')).toBeInTheDocument()
    expect(screen.getByText('80%')).toBeInTheDocument()
    expect(screen.getByText('420')).toBeInTheDocument()
  })
})
