import type { ParseKeys } from 'i18next'
import type { components } from '@/api/schema'
import type { TemplateConfig } from '@/api/types'

type S = components['schemas']

/**
 * An array holding every member of a generated enum type: `allOf<S['Pacing']>()([...])`
 * fails to compile when the backend adds (or drops) a value, so the editor's
 * selects always offer exactly what the API accepts.
 */
function allOf<T extends string>() {
  return <const A extends readonly T[]>(values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : never)): readonly T[] =>
    values
}

export const ENUMS = {
  category: allOf<S['TemplateCategory']>()(['viral', 'educational', 'product', 'storytelling', 'trending', 'other']),
  platform: allOf<S['TargetPlatform']>()(['youtube', 'tiktok', 'instagram', 'facebook']),
  hookStyle: allOf<S['HookStyle']>()(['question', 'bold_claim', 'statistic', 'story_opener', 'challenge', 'controversy', 'promise']),
  narrativeStructure: allOf<S['NarrativeStructure']>()([
    'problem_solution',
    'listicle',
    'story_arc',
    'how_to',
    'comparison',
    'demo',
    'challenge_steps',
  ]),
  pacing: allOf<S['Pacing']>()(['fast', 'medium', 'slow']),
  aspectRatio: allOf<S['AspectRatio']>()(['9:16', '16:9', '1:1']),
  visualAesthetic: allOf<S['VisualAesthetic']>()([
    'bold',
    'minimal',
    'cinematic',
    'clean_professional',
    'vibrant',
    'warm',
    'retro',
    'dark_moody',
  ]),
  transition: allOf<S['Transition']>()(['fade', 'slide', 'zoom', 'wipe', 'dissolve', 'none']),
  cameraMotion: allOf<S['CameraMotion']>()(['ken_burns', 'pan', 'static']),
  captionStyle: allOf<S['CaptionStyle']>()(['karaoke', 'bold_pop', 'minimal', 'boxed', 'none']),
  fontStyle: allOf<S['FontStyle']>()(['bold_sans', 'clean_sans', 'serif', 'handwritten', 'condensed']),
  textPosition: allOf<S['TextPosition']>()(['top', 'center', 'bottom']),
  voiceGender: allOf<S['VoiceGender']>()(['male', 'female', 'neutral']),
  voiceTone: allOf<S['VoiceTone']>()(['energetic', 'friendly', 'professional', 'calm', 'dramatic', 'warm', 'authoritative']),
  musicMood: allOf<S['MusicMood']>()(['upbeat', 'calm', 'dramatic', 'inspiring', 'energetic', 'none']),
  ctaType: allOf<S['CtaType']>()(['follow', 'like', 'comment', 'share', 'subscribe', 'visit_link', 'shop', 'try_it', 'none']),
  thumbnailStyle: allOf<S['ThumbnailStyle']>()([
    'bold_text',
    'face_closeup',
    'product_hero',
    'minimal',
    'cinematic_frame',
    'first_frame',
  ]),
} as const

export type EnumGroup = keyof typeof ENUMS

export type ConfigField =
  | { path: string; labelKey: ParseKeys; kind: 'enum'; group: EnumGroup }
  | { path: string; labelKey: ParseKeys; kind: 'number'; min: number; max: number; step: number }
  | { path: string; labelKey: ParseKeys; kind: 'text'; maxLength: number }
  | { path: string; labelKey: ParseKeys; kind: 'textarea'; maxLength: number }
  | { path: string; labelKey: ParseKeys; kind: 'boolean' }
  | { path: string; labelKey: ParseKeys; kind: 'color' }
  | { path: string; labelKey: ParseKeys; kind: 'tags' }
  | { path: string; labelKey: ParseKeys; kind: 'platforms' }

export interface ConfigSection {
  id: keyof TemplateConfig
  titleKey: ParseKeys
  fields: ConfigField[]
}

