import type { SuggestionType } from '@/hooks/useSuggestions'

/** Literal keys, so the i18n scan can check each one has an English string. */
export const SUGGESTION_TYPE_KEYS = {
  template: 'suggestions.types.template',
  posting_time: 'suggestions.types.posting_time',
  content_idea: 'suggestions.types.content_idea',
  trend: 'suggestions.types.trend',
  improvement: 'suggestions.types.improvement',
  prediction: 'suggestions.types.prediction',
} as const satisfies Record<SuggestionType, string>
