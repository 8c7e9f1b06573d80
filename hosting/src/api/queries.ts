import { queryOptions } from '@tanstack/react-query'
import { api, unwrap } from './client'

/** Query keys and fetchers shared by the app shell. Feature pages add their own next to their page. */
export const configQuery = queryOptions({
  queryKey: ['config'],
  queryFn: () => unwrap(api.GET('/api/v1/config')),
  staleTime: Infinity,
  retry: 1,
})

export const setupStatusQuery = queryOptions({
  queryKey: ['auth', 'setup-status'],
  queryFn: () => unwrap(api.GET('/api/v1/auth/setup-status')),
  staleTime: 30_000,
})

export const meQueryKey = ['auth', 'me'] as const