/** Every field of the template config (spec 7.2), grouped as the editor shows them. */
export const CONFIG_SECTIONS: ConfigSection[] = [
  {
    id: 'video_structure',
    titleKey: 'templateConfig.sections.video_structure',
    fields: [
      { path: 'video_structure.hook_style', labelKey: 'templateConfig.fields.hook_style', kind: 'enum', group: 'hookStyle' },
      {
        path: 'video_structure.narrative_structure',
        labelKey: 'templateConfig.fields.narrative_structure',
        kind: 'enum',
        group: 'narrativeStructure',
      },
      { path: 'video_structure.num_scenes', labelKey: 'templateConfig.fields.num_scenes', kind: 'number', min: 1, max: 20, step: 1 },
      {
        path: 'video_structure.duration.min_seconds',
        labelKey: 'templateConfig.fields.min_seconds',
        kind: 'number',
        min: 5,
        max: 600,
        step: 1,
      },
      {
        path: 'video_structure.duration.max_seconds',
        labelKey: 'templateConfig.fields.max_seconds',
        kind: 'number',
        min: 5,
        max: 600,
        step: 1,
      },
      { path: 'video_structure.pacing', labelKey: 'templateConfig.fields.pacing', kind: 'enum', group: 'pacing' },
    ],
  },
  {
    id: 'visual_style',
    titleKey: 'templateConfig.sections.visual_style',
    fields: [
      { path: 'visual_style.aspect_ratio', labelKey: 'templateConfig.fields.aspect_ratio', kind: 'enum', group: 'aspectRatio' },
      {
        path: 'visual_style.visual_aesthetic',
        labelKey: 'templateConfig.fields.visual_aesthetic',
        kind: 'enum',
        group: 'visualAesthetic',
      },
      { path: 'visual_style.transitions', labelKey: 'templateConfig.fields.transitions', kind: 'enum', group: 'transition' },
      { path: 'visual_style.camera_motion', labelKey: 'templateConfig.fields.camera_motion', kind: 'enum', group: 'cameraMotion' },
      { path: 'visual_style.color_palette.primary', labelKey: 'templateConfig.fields.color_primary', kind: 'color' },
      { path: 'visual_style.color_palette.secondary', labelKey: 'templateConfig.fields.color_secondary', kind: 'color' },
      { path: 'visual_style.color_palette.accent', labelKey: 'templateConfig.fields.color_accent', kind: 'color' },
      { path: 'visual_style.color_palette.background', labelKey: 'templateConfig.fields.color_background', kind: 'color' },
      { path: 'visual_style.color_palette.text', labelKey: 'templateConfig.fields.color_text', kind: 'color' },
    ],
  },
  {
    id: 'text_style',
    titleKey: 'templateConfig.sections.text_style',
    fields: [
      { path: 'text_style.caption_style', labelKey: 'templateConfig.fields.caption_style', kind: 'enum', group: 'captionStyle' },
      { path: 'text_style.font_style', labelKey: 'templateConfig.fields.font_style', kind: 'enum', group: 'fontStyle' },
      { path: 'text_style.font_family', labelKey: 'templateConfig.fields.font_family', kind: 'text', maxLength: 60 },
      { path: 'text_style.text_position', labelKey: 'templateConfig.fields.text_position', kind: 'enum', group: 'textPosition' },
      { path: 'text_style.hook_text_overlay', labelKey: 'templateConfig.fields.hook_text_overlay', kind: 'boolean' },
    ],
  },
  {
    id: 'audio',
    titleKey: 'templateConfig.sections.audio',
    fields: [
      { path: 'audio.voice_gender', labelKey: 'templateConfig.fields.voice_gender', kind: 'enum', group: 'voiceGender' },
      { path: 'audio.voice_tone', labelKey: 'templateConfig.fields.voice_tone', kind: 'enum', group: 'voiceTone' },
      { path: 'audio.voice_speed', labelKey: 'templateConfig.fields.voice_speed', kind: 'number', min: 0.5, max: 2, step: 0.05 },
      { path: 'audio.music_mood', labelKey: 'templateConfig.fields.music_mood', kind: 'enum', group: 'musicMood' },
      { path: 'audio.music_volume', labelKey: 'templateConfig.fields.music_volume', kind: 'number', min: 0, max: 1, step: 0.05 },
      { path: 'audio.sound_effects', labelKey: 'templateConfig.fields.sound_effects', kind: 'boolean' },
    ],
  },
  {
    id: 'script',
    titleKey: 'templateConfig.sections.script',
    fields: [
      {
        path: 'script.script_structure_prompt',
        labelKey: 'templateConfig.fields.script_structure_prompt',
        kind: 'textarea',
        maxLength: 2000,
      },
      { path: 'script.tone_instructions', labelKey: 'templateConfig.fields.tone_instructions', kind: 'textarea', maxLength: 1000 },
      { path: 'script.cta_type', labelKey: 'templateConfig.fields.cta_type', kind: 'enum', group: 'ctaType' },
      { path: 'script.cta_text', labelKey: 'templateConfig.fields.cta_text', kind: 'text', maxLength: 150 },
    ],
  },
  {
    id: 'platform',
    titleKey: 'templateConfig.sections.platform',
    fields: [
      { path: 'platform.thumbnail_style', labelKey: 'templateConfig.fields.thumbnail_style', kind: 'enum', group: 'thumbnailStyle' },
      { path: 'platform.suggested_hashtags', labelKey: 'templateConfig.fields.suggested_hashtags', kind: 'tags' },
      { path: 'platform.target_platforms', labelKey: 'templateConfig.fields.target_platforms', kind: 'platforms' },
    ],
  },
]

