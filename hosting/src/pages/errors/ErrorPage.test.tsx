import { screen } from '@testing-library/react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { renderWithProviders } from '@/test/render'
import { ErrorPage } from './ErrorPage'

function Boom({ error }: { error: Error }): never {
  throw error
}

function renderThrowing(error: Error) {
  vi.spyOn(console, 'error').mockImplementation(() => {}) // React logs caught render errors
  const router = createMemoryRouter([{ path: '/', element: <Boom error={error} />, errorElement: <ErrorPage /> }])
  renderWithProviders(<RouterProvider router={router} />)
}

describe('ErrorPage', () => {
  it('catches a render error and shows what happened', async () => {
    renderThrowing(new Error('kaboom'))
    expect(await screen.findByRole('heading', { name: 'Something went wrong' })).toBeInTheDocument()
    expect(screen.getByText('kaboom')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Reload page' })).toBeInTheDocument()
  })

  it('shows an API error with its code', async () => {
    renderThrowing(new ApiError({ code: 'conflict', message: 'Already running', status: 409 }))
    expect(await screen.findByText('conflict: Already running')).toBeInTheDocument()
  })

  it('names the request of a server failure, for the report', async () => {
    renderThrowing(new ApiError({ code: 'internal_error', message: 'Internal error', status: 500, requestId: 'abc123trace' }))
    expect(await screen.findByRole('heading', { name: 'Something went wrong' })).toBeInTheDocument()
    expect(screen.getByTestId('request-id')).toHaveTextContent('Request ID: abc123trace')
  })

  it('shows the forbidden page when the API refuses access', async () => {
    renderThrowing(new ApiError({ code: 'forbidden', message: 'This video belongs to someone else', status: 403 }))
    expect(await screen.findByRole('heading', { name: "You don't have access" })).toBeInTheDocument()
    expect(screen.getByText('This video belongs to someone else')).toBeInTheDocument()
  })

  it('shows the not-found page for an API 404', async () => {
    renderThrowing(new ApiError({ code: 'video_not_found', message: 'No such video', status: 404 }))
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
  })
})
