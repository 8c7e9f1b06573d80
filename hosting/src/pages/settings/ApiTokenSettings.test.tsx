import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { ApiTokenSettings } from './ApiTokenSettings'

const signedIn = () => makeAuth({ status: 'signed-in', user: makeUser() })
const scopes = { read: 'r', 'videos:create': 'v', posts: 'p', analytics: 'a' }
const ci = {
  id: 'a'.repeat(64),
  name: 'ci',
  scopes: ['read'],
  hint: 'syn_pat_…wxyz',
  created_at: '2026-12-01T10:00:00Z',
  expires_at: '2026-12-31T10:00:00Z',
  last_used_at: '2026-12-07T09:30:00Z' as string | null,
  expired: false,
}
const old = { ...ci, id: 'b'.repeat(64), name: 'old batch', last_used_at: null, expired: true, expires_at: '2026-12-02T10:00:00Z' }

afterEach(() => vi.unstubAllGlobals())

describe('ApiTokenSettings', () => {
  it('lists tokens with their scopes, expiry and last use', async () => {
    mockApi({ 'GET /api/v1/tokens': () => ({ items: [ci, old], max_active: 25, scopes }) })
    renderWithProviders(<ApiTokenSettings />, { auth: signedIn() })
    expect(await screen.findByText('At most 25 active tokens.')).toBeInTheDocument()
    expect(screen.getByText(/Last used/)).toBeInTheDocument()
    expect(screen.getByText(/Never used/)).toBeInTheDocument()
    expect(screen.getByText('Expired')).toBeInTheDocument()
    expect(screen.getAllByText('syn_pat_…wxyz')).toHaveLength(2)
    const oldRow = screen.getByText('old batch').closest('li')!
    expect(within(oldRow).getByText('Expired')).toBeInTheDocument()
    expect(within(oldRow).getByText('Read')).toBeInTheDocument()
  })

  it('creates a token with the chosen scopes and expiry and shows it once', async () => {
    let items: (typeof ci)[] = []
    const { calls } = mockApi({
      'GET /api/v1/tokens': () => ({ items, max_active: 25, scopes }),
      'POST /api/v1/tokens': () => {
        items = [{ ...ci, name: 'agent', scopes: ['read', 'videos:create'], last_used_at: null }]
        return { ...items[0], token: 'syn_pat_SECRETSECRETSECRETSECRETSECRETSECRETSECRE' }
      },
    })
    renderWithProviders(<ApiTokenSettings />, { auth: signedIn() })
    expect(await screen.findByText('No tokens yet.')).toBeInTheDocument()
    const create = screen.getByRole('button', { name: 'Create token' })
    expect(create).toBeDisabled() // no name yet
    await userEvent.type(screen.getByLabelText('Name'), ' agent ')
    await userEvent.click(screen.getByRole('checkbox', { name: /Create videos/ }))
    await userEvent.selectOptions(screen.getByLabelText('Expires after'), '90')
    await userEvent.click(create)
    expect(await screen.findByTestId('new-api-token')).toHaveTextContent('syn_pat_SECRET')
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'agent',
      scopes: ['read', 'videos:create'],
      expires_in_days: 90,
    })
    await userEvent.click(screen.getByRole('button', { name: 'Done' }))
    expect(screen.queryByTestId('new-api-token')).not.toBeInTheDocument()
    expect(await screen.findByText('agent')).toBeInTheDocument()
  }, 20_000)

  it('needs at least one scope', async () => {
    mockApi({ 'GET /api/v1/tokens': () => ({ items: [], max_active: 25, scopes }) })
    renderWithProviders(<ApiTokenSettings />, { auth: signedIn() })
    await userEvent.type(await screen.findByLabelText('Name'), 'x')
    expect(screen.getByRole('button', { name: 'Create token' })).toBeEnabled()
    await userEvent.click(screen.getByRole('checkbox', { name: /Read/ }))
    expect(screen.getByRole('button', { name: 'Create token' })).toBeDisabled()
  })

  it('shows the API refusal when the limit is reached', async () => {
    mockApi({
      'GET /api/v1/tokens': () => ({ items: [], max_active: 25, scopes }),
      'POST /api/v1/tokens': () => errorResponse(409, 'too_many_tokens', 'you already have 25 active tokens; revoke one first'),
    })
    renderWithProviders(<ApiTokenSettings />, { auth: signedIn() })
    await userEvent.type(await screen.findByLabelText('Name'), 'one more')
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('revoke one first')
  })

  it('revokes a token after confirmation', async () => {
    let items = [ci]
    const { calls } = mockApi({
      'GET /api/v1/tokens': () => ({ items, max_active: 25, scopes }),
      [`DELETE /api/v1/tokens/${ci.id}`]: () => {
        items = []
        return new Response(null, { status: 204 })
      },
    })
    renderWithProviders(<ApiTokenSettings />, { auth: signedIn() })
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke ci' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(within(dialog).getByText(/refused from its next request on/)).toBeInTheDocument()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
    expect(await screen.findByText('No tokens yet.')).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'DELETE' && c.path === `/api/v1/tokens/${ci.id}`)).toBe(true)
  })
})
