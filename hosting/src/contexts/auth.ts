import { createContext, useContext } from 'react'
import type { OperationData } from '@/api/client'

export type ApiUser = OperationData<'auth-login'>['user']
export type Role = ApiUser['role']
export type AuthStatus = 'loading' | 'signed-out' | 'signed-in'

export interface AuthContextValue {
  status: AuthStatus
  user: ApiUser | null
  /** True when the backend runs against the Firebase Auth emulator (local platform). */
  isEmulator: boolean
  /** The last sign-in failure, shown on the sign-in page. */
  error: Error | null
  signInWithGoogle: () => Promise<void>
  signInLocal: (email: string, displayName: string) => Promise<void>
  signOut: () => Promise<void>
  refreshUser: () => Promise<void>
}

export const AuthContext = createContext<AuthContextValue | null>(null)

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext)
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>')
  return value
}

export function useHasRole(...roles: Role[]): boolean {
  const { user } = useAuth()
  return Boolean(user && roles.includes(user.role))
}

export const useIsAdmin = () => useHasRole('admin')
export const useIsPremium = () => useHasRole('premium', 'admin')
