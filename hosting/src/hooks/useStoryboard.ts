import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { meQueryKey } from '@/api/queries'
import type { Storyboard, StoryboardUpdate, Video } from '@/api/types'
import { videoKeys } from '@/hooks/useVideos'

export const storyboardKey = (id: string) => ['videos', 'storyboard', id] as const

/** The video's script as scenes (editable while the video waits for review). */
export function useStoryboard(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: storyboardKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/videos/{video_id}/storyboard', { params: { path: { video_id: id } } })),
    enabled,
  })
}

export function useUpdateStoryboard(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: StoryboardUpdate) =>
      unwrap(api.PUT('/api/v1/videos/{video_id}/storyboard', { params: { path: { video_id: id } }, body })),
    onSuccess: (board: Storyboard) => {
      queryClient.setQueryData(storyboardKey(id), board)
      void queryClient.invalidateQueries({ queryKey: videoKeys.detail(id) })
    },
  })
}

export function useRegenerateScene(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ scene, instructions }: { scene: number; instructions?: string | null }) =>
      unwrap(
        api.POST('/api/v1/videos/{video_id}/storyboard/scenes/{scene}/regenerate', {
          params: { path: { video_id: id, scene: String(scene) } },
          body: { instructions: instructions || null },
        }),
      ),
    onSuccess: (board: Storyboard) => queryClient.setQueryData(storyboardKey(id), board),
  })
}

function refreshVideo(queryClient: ReturnType<typeof useQueryClient>, id: string, video: Video) {
  queryClient.setQueryData(videoKeys.detail(id), video)
  void queryClient.invalidateQueries({ queryKey: videoKeys.status(id) })
  void queryClient.invalidateQueries({ queryKey: storyboardKey(id) })
  void queryClient.invalidateQueries({ queryKey: ['videos', 'list'] })
  void queryClient.invalidateQueries({ queryKey: meQueryKey }) // generations running now
}

/** Make the video from the reviewed storyboard (takes a generation slot again). */
export function useContinueStoryboard(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/videos/{video_id}/storyboard/continue', { params: { path: { video_id: id } } })),
    onSuccess: (video: Video) => refreshVideo(queryClient, id, video),
  })
}

/** Cancel a generation in progress (or a storyboard waiting for review). */
export function useCancelVideo(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/videos/{video_id}/cancel', { params: { path: { video_id: id } } })),
    onSuccess: (video: Video) => refreshVideo(queryClient, id, video),
  })
}
