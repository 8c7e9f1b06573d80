import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { meQueryKey } from '@/api/queries'
import { useAuth } from '@/contexts/auth'

/** `auth-me`: my user, usage limits (videos today, daily limit) and feature access. */
export function useMe() {
  const { status } = useAuth()
  return useQuery({
    queryKey: meQueryKey,
    queryFn: () => unwrap(api.GET('/api/v1/auth/me')),
    enabled: status === 'signed-in',
    staleTime: 15_000,
  })
}
