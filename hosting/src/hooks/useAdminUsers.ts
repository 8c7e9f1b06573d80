import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

export type AdminUser = components['schemas']['UserOut']
export type UserPage = components['schemas']['UserPage']
export type UserRole = AdminUser['role']
export const USER_ROLES = ['free', 'premium', 'admin'] as const satisfies readonly UserRole[]

export interface UserFilters {
  search: string
  searchBy: 'email' | 'name'
  role: UserRole | null
  isActive: boolean | null
}

export const adminUserKeys = {
  all: ['admin', 'users'] as const,
  lists: ['admin', 'users', 'list'] as const,
  list: (filters: UserFilters, pageSize: number) => ['admin', 'users', 'list', filters, pageSize] as const,
}

/** `users-list`: every user, filtered on the server, page by page (cursor pagination). */
export function useAdminUserPages(filters: UserFilters, pageSize = 25) {
  return useInfiniteQuery({
    queryKey: adminUserKeys.list(filters, pageSize),
    queryFn: ({ pageParam }) => {
      const search = filters.search.trim()
      return unwrap(
        api.GET('/api/v1/users', {
          params: {
            query: {
              limit: pageSize,
              ...(pageParam ? { cursor: pageParam } : {}),
              ...(search ? { search, search_by: filters.searchBy } : {}),
              ...(filters.role ? { role: filters.role } : {}),
              ...(filters.isActive !== null ? { is_active: filters.isActive } : {}),
            },
          },
        }),
      )
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
  })
}

/** What an admin can do to one user. */
export type UserAction =
  | { kind: 'role'; role: UserRole }
  | { kind: 'status'; isActive: boolean }
  | { kind: 'grantPremium' }
  | { kind: 'revokePremium' }

function send(uid: string, action: UserAction): Promise<AdminUser> {
  const path = { user_id: uid }
  switch (action.kind) {
    case 'role':
      return unwrap(api.PATCH('/api/v1/users/{user_id}/role', { params: { path }, body: { role: action.role } }))
    case 'status':
      return unwrap(api.PATCH('/api/v1/users/{user_id}/status', { params: { path }, body: { is_active: action.isActive } }))
    case 'grantPremium':
      return unwrap(api.POST('/api/v1/users/{user_id}/grant-premium', { params: { path } }))
    case 'revokePremium':
      return unwrap(api.POST('/api/v1/users/{user_id}/revoke-premium', { params: { path } }))
  }
}

/**
 * `users-set_role`, `users-set_status`, `users-grant_premium`,
 * `users-revoke_premium`: the changed user replaces the old one in every
 * loaded list at once, then the lists (whose filters it may no longer match)
 * and the platform statistics are refetched.
 */
export function useAdminUserAction() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ uid, action }: { uid: string; action: UserAction }) => send(uid, action),
    onSuccess: (user) => {
      queryClient.setQueriesData<InfiniteData<UserPage>>({ queryKey: adminUserKeys.lists }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) => (item.uid === user.uid ? user : item)),
              })),
            }
          : data,
      )
      void queryClient.invalidateQueries({ queryKey: adminUserKeys.lists })
      void queryClient.invalidateQueries({ queryKey: ['admin', 'stats'] })
      void queryClient.invalidateQueries({ queryKey: ['admin', 'top-users'] })
    },
  })
}
