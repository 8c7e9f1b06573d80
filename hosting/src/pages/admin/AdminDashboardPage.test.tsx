import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminDashboardPage } from './AdminDashboardPage'

const me = makeUser({ uid: 'admin-1', role: 'admin', display_name: 'Root Admin' })
const signedIn = () => makeAuth({ status: 'signed-in', user: me })

const stats = {
  users: { total: 12, active: 11, disabled: 1, by_role: { free: 8, premium: 3, admin: 1 } },
  videos_created_total: 42,
  videos_by_status: { completed: 30, failed: 4, processing: 1 },
  notifications_unread: 7,
}
const activity = (days: number) => ({
  days,
  total_signups: 5,
  signups: [
    { day: '2026-11-22', signups: 2 },
    { day: '2026-11-23', signups: 0 },
    { day: '2026-11-24', signups: 3 },
  ],
})
const topUsers = {
  metric: 'videos',
  basis: 'videos ever started',
  scanned: 0,
  truncated: false,
  items: [{ user: makeUser({ uid: 'u-ada', display_name: 'Ada Lovelace', role: 'premium' }), value: 17 }],
}
const broadcast = (over: Record<string, unknown> = {}) => ({
  broadcast_id: 'b1',
  title: 'Maintenance tonight',
  message: 'We restart at 22:00.',
  link: null,
  roles: null,
  created_by: 'admin-1',
  created_at: '2026-11-24T10:00:00Z',
  status: 'sending',
  pages_done: 1,
  delivered: 200,
  skipped: 0,
  finished_at: null,
  ...over,
})

const revenue = {
  currency: 'usd',
  mrr: 917,
  arr: 11004,
  subscribers: 2,
  by_plan_and_status: [],
  churned_30d: 0,
  churn_rate_30d: 0,
  admin_granted: 0,
  subscribers_by_plan: { monthly: 1, annual: 1, other: 0 },
  history: [
    { day: '2026-11-29', mrr: 500, arr: 6000, subscribers: 1, by_plan: { monthly: 1, annual: 0, other: 0 } },
    { day: '2026-11-30', mrr: 917, arr: 11004, subscribers: 2, by_plan: { monthly: 1, annual: 1, other: 0 } },
  ],
  emulated: true,
}

