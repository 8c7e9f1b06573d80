import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { Post, PostStatus } from '@/api/types'

/** How often the list refreshes while a target is publishing. */
export const POSTS_POLL_MS = 5000

export const postKeys = {
  all: ['posts'] as const,
  list: (status: PostStatus | null) => ['posts', 'list', status ?? 'all'] as const,
}

const isBusy = (post: Post) => post.targets.some((t) => t.status === 'publishing' || t.status === 'processing')

/** My posts page by page, newest first; polls while a target is publishing. */
export function usePostPages(status: PostStatus | null, pageSize = 20) {
  return useInfiniteQuery({
    queryKey: [...postKeys.list(status), pageSize],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/posts', {
          params: { query: { limit: pageSize, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.items.some(isBusy)) ? POSTS_POLL_MS : false),
  })
}

function useInvalidatePosts() {
  const queryClient = useQueryClient()
  return () => void queryClient.invalidateQueries({ queryKey: postKeys.all })
}

/** Cancel whatever is still queued. */
export function useCancelPost() {
  const invalidate = useInvalidatePosts()
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/posts/{post_id}', { params: { path: { post_id: id } } })),
    onSuccess: invalidate,
  })
}

/** Publish the queued targets now, or retry one failed target. */
export function usePublishNow() {
  const invalidate = useInvalidatePosts()
  return useMutation({
    mutationFn: ({ id, targetId }: { id: string; targetId?: string }) =>
      unwrap(
        api.POST('/api/v1/posts/{post_id}/publish', {
          params: { path: { post_id: id }, query: targetId ? { target_id: targetId } : {} },
        }),
      ),
    onSuccess: invalidate,
  })
}
