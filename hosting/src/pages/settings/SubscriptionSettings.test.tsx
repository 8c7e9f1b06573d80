import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { SubscriptionSettings } from './SubscriptionSettings'

const signedIn = () => makeAuth({ status: 'signed-in', user: makeUser() })
const features = { daily_videos: 20, max_concurrent: 3, retention_days: 30, can_schedule: true, ai_suggestions: true }
const plans = {
  billing_enabled: true,
  emulated: true,
  plans: [
    { id: 'free', name: 'Free', amount: 0, currency: 'usd', interval: null, monthly_equivalent: 0, features },
    { id: 'monthly', name: 'Premium monthly', amount: 500, currency: 'usd', interval: 'month', monthly_equivalent: 500, features },
    { id: 'annual', name: 'Premium annual', amount: 5000, currency: 'usd', interval: 'year', monthly_equivalent: 417, features },
  ],
}
const free = { role: 'free', is_premium: false, source: 'none', plan: 'free', status: null, cancel_at_period_end: false }
const active = {
  role: 'premium',
  is_premium: true,
  source: 'subscription',
  plan: 'monthly',
  status: 'active',
  cancel_at_period_end: false,
  current_period_end: '2027-01-07T12:00:00Z',
}
const invoice = {
  id: 'in_1',
  number: 'ABC-0001',
  status: 'paid',
  amount_due: 500,
  amount_paid: 500,
  currency: 'usd',
  created: '2026-12-07T12:00:00Z',
  period_start: null,
  period_end: null,
  hosted_invoice_url: 'http://emu/invoice/in_1',
  invoice_pdf: 'http://emu/invoice/in_1/pdf',
}

afterEach(() => vi.unstubAllGlobals())

function renderPage() {
  renderWithProviders(
    <MemoryRouter initialEntries={['/settings/subscription']}>
      <SubscriptionSettings />
    </MemoryRouter>,
    { auth: signedIn() },
  )
}

describe('SubscriptionSettings', () => {
  it('offers both plans to a free user, says payments are emulated, and goes to checkout', async () => {
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    const { calls } = mockApi({
      'GET /api/v1/subscriptions/plans': () => plans,
      'GET /api/v1/subscriptions/status': () => free,
      'GET /api/v1/subscriptions/invoices': () => ({ items: [], has_more: false, next_cursor: null }),
      'POST /api/v1/subscriptions/checkout': () => ({ session_id: 'cs_1', url: 'http://emu/checkout/pay/cs_1', emulated: true }),
    })
    renderPage()
    expect(await screen.findByText('Emulated (local)')).toBeInTheDocument()
    expect(await screen.findByText('No invoices yet.')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Upgrade annual' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('http://emu/checkout/pay/cs_1'))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ plan: 'annual' })
  })

  it('shows the period, invoices and next invoice, and cancels after confirmation', async () => {
    let status = active
    const { calls } = mockApi({
      'GET /api/v1/subscriptions/plans': () => plans,
      'GET /api/v1/subscriptions/status': () => status,
      'GET /api/v1/subscriptions/invoices': () => ({ items: [invoice], has_more: false, next_cursor: null }),
      'GET /api/v1/subscriptions/invoices/upcoming': () => ({
        plan: 'monthly',
        invoice: { amount_due: 500, currency: 'usd', next_payment_attempt: '2027-01-07T12:00:00Z', lines: [] },
      }),
      'POST /api/v1/subscriptions/cancel': () => {
        status = { ...active, cancel_at_period_end: true }
        return status
      },
    })
    renderPage()
    expect(await screen.findByText(/Renews on/)).toBeInTheDocument()
    expect(await screen.findByRole('link', { name: 'PDF' })).toHaveAttribute('href', invoice.invoice_pdf)
    expect(await screen.findByText('Next invoice')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Cancel subscription' }))
    const dialog = await screen.findByRole('alertdialog')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel subscription' }))
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1))
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ at_period_end: true })
    expect(await screen.findByRole('button', { name: 'Keep my subscription' })).toBeInTheDocument()
    expect(screen.getByText(/premium stays until/)).toBeInTheDocument()
  })

  it('shows the server message when checkout is refused', async () => {
    mockApi({
      'GET /api/v1/subscriptions/plans': () => plans,
      'GET /api/v1/subscriptions/status': () => free,
      'GET /api/v1/subscriptions/invoices': () => ({ items: [], has_more: false, next_cursor: null }),
      'POST /api/v1/subscriptions/checkout': () =>
        errorResponse(503, 'billing_not_configured', 'Billing is not configured on this server.'),
    })
    renderPage()
    await userEvent.click(await screen.findByRole('button', { name: 'Upgrade monthly' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Billing is not configured on this server.')
  })
})