function baseRoutes() {
  return {
    'GET /api/v1/subscriptions/admin/stats': () => revenue,
    'GET /api/v1/admin/stats': () => stats,
    'GET /api/v1/admin/activity': (_r: Request, url: URL) => activity(Number(url.searchParams.get('days'))),
    'GET /api/v1/admin/top-users': () => topUsers,
    'GET /api/v1/notifications/admin/broadcasts': () => ({ items: [], next_cursor: null, has_more: false }),
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('AdminDashboardPage', () => {
  it('shows platform totals, signups and top creators', async () => {
    const { calls } = mockApi(baseRoutes())
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    const totals = await screen.findByRole('region', { name: 'Platform totals' })
    expect(await within(totals).findByText('42')).toBeInTheDocument()
    expect(within(totals).getByText('12')).toBeInTheDocument()
    expect(await screen.findByText('5 new accounts in the last 30 days.')).toBeInTheDocument()
    expect(screen.getByRole('table', { name: 'Signups per day' })).toHaveTextContent('3')
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument()
    expect(screen.getByText('17 videos')).toBeInTheDocument()
    const sections = screen.getByRole('navigation', { name: 'Admin sections' })
    expect(within(sections).getByRole('link', { name: 'Users' })).toHaveAttribute('href', '/admin/users')
    expect(within(sections).getByRole('link', { name: 'Platform settings' })).toHaveAttribute('href', '/admin/settings')

    await userEvent.click(screen.getByRole('button', { name: '7 days' }))
    await waitFor(() => expect(screen.getByText('5 new accounts in the last 7 days.')).toBeInTheDocument())
    expect(calls.filter((c) => c.path === '/api/v1/admin/activity')).toHaveLength(2)
  })

  it('sends a broadcast with the chosen roles and lists its progress', async () => {
    let items: ReturnType<typeof broadcast>[] = []
    const { calls } = mockApi({
      ...baseRoutes(),
      'GET /api/v1/notifications/admin/broadcasts': () => ({ items, next_cursor: null, has_more: false }),
      'POST /api/v1/notifications/admin/broadcast': () => {
        items = [broadcast()]
        return new Response(JSON.stringify({ broadcast_id: 'b1', task: 'broadcast-b1-0', created: true }), {
          status: 202,
          headers: { 'Content-Type': 'application/json' },
        })
      },
    })
    const user = userEvent.setup()
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByText('No broadcasts yet.')).toBeInTheDocument()

    await user.type(screen.getByLabelText('Title'), 'Maintenance tonight')
    await user.type(screen.getByLabelText('Message'), 'We restart at 22:00.')
    await user.click(screen.getByRole('checkbox', { name: 'Premium' }))
    await user.click(screen.getByRole('checkbox', { name: /Also send by email/ }))
    await user.click(screen.getByRole('button', { name: 'Send broadcast' }))

    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        title: 'Maintenance tonight',
        message: 'We restart at 22:00.',
        link: null,
        roles: ['premium'],
        email: true,
      }),
    )
    const row = await screen.findByTestId('broadcast-b1')
    expect(row).toHaveTextContent('Sending')
    expect(row).toHaveTextContent('Delivered:200')
    expect(screen.getByLabelText('Title')).toHaveValue('')
  })

  it('polls while a broadcast is sending and stops once it is done', async () => {
    let polls = 0
    mockApi({
      ...baseRoutes(),
      'GET /api/v1/notifications/admin/broadcasts': () => {
        polls += 1
        const done = polls >= 2
        return {
          items: [broadcast(done ? { status: 'done', pages_done: 2, delivered: 250, skipped: 3 } : {})],
          next_cursor: null,
          has_more: false,
        }
      },
    })
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByTestId('broadcast-b1')).toHaveTextContent('Sending')
    await waitFor(() => expect(screen.getByTestId('broadcast-b1')).toHaveTextContent('Done'), { timeout: 5000 })
    expect(screen.getByTestId('broadcast-b1')).toHaveTextContent('Skipped:3')
    const after = polls
    await new Promise((r) => setTimeout(r, 3500))
    expect(polls).toBe(after)
  }, 15000)

  it('shows 422 field errors under the broadcast fields', async () => {
    mockApi({
      ...baseRoutes(),
      'POST /api/v1/notifications/admin/broadcast': () =>
        errorResponse(422, 'validation_failed', 'invalid request', [
          { field: 'body.link', message: 'String should have at most 500 characters' },
        ]),
    })
    const user = userEvent.setup()
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    await user.type(await screen.findByLabelText('Title'), 'Hi')
    await user.type(screen.getByLabelText('Message'), 'There')
    await user.type(screen.getByLabelText('Link (optional)'), '/x')
    await user.click(screen.getByRole('button', { name: 'Send broadcast' }))
    expect(await screen.findByText('String should have at most 500 characters')).toBeInTheDocument()
    expect(screen.getByLabelText('Link (optional)')).toHaveAttribute('aria-invalid', 'true')
  })

  it('shows MRR and ARR now and per day, and subscribers by plan', async () => {
    mockApi(baseRoutes())
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByTestId('revenue-mrr')).toHaveTextContent('$9.17')
    expect(screen.getByTestId('revenue-arr')).toHaveTextContent('$110.04')
    const card = screen.getByTestId('revenue-card')
    expect(card).toHaveTextContent('Emulated (local)')
    expect(card).toHaveTextContent('Monthly: 1')
    expect(card).toHaveTextContent('Annual: 1')
    const rows = within(screen.getByRole('table', { name: 'Revenue per day' })).getAllByRole('row')
    expect(rows).toHaveLength(3)
    expect(rows[1]).toHaveTextContent('$5.00')
    expect(rows[2]).toHaveTextContent('$110.04')
  })

  it('says so when billing is not configured', async () => {
    mockApi({
      ...baseRoutes(),
      'GET /api/v1/subscriptions/admin/stats': () => errorResponse(503, 'unavailable', 'billing is not configured'),
    })
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByText('Billing is not configured on this server, so there is no revenue to show.')).toBeInTheDocument()
  })

  it('shows why the statistics could not be loaded', async () => {
    mockApi({ ...baseRoutes(), 'GET /api/v1/admin/stats': () => errorResponse(403, 'forbidden', 'Admins only.') })
    renderWithProviders(<MemoryRouter><AdminDashboardPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByRole('alert')).toHaveTextContent('Admins only.')
  })
})
