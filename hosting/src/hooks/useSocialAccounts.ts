import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { SocialPlatformId } from '@/api/types'

export const socialKeys = {
  all: ['social-accounts'] as const,
  mine: ['social-accounts', 'mine'] as const,
  platforms: ['social-accounts', 'platforms'] as const,
  selection: (id: string) => ['social-accounts', 'selection', id] as const,
}

/** My connected accounts (never a token). */
export function useSocialAccounts() {
  return useQuery({ queryKey: socialKeys.mine, queryFn: () => unwrap(api.GET('/api/v1/social-accounts')) })
}

/** Which platforms this server can connect: ready, emulated (local) or not set up. */
export function useSocialPlatforms() {
  return useQuery({
    queryKey: socialKeys.platforms,
    queryFn: () => unwrap(api.GET('/api/v1/social-accounts/platforms')),
    staleTime: 5 * 60_000,
  })
}

/** Start the OAuth round trip: the browser leaves for the platform's consent page. */
export function useConnectSocial() {
  return useMutation({
    mutationFn: (platform: SocialPlatformId) =>
      unwrap(api.POST('/api/v1/social-accounts/connect/{platform}', { params: { path: { platform } } })),
    onSuccess: (data) => window.location.assign(data.authorization_url),
  })
}

function useInvalidateSocial() {
  const queryClient = useQueryClient()
  return () => void queryClient.invalidateQueries({ queryKey: socialKeys.all })
}

export function useDisconnectSocial() {
  const invalidate = useInvalidateSocial()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/social-accounts/{account_id}', { params: { path: { account_id: id } } })),
    onSuccess: invalidate,
  })
}

export function useRefreshSocial() {
  const invalidate = useInvalidateSocial()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/social-accounts/{account_id}/refresh', { params: { path: { account_id: id } } })),
    onSettled: invalidate,
  })
}

/** The Pages / Instagram accounts a consent reached, when there are several to choose from. */
export function useSocialSelection(id: string | null) {
  return useQuery({
    queryKey: socialKeys.selection(id ?? ''),
    enabled: Boolean(id),
    retry: false,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/social-accounts/selections/{selection_id}', { params: { path: { selection_id: id ?? '' } } }),
      ),
  })
}

export function useConfirmSelection() {
  const invalidate = useInvalidateSocial()
  return useMutation({
    mutationFn: ({ id, platformAccountIds }: { id: string; platformAccountIds: string[] }) =>
      unwrap(
        api.POST('/api/v1/social-accounts/selections/{selection_id}', {
          params: { path: { selection_id: id } },
          body: { platform_account_ids: platformAccountIds },
        }),
      ),
    onSuccess: invalidate,
  })
}
