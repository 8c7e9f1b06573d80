import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { Integration, ProviderId } from '@/api/types'

export const integrationKeys = {
  all: ['integrations'] as const,
  mine: ['integrations', 'mine'] as const,
  available: ['integrations', 'available'] as const,
  readiness: ['integrations', 'readiness'] as const,
}

/** Poll while a key check is queued, so its result shows up without a reload. */
const CHECK_POLL_MS = 2000

/** My integrations (keys masked). */
export function useIntegrations() {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: integrationKeys.mine,
    queryFn: async () => {
      const before = queryClient.getQueryData<{ items: Integration[] }>(integrationKeys.mine)
      const data = await unwrap(api.GET('/api/v1/integrations'))
      const key = (items: Integration[] | undefined) => (items ?? []).map((i) => `${i.id}:${i.validation.status}:${i.is_active}`).join()
      // A finished key check changes which provider runs each step.
      if (before && key(before.items) !== key(data.items)) {
        void queryClient.invalidateQueries({ queryKey: integrationKeys.readiness })
        void queryClient.invalidateQueries({ queryKey: integrationKeys.available })
      }
      return data
    },
    refetchInterval: (query) =>
      query.state.data?.items.some((i) => i.validation.status === 'pending' && i.validation.seq > 0) ? CHECK_POLL_MS : false,
  })
}

/** The provider catalogue, with whether I have configured each. */
export function useAvailableIntegrations() {
  return useQuery({
    queryKey: integrationKeys.available,
    queryFn: () => unwrap(api.GET('/api/v1/integrations/available')),
  })
}

/** Per-step readiness: which provider runs each step (mine, or the local one). */
export function useIntegrationReadiness() {
  return useQuery({
    queryKey: integrationKeys.readiness,
    queryFn: () => unwrap(api.GET('/api/v1/integrations/status')),
  })
}

function useInvalidateIntegrations() {
  const queryClient = useQueryClient()
  return () => void queryClient.invalidateQueries({ queryKey: integrationKeys.all })
}

export function useAddIntegration() {
  const invalidate = useInvalidateIntegrations()
  return useMutation({
    mutationFn: (body: { provider: ProviderId; api_key?: string | null; options?: Record<string, string> }) =>
      unwrap(api.POST('/api/v1/integrations', { body: { ...body, api_key: body.api_key ?? null } })),
    onSuccess: invalidate,
  })
}

export function useDeleteIntegration() {
  const invalidate = useInvalidateIntegrations()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/integrations/{integration_id}', { params: { path: { integration_id: id } } })),
    onSuccess: invalidate,
  })
}

export function useValidateIntegration() {
  const invalidate = useInvalidateIntegrations()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/integrations/{integration_id}/validate', { params: { path: { integration_id: id } } })),
    onSuccess: invalidate,
  })
}

export function useToggleIntegration() {
  const invalidate = useInvalidateIntegrations()
  return useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) =>
      unwrap(
        api.PATCH('/api/v1/integrations/{integration_id}/toggle', {
          params: { path: { integration_id: id } },
          body: { is_active: isActive },
        }),
      ),
    onSuccess: invalidate,
  })
}

/** Reveal the full key (audited by the backend); the caller keeps it only while shown. */
export function useRevealIntegration() {
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/integrations/{integration_id}/reveal', { params: { path: { integration_id: id } } })),
  })
}

/** My active integrations that can serve a pipeline step (category). */
export function integrationsFor(items: Integration[] | undefined, category: string): Integration[] {
  return (items ?? []).filter((i) => i.is_active && (i.category === category || i.categories.includes(category as Integration['category'])))
}
