import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

export type Suggestion = components['schemas']['SuggestionOut']
export type SuggestionType = components['schemas']['SuggestionType']
export type SuggestionPrefill = components['schemas']['Prefill']
export type LoopReport = components['schemas']['LoopReport']
export type VideoPrediction = components['schemas']['VideoPrediction']
export type Attribution = components['schemas']['Attribution']
export type GroupStat = components['schemas']['GroupStat']
export type SocialPlatform = 'youtube' | 'tiktok' | 'instagram' | 'facebook'

export const suggestionKeys = {
  all: ['suggestions'] as const,
  list: (type: SuggestionType | null) => ['suggestions', 'list', type ?? 'all'] as const,
  outcomes: ['suggestions', 'outcomes'] as const,
  unread: (limit: number) => ['suggestions', 'unread', limit] as const,
  performance: ['suggestions', 'performance'] as const,
  predict: (videoId: string, platform: SocialPlatform, hour: number | null) =>
    ['suggestions', 'predict', videoId, platform, hour ?? 'none'] as const,
}

/** My suggestions (not dismissed), newest first, optionally one category. */
export function useSuggestions(type: SuggestionType | null, enabled: boolean) {
  return useQuery({
    queryKey: suggestionKeys.list(type),
    queryFn: () =>
      unwrap(api.GET('/api/v1/suggestions', { params: { query: { limit: 50, ...(type ? { type } : {}) } } })),
    enabled,
  })
}

/** Whether the videos made from suggestions did better (the closed loop). */
export function useSuggestionOutcomes(enabled: boolean) {
  return useQuery({
    queryKey: suggestionKeys.outcomes,
    queryFn: () => unwrap(api.GET('/api/v1/suggestions/analysis/outcomes')),
    enabled,
  })
}

/** My newest unread suggestions (the dashboard panel); the page's `unread_count` is the total. */
export function useUnreadSuggestions(limit: number, enabled: boolean) {
  return useQuery({
    queryKey: suggestionKeys.unread(limit),
    queryFn: () => unwrap(api.GET('/api/v1/suggestions', { params: { query: { limit, read: false } } })),
    enabled,
  })
}

/** Each template and setting value against my median views (the closed loop's attribution). */
export function useSuggestionPerformance(enabled: boolean) {
  return useQuery({
    queryKey: suggestionKeys.performance,
    queryFn: () => unwrap(api.GET('/api/v1/suggestions/analysis/performance')),
    enabled,
    staleTime: 5 * 60_000,
  })
}

/** Expected views of one of my videos on one platform at a planned local hour (premium). */
export function useVideoPrediction(videoId: string | null, platform: SocialPlatform, hour: number | null, enabled: boolean) {
  return useQuery({
    queryKey: suggestionKeys.predict(videoId ?? '', platform, hour),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/suggestions/analysis/predict/{video_id}', {
          params: { path: { video_id: videoId ?? '' }, query: { platform, ...(hour === null ? {} : { hour }) } },
        }),
      ),
    enabled: enabled && Boolean(videoId),
    staleTime: 60_000,
  })
}

function useRefresh() {
  const queryClient = useQueryClient()
  return () => void queryClient.invalidateQueries({ queryKey: suggestionKeys.all })
}

export function useMarkSuggestionRead() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/suggestions/{suggestion_id}/read', { params: { path: { suggestion_id: id } } })),
    onSuccess: refresh,
  })
}

export function useDismissSuggestion() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/suggestions/{suggestion_id}/dismiss', { params: { path: { suggestion_id: id } } })),
    onSuccess: refresh,
  })
}

/** Record that a suggestion was acted on, with the video made from it when there is one. */
export function useMarkSuggestionActed() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: ({ id, videoId }: { id: string; videoId?: string }) =>
      unwrap(
        api.POST('/api/v1/suggestions/{suggestion_id}/acted', {
          params: { path: { suggestion_id: id } },
          body: { video_id: videoId ?? null },
        }),
      ),
    onSuccess: refresh,
  })
}

export function useGenerateSuggestions() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/suggestions/generate', { body: { types: null } })),
    onSuccess: refresh,
  })
}

/** The Create page link for a suggestion's "make this": template, topic, choices, its id. */
export function makeThisLink(suggestion: Pick<Suggestion, 'id' | 'prefill'>): string | null {
  const prefill = suggestion.prefill
  if (!prefill || (!prefill.template_id && !prefill.topic)) return null
  const params = new URLSearchParams()
  if (prefill.template_id) params.set('template', prefill.template_id)
  if (prefill.topic) params.set('topic', prefill.topic)
  for (const [key, value] of Object.entries(prefill.choices ?? {})) {
    if (value !== null && value !== undefined) params.set(key, String(value))
  }
  params.set('suggestion', suggestion.id)
  return `/create?${params.toString()}`
}
