import type { ReactElement, ReactNode } from 'react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import { AuthContext, type ApiUser, type AuthContextValue } from '@/contexts/auth'
import { ThemeProvider } from '@/contexts/ThemeProvider'
import { TooltipProvider } from '@/components/ui/tooltip'

export function makeUser(overrides: Partial<ApiUser> = {}): ApiUser {
  return {
    uid: 'user-1',
    email: 'ada@example.com',
    display_name: 'Ada Lovelace',
    photo_url: null,
    role: 'free',
    is_active: true,
    created_at: null,
    last_login_at: null,
    preferences: { notifications: { email: true, muted_types: [] }, language: 'en', provider_fallback: true },
    stats: { videos_created: 0 },
    premium_granted_by: null,
    ...overrides,
  }
}

export function makeAuth(overrides: Partial<AuthContextValue> = {}): AuthContextValue {
  return {
    status: 'signed-out',
    user: null,
    isEmulator: false,
    error: null,
    signInWithGoogle: async () => {},
    signInLocal: async () => {},
    signOut: async () => {},
    refreshUser: async () => {},
    ...overrides,
  }
}

/** Render with theme, query client, tooltips and a stubbed auth context. */
export function renderWithProviders(ui: ReactElement, { auth = makeAuth() }: { auth?: AuthContextValue } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <TooltipProvider>
          <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>
        </TooltipProvider>
      </QueryClientProvider>
    </ThemeProvider>
  )
  return { queryClient, ...render(ui, { wrapper: Wrapper }) }
}
