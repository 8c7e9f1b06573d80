import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router'
import { FullPageLoader } from '@/components/FullPageLoader'
import { useAuth } from '@/contexts/auth'
import { ForbiddenPage } from '@/pages/errors/ForbiddenPage'

export const SIGN_IN_PATH = '/sign-in'

/** Only same-app paths are allowed as a post-sign-in destination (no open redirects). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  return next
}

/** Signed-out visitors go to the sign-in page, which brings them back afterwards. */
export function RequireAuth() {
  const { status } = useAuth()
  const location = useLocation()
  if (status === 'loading') return <FullPageLoader />
  if (status === 'signed-out') {
    const next = `${location.pathname}${location.search}${location.hash}`
    const search = next === '/' ? '' : `?next=${encodeURIComponent(next)}`
    return <Navigate to={`${SIGN_IN_PATH}${search}`} replace />
  }
  return <Outlet />
}

/** Admin-only routes answer 403 to everyone else (inside the app shell). */
export function RequireAdmin() {
  const { user } = useAuth()
  if (user?.role !== 'admin') return <ForbiddenPage />
  return <Outlet />
}

/** Sign-in and setup pages send signed-in users on to where they were going. */
export function RedirectIfAuth() {
  const { status } = useAuth()
  const [params] = useSearchParams()
  if (status === 'signed-in') return <Navigate to={safeNextPath(params.get('next'))} replace />
  if (status === 'loading') return <FullPageLoader />
  return <Outlet />
}
