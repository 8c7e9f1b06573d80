import { render, screen } from '@testing-library/react'
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router'
import { describe, expect, it } from 'vitest'
import { routes } from './index'

/** The route for `path` anywhere in the tree. */
function findRoute(tree: RouteObject[], path: string): RouteObject | undefined {
  for (const route of tree) {
    if (route.path === path) return route
    const inner = route.children && findRoute(route.children, path)
    if (inner) return inner
  }
  return undefined
}

describe('routes', () => {
  it('sends the old "new video" link (/videos/new) to the Create page, not to a video called "new"', async () => {
    const newVideo = findRoute(routes, 'videos/new')
    expect(newVideo).toBeDefined()
    const router = createMemoryRouter(
      [
        { path: '/videos/new', element: newVideo!.element },
        { path: '/create', element: <p>create page</p> },
        { path: '/videos/:videoId', element: <p>video page</p> },
      ],
      { initialEntries: ['/videos/new'] },
    )
    render(<RouterProvider router={router} />)
    expect(await screen.findByText('create page')).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/create')
  })
})
