import { Navigate, createBrowserRouter, type RouteObject } from 'react-router'
import type { ComponentType } from 'react'
import { FullPageLoader } from '@/components/FullPageLoader'
import { AppLayout } from '@/layouts/AppLayout'
import { AuthLayout } from '@/layouts/AuthLayout'
import { ErrorPage } from '@/pages/errors/ErrorPage'
import { NotFoundPage } from '@/pages/errors/NotFoundPage'
import { RedirectIfAuth, RequireAdmin, RequireAuth } from './guards'

/** Route-level code splitting: each page is its own chunk, fetched on navigation. */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  return async () => ({ Component: pick(await load()) })
}

export const routes: RouteObject[] = [
  {
    id: 'root',
    errorElement: <ErrorPage />,
    hydrateFallbackElement: <FullPageLoader />,
    children: [
      {
        element: <RedirectIfAuth />,
        children: [
          {
            element: <AuthLayout />,
            children: [
              { path: 'sign-in', lazy: page(() => import('@/pages/auth/SignInPage'), (m) => m.SignInPage) },
              { path: 'setup', lazy: page(() => import('@/pages/auth/SetupPage'), (m) => m.SetupPage) },
            ],
          },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { index: true, lazy: page(() => import('@/pages/DashboardPage'), (m) => m.DashboardPage) },
              { path: 'create', lazy: page(() => import('@/pages/CreateVideoPage'), (m) => m.CreateVideoPage) },
              // Older links (the Welcome notification's) to a "new video" page.
              { path: 'videos/new', element: <Navigate to="/create" replace /> },
              { path: 'videos', lazy: page(() => import('@/pages/VideosPage'), (m) => m.VideosPage) },
              { path: 'videos/:videoId', lazy: page(() => import('@/pages/VideoDetailPage'), (m) => m.VideoDetailPage) },
              { path: 'templates', lazy: page(() => import('@/pages/TemplatesPage'), (m) => m.TemplatesPage) },
              { path: 'integrations', lazy: page(() => import('@/pages/IntegrationsPage'), (m) => m.IntegrationsPage) },
              { path: 'posts', lazy: page(() => import('@/pages/PostsPage'), (m) => m.PostsPage) },
              { path: 'calendar', lazy: page(() => import('@/pages/CalendarPage'), (m) => m.CalendarPage) },
              { path: 'analytics', lazy: page(() => import('@/pages/AnalyticsPage'), (m) => m.AnalyticsPage) },
              {
                path: 'analytics/posts/:postId',
                lazy: page(() => import('@/pages/AnalyticsPostPage'), (m) => m.AnalyticsPostPage),
              },
              { path: 'suggestions', lazy: page(() => import('@/pages/SuggestionsPage'), (m) => m.SuggestionsPage) },
              {
                path: 'social-accounts',
                lazy: page(() => import('@/pages/SocialAccountsPage'), (m) => m.SocialAccountsPage),
              },
              { path: 'settings', lazy: page(() => import('@/pages/settings/SettingsPage'), (m) => m.SettingsPage) },
              {
                path: 'settings/subscription',
                lazy: page(() => import('@/pages/settings/SettingsPage'), (m) => m.SettingsPage),
              },
              {
                path: 'admin',
                element: <RequireAdmin />,
                children: [
                  { index: true, lazy: page(() => import('@/pages/admin/AdminDashboardPage'), (m) => m.AdminDashboardPage) },
                  { path: 'users', lazy: page(() => import('@/pages/admin/AdminUsersPage'), (m) => m.AdminUsersPage) },
                  {
                    path: 'users/:uid',
                    lazy: page(() => import('@/pages/admin/AdminUserDetailPage'), (m) => m.AdminUserDetailPage),
                  },
                  { path: 'content', lazy: page(() => import('@/pages/admin/AdminContentPage'), (m) => m.AdminContentPage) },
                  {
                    path: 'templates',
                    lazy: page(() => import('@/pages/admin/AdminTemplatesPage'), (m) => m.AdminTemplatesPage),
                  },
                  { path: 'revenue', lazy: page(() => import('@/pages/admin/AdminRevenuePage'), (m) => m.AdminRevenuePage) },
                  {
                    path: 'settings',
                    lazy: page(() => import('@/pages/admin/AdminSettingsPage'), (m) => m.AdminSettingsPage),
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]

export function createAppRouter() {
  return createBrowserRouter(routes)
}
