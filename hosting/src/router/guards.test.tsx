import { screen } from '@testing-library/react'
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { AuthContextValue } from '@/contexts/auth'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { RedirectIfAuth, RequireAdmin, RequireAuth, safeNextPath } from './guards'

function Where() {
  const location = useLocation()
  return <p data-testid="where">{`${location.pathname}${location.search}`}</p>
}

function renderAt(path: string, auth: AuthContextValue) {
  const router = createMemoryRouter(
    [
      {
        element: <RedirectIfAuth />,
        children: [{ path: '/sign-in', element: <Where /> }],
      },
      {
        element: <RequireAuth />,
        children: [
          { path: '/', element: <p>dashboard</p> },
          { path: '/videos', element: <p>videos</p> },
          { path: '/admin', element: <RequireAdmin />, children: [{ index: true, element: <p>admin area</p> }] },
        ],
      },
    ],
    { initialEntries: [path] },
  )
  renderWithProviders(<RouterProvider router={router} />, { auth })
  return router
}

describe('auth guards', () => {
  it('sends signed-out visitors to sign-in, remembering where they were going', async () => {
    const router = renderAt('/videos?tab=done', makeAuth({ status: 'signed-out' }))
    expect(await screen.findByTestId('where')).toHaveTextContent('/sign-in?next=%2Fvideos%3Ftab%3Ddone')
    expect(router.state.location.pathname).toBe('/sign-in')
  })

  it('shows a loader, not a redirect, while the session is being restored', () => {
    const router = renderAt('/videos', makeAuth({ status: 'loading' }))
    expect(screen.getByRole('status')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/videos')
  })

  it('lets signed-in users through', async () => {
    renderAt('/videos', makeAuth({ status: 'signed-in', user: makeUser() }))
    expect(await screen.findByText('videos')).toBeInTheDocument()
  })

  it('answers 403 to non-admins on admin routes', async () => {
    renderAt('/admin', makeAuth({ status: 'signed-in', user: makeUser({ role: 'premium' }) }))
    expect(await screen.findByRole('heading', { name: "You don't have access" })).toBeInTheDocument()
    expect(screen.queryByText('admin area')).not.toBeInTheDocument()
  })

  it('lets admins into admin routes', async () => {
    renderAt('/admin', makeAuth({ status: 'signed-in', user: makeUser({ role: 'admin' }) }))
    expect(await screen.findByText('admin area')).toBeInTheDocument()
  })

  it('sends signed-in users away from sign-in to their next page', async () => {
    const router = renderAt('/sign-in?next=%2Fvideos', makeAuth({ status: 'signed-in', user: makeUser() }))
    expect(await screen.findByText('videos')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/videos')
  })

  it('never redirects off-site after sign-in', () => {
    expect(safeNextPath('//evil.example')).toBe('/')
    expect(safeNextPath('https://evil.example')).toBe('/')
    expect(safeNextPath('/\\evil.example')).toBe('/')
    expect(safeNextPath(null)).toBe('/')
    expect(safeNextPath('/videos?x=1')).toBe('/videos?x=1')
  })
})
