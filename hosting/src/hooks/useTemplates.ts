import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { CreateTemplateBody, TargetPlatform, Template, TemplateCategory, UpdateTemplateBody } from '@/api/types'

export const templateKeys = {
  all: ['templates'] as const,
  system: ['templates', 'system'] as const,
  mine: ['templates', 'mine'] as const,
  search: (search: string, category: TemplateCategory | null, platform: TargetPlatform | null) =>
    ['templates', 'search', search, category, platform] as const,
  detail: (id: string) => ['templates', 'detail', id] as const,
}

/** The built-in (seeded) templates. */
export function useSystemTemplates() {
  return useQuery({
    queryKey: templateKeys.system,
    queryFn: () => unwrap(api.GET('/api/v1/templates/system')),
    staleTime: 5 * 60_000,
  })
}

/** Templates I made or duplicated. */
export function useMyTemplates() {
  return useQuery({
    queryKey: templateKeys.mine,
    queryFn: () => unwrap(api.GET('/api/v1/templates/my', { params: { query: { limit: 100 } } })),
  })
}

/** Every template I can use (system, public, mine), filtered server side, page by page (cursor). */
export function useTemplateSearch(
  filters: { search: string; category: TemplateCategory | null; platform: TargetPlatform | null },
  enabled = true,
) {
  const { search, category, platform } = filters
  return useInfiniteQuery({
    queryKey: templateKeys.search(search, category, platform),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/templates', {
          params: {
            query: {
              limit: 24,
              ...(search ? { search } : {}),
              ...(category ? { category } : {}),
              ...(platform ? { platform } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
    placeholderData: keepPreviousData,
    enabled,
  })
}

export function useTemplate(id: string | undefined) {
  return useQuery({
    queryKey: templateKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/templates/{template_id}', { params: { path: { template_id: id ?? '' } } })),
    enabled: Boolean(id),
  })
}

function useInvalidateTemplates() {
  const queryClient = useQueryClient()
  return (template?: Template) => {
    if (template) queryClient.setQueryData(templateKeys.detail(template.id), template)
    void queryClient.invalidateQueries({ queryKey: templateKeys.all })
  }
}

export function useCreateTemplate() {
  const invalidate = useInvalidateTemplates()
  return useMutation({
    mutationFn: (body: CreateTemplateBody) => unwrap(api.POST('/api/v1/templates', { body })),
    onSuccess: invalidate,
  })
}

export function useUpdateTemplate() {
  const invalidate = useInvalidateTemplates()
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateTemplateBody }) =>
      unwrap(api.PATCH('/api/v1/templates/{template_id}', { params: { path: { template_id: id } }, body })),
    onSuccess: invalidate,
  })
}

export function useDeleteTemplate() {
  const invalidate = useInvalidateTemplates()
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/templates/{template_id}', { params: { path: { template_id: id } } })),
    onSuccess: () => invalidate(),
  })
}

export function useDuplicateTemplate() {
  const invalidate = useInvalidateTemplates()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/templates/{template_id}/duplicate', { params: { path: { template_id: id } } })),
    onSuccess: invalidate,
  })
}
