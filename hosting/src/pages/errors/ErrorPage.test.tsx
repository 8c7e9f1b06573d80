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
    renderThrowing(new ApiError({ code: 'video_not_found', message: 'No such video', status: 404 }))
    expect(await screen.findByText('video_not_found: No such video')).toBeInTheDocument()
  })
})
