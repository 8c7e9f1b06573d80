import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminUsersPage } from './AdminUsersPage'

const me = makeUser({ uid: 'admin-1', email: 'root@example.com', display_name: 'Root Admin', role: 'admin' })
const ada = makeUser({ uid: 'u-ada', email: 'ada@example.com', display_name: 'Ada Lovelace', role: 'free' })
const bob = makeUser({ uid: 'u-bob', email: 'bob@example.com', display_name: 'Bob Premium', role: 'premium' })
const cat = makeUser({ uid: 'u-cat', email: 'cat@example.com', display_name: 'Cat Later', role: 'free', is_active: false })

const signedIn = () => makeAuth({ status: 'signed-in', user: me })

afterEach(() => vi.unstubAllGlobals())

describe('AdminUsersPage', () => {
  it('lists users page by page and sends the filters to the server', async () => {
    const { calls } = mockApi({
      'GET /api/v1/users': (_req, url) => {
        if (url.searchParams.get('cursor') === 'c1') return { items: [cat], next_cursor: null, has_more: false }
        if (url.searchParams.get('search')) return { items: [bob], next_cursor: null, has_more: false }
        return { items: [me, ada, bob], next_cursor: 'c1', has_more: true }
      },
    })
    renderWithProviders(<MemoryRouter><AdminUsersPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument()
    expect(screen.getByText('bob@example.com')).toBeInTheDocument()
    expect(within(screen.getByTestId('user-row-admin-1')).getByText('You')).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }))
    expect(await screen.findByText('Cat Later')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Enable Cat Later' })).toBeInTheDocument()
    expect(calls.filter((c) => c.path === '/api/v1/users')).toHaveLength(2)

    await userEvent.type(screen.getByLabelText('Search users'), 'bo')
    await waitFor(() => expect(screen.queryByText('Ada Lovelace')).not.toBeInTheDocument())
    const searched = vi.mocked(fetch).mock.calls.map(([r]) => new URL((r as Request).url)).at(-1)
    expect(searched?.searchParams.get('search')).toBe('bo')
    expect(searched?.searchParams.get('search_by')).toBe('email')
  })

  it('changes a role after confirmation and sends the new role', async () => {
    const { calls } = mockApi({
      'GET /api/v1/users': () => ({ items: [me, ada], next_cursor: null, has_more: false }),
      'PATCH /api/v1/users/u-ada/role': async (request) => ({ ...ada, role: ((await request.json()) as { role: 'premium' }).role }),
    })
    const user = userEvent.setup()
    renderWithProviders(<MemoryRouter><AdminUsersPage /></MemoryRouter>, { auth: signedIn() })
    await user.click(await screen.findByRole('combobox', { name: 'Role of Ada Lovelace' }))
    await user.click(await screen.findByRole('option', { name: 'Admin' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog).toHaveTextContent('Ada Lovelace will become Admin')
    await user.click(within(dialog).getByRole('button', { name: 'Change role' }))
    await waitFor(() => expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ role: 'admin' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
  })

  it('offers no action the server would refuse on my own row', async () => {
    mockApi({ 'GET /api/v1/users': () => ({ items: [me, ada], next_cursor: null, has_more: false }) })
    renderWithProviders(<MemoryRouter><AdminUsersPage /></MemoryRouter>, { auth: signedIn() })
    const mine = await screen.findByTestId('user-row-admin-1')
    expect(within(mine).queryByRole('button', { name: 'Disable Root Admin' })).not.toBeInTheDocument()
    expect(within(mine).getByRole('combobox', { name: 'Role of Root Admin' })).toBeDisabled()
    expect(within(mine).getByText('Your account')).toBeInTheDocument()
    // Everyone else keeps their actions, and the table says it scrolls on a phone.
    const other = screen.getByTestId('user-row-u-ada')
    expect(within(other).getByRole('button', { name: 'Disable Ada Lovelace' })).toBeEnabled()
    expect(within(other).getByRole('combobox', { name: 'Role of Ada Lovelace' })).toBeEnabled()
    expect(screen.getByRole('region', { name: 'Users' })).toHaveAccessibleDescription(
      'Scroll the table sideways for status, videos and actions.',
    )
  })

  it('grants premium at once and shows the server refusing to disable someone', async () => {
    let stored = ada
    const { calls } = mockApi({
      'GET /api/v1/users': () => ({ items: [me, stored], next_cursor: null, has_more: false }),
      'POST /api/v1/users/u-ada/grant-premium': () => (stored = { ...ada, role: 'premium', premium_granted_by: 'admin-1' }),
      'PATCH /api/v1/users/u-ada/status': () => errorResponse(403, 'last_admin', 'the account cannot be disabled now'),
    })
    const user = userEvent.setup()
    renderWithProviders(<MemoryRouter><AdminUsersPage /></MemoryRouter>, { auth: signedIn() })

    await user.click(await screen.findByRole('button', { name: 'Grant premium to Ada Lovelace' }))
    expect(await screen.findByRole('button', { name: 'Revoke premium from Ada Lovelace' })).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/users/u-ada/grant-premium')).toBe(true)

    await user.click(screen.getByRole('button', { name: 'Disable Ada Lovelace' }))
    const dialog = await screen.findByRole('alertdialog')
    await user.click(within(dialog).getByRole('button', { name: 'Disable' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('the account cannot be disabled now')
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ is_active: false })
  })

  it('shows why the list could not be loaded', async () => {
    mockApi({ 'GET /api/v1/users': () => errorResponse(403, 'forbidden', 'Admins only.') })
    renderWithProviders(<MemoryRouter><AdminUsersPage /></MemoryRouter>, { auth: signedIn() })
    expect(await screen.findByRole('alert')).toHaveTextContent('Admins only.')
  })
})
