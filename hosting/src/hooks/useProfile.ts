import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { meQueryKey } from '@/api/queries'
import type { components } from '@/api/schema'
import { useAuth } from '@/contexts/auth'

export const profileKey = ['users', 'profile'] as const
export type ProfilePatch = components['schemas']['ProfilePatch']

/** `users-get_profile`: my profile, preferences and stats. */
export function useProfile() {
  const { status } = useAuth()
  return useQuery({
    queryKey: profileKey,
    queryFn: () => unwrap(api.GET('/api/v1/users/profile')),
    enabled: status === 'signed-in',
  })
}

/** `users-update_profile`; refreshes the signed-in user everywhere. */
export function useUpdateProfile() {
  const queryClient = useQueryClient()
  const { refreshUser } = useAuth()
  return useMutation({
    mutationFn: (body: ProfilePatch) => unwrap(api.PATCH('/api/v1/users/profile', { body })),
    onSuccess: (profile) => {
      queryClient.setQueryData(profileKey, profile)
      void queryClient.invalidateQueries({ queryKey: meQueryKey })
      void refreshUser().catch(() => undefined)
    },
  })
}
