import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'
import { useAuth } from '@/contexts/auth'

export type ApiToken = components['schemas']['TokenOut']
export type CreatedApiToken = components['schemas']['CreatedToken']
export type CreateApiTokenBody = components['schemas']['CreateTokenRequest']
export type ApiTokenScope = CreateApiTokenBody['scopes'][number]

export const apiTokensKey = ['tokens'] as const

/** `tokens-list`: my personal API tokens (never their secrets) and the scopes there are. */
export function useApiTokens() {
  const { status } = useAuth()
  return useQuery({
    queryKey: apiTokensKey,
    queryFn: () => unwrap(api.GET('/api/v1/tokens')),
    enabled: status === 'signed-in',
  })
}

/** `tokens-create`: the answer holds the token itself, this once. */
export function useCreateApiToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: CreateApiTokenBody) => unwrap(api.POST('/api/v1/tokens', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiTokensKey }),
  })
}

/** `tokens-revoke`: the token is refused from its next request on. */
export function useRevokeApiToken() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (tokenId: string) =>
      unwrap(api.DELETE('/api/v1/tokens/{token_id}', { params: { path: { token_id: tokenId } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiTokensKey }),
  })
}
