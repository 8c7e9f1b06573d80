import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { ApiError, api, setIdTokenGetter, unwrap } from '@/api/client'
import { meQueryKey, setupStatusQuery } from '@/api/queries'
import { toast } from '@/components/ui/sonner'
import i18n from '@/i18n'
import { startFirebase, type FirebaseSession } from '@/lib/firebase'
import { AuthContext, type ApiUser, type AuthContextValue, type AuthStatus } from './auth'
import type { PublicConfig } from './config'

/**
 * Firebase identity -> Synthora user. When Firebase reports a signed-in user we
 * exchange its ID token with `auth-login`, which creates the user on first
 * sign-in (the very first one becomes the admin) and returns the profile.
 */
export function AuthProvider({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const queryClient = useQueryClient()
  const sessionRef = useRef<FirebaseSession | null>(null)
  const [status, setStatus] = useState<AuthStatus>('loading')
  const [user, setUser] = useState<ApiUser | null>(null)
  const [error, setError] = useState<Error | null>(null)

  useEffect(() => {
    let unsubscribe: (() => void) | undefined
    let cancelled = false
    startFirebase(config).then(
      (session) => {
        if (cancelled) return
        sessionRef.current = session
        setIdTokenGetter(session.getIdToken)
        unsubscribe = session.onIdentityChanged(async (identity) => {
          if (!identity) {
            setUser(null)
            setStatus('signed-out')
            return
          }
          setStatus('loading')
          try {
            const result = await unwrap(
              api.POST('/api/v1/auth/login', { body: { id_token: await identity.getIdToken() } }),
            )
            setUser(result.user)
            setError(null)
            setStatus('signed-in')
            void queryClient.invalidateQueries({ queryKey: setupStatusQuery.queryKey })
            if (result.is_new_user && result.user.role === 'admin') toast.success(i18n.t('auth.welcomeAdmin'))
            else if (result.is_new_user) toast.success(i18n.t('auth.welcomeNew'))
          } catch (loginError) {
            // The backend refused (deactivated account, unreachable...): drop the
            // Firebase session too, so the user is not half signed in.
            setError(loginError instanceof Error ? loginError : new Error(String(loginError)))
            setUser(null)
            setStatus('signed-out')
            await session.signOut()
          }
        })
      },
      (startError: unknown) => {
        if (cancelled) return
        setError(startError instanceof Error ? startError : new Error(String(startError)))
        setStatus('signed-out')
      },
    )
    return () => {
      cancelled = true
      unsubscribe?.()
    }
  }, [config, queryClient])

  const requireSession = useCallback((): FirebaseSession => {
    if (!sessionRef.current) throw new Error(i18n.t('auth.errors.notReady'))
    return sessionRef.current
  }, [])

  const signInWithGoogle = useCallback(async () => {
    setError(null)
    await requireSession().signInWithGoogle()
  }, [requireSession])

  const signInLocal = useCallback(
    async (email: string, displayName: string) => {
      setError(null)
      await requireSession().signInLocal(email, displayName)
    },
    [requireSession],
  )

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/logout')
    } catch {
      // Signing out locally must work even when the server is unreachable.
    }
    await sessionRef.current?.signOut()
    setIdTokenGetter(async () => null)
    // Keep the public runtime config; everything else belonged to the user.
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'config' })
  }, [queryClient])

  // A 401 from any query while signed in means the session is gone on the
  // server side (revoked, user deleted): sign out locally instead of looping.
  useEffect(() => {
    if (status !== 'signed-in') return
    return queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return
      const failure = event.action.error
      if (failure instanceof ApiError && failure.status === 401) void signOut()
    })
  }, [status, queryClient, signOut])

  const refreshUser = useCallback(async () => {
    const me = await unwrap(api.GET('/api/v1/auth/me'))
    setUser(me.user)
    queryClient.setQueryData(meQueryKey, me)
  }, [queryClient])

  const value = useMemo<AuthContextValue>(
    () => ({
      status,
      user,
      isEmulator: Boolean(config.auth_emulator_url),
      error,
      signInWithGoogle,
      signInLocal,
      signOut,
      refreshUser,
    }),
    [status, user, config.auth_emulator_url, error, signInWithGoogle, signInLocal, signOut, refreshUser],
  )

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}