/** The backend's defaults (synthora.templates.config), for a new template. */
export const DEFAULT_CONFIG: TemplateConfig = {
  video_structure: {
    hook_style: 'question',
    narrative_structure: 'problem_solution',
    num_scenes: 5,
    duration: { min_seconds: 15, max_seconds: 60 },
    pacing: 'medium',
  },
  visual_style: {
    aspect_ratio: '9:16',
    color_palette: { primary: '#7C3AED', secondary: '#1E1B4B', accent: '#F472B6', background: '#0F0A1F', text: '#FFFFFF' },
    visual_aesthetic: 'bold',
    transitions: 'fade',
    camera_motion: 'ken_burns',
  },
  text_style: { caption_style: 'karaoke', font_style: 'bold_sans', font_family: 'Inter', text_position: 'bottom', hook_text_overlay: true },
  audio: { voice_gender: 'neutral', voice_tone: 'friendly', voice_speed: 1, music_mood: 'upbeat', music_volume: 0.25, sound_effects: false },
  script: { script_structure_prompt: '', tone_instructions: '', cta_type: 'follow', cta_text: '' },
  platform: { thumbnail_style: 'bold_text', suggested_hashtags: [], target_platforms: ['tiktok'] },
}

type Json = Record<string, unknown>

export function getPath(obj: unknown, path: string): unknown {
  let node: unknown = obj
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Json)[part]
  }
  return node
}

/** A copy of `obj` with `path` set (objects along the way are copied, never mutated). */
export function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]]
  const base = (typeof obj === 'object' && obj !== null ? obj : {}) as Json
  return { ...base, [head]: rest.length === 0 ? value : setPath(base[head], rest.join('.'), value) } as T
}

/** Deep-merge a stored config over the defaults, so every field has a value to edit. */
export function withDefaults(config: unknown): TemplateConfig {
  const merge = (base: unknown, over: unknown): unknown => {
    if (typeof base !== 'object' || base === null || Array.isArray(base)) return over === undefined ? base : over
    const out: Json = { ...(base as Json) }
    if (typeof over === 'object' && over !== null && !Array.isArray(over)) {
      for (const [key, value] of Object.entries(over as Json)) out[key] = merge((base as Json)[key], value)
    }
    return out
  }
  return merge(DEFAULT_CONFIG, config) as TemplateConfig
}
