import { useTranslation } from 'react-i18next'
import type { TemplateConfig, VideoChoices } from '@/api/types'
import { FormField } from '@/components/form'
import { enumLabel } from '@/lib/enum-label'
import { ENUMS } from '@/lib/template-config'
import { cn } from '@/lib/utils'

/** Video lengths offered on the Create screen: a range the writer aims inside. */
export const LENGTHS = [
  { id: '10-15', min: 10, max: 15 },
  { id: '15-30', min: 15, max: 30 },
  { id: '30-60', min: 30, max: 60 },
  { id: '60-90', min: 60, max: 90 },
  { id: '90-180', min: 90, max: 180 },
] as const

/** Voice speeds offered (the API takes 0.5–2). */
export const SPEEDS = ['0.85', '1', '1.15', '1.3'] as const

/** What the form holds: '' keeps the template's setting. */
export interface ChoiceState {
  aspect_ratio: string
  length: string
  voice_gender: string
  voice_tone: string
  voice_speed: string
  music_mood: string
}

export const NO_CHOICES: ChoiceState = { aspect_ratio: '', length: '', voice_gender: '', voice_tone: '', voice_speed: '', music_mood: '' }

/** The API's `choices` for the form state; null when everything follows the template. */
export function choicesBody(state: ChoiceState): VideoChoices | null {
  const length = LENGTHS.find((l) => l.id === state.length)
  const body: VideoChoices = {
    aspect_ratio: (state.aspect_ratio || null) as VideoChoices['aspect_ratio'],
    min_seconds: length ? length.min : null,
    max_seconds: length ? length.max : null,
    voice_gender: (state.voice_gender || null) as VideoChoices['voice_gender'],
    voice_tone: (state.voice_tone || null) as VideoChoices['voice_tone'],
    voice_speed: state.voice_speed ? Number(state.voice_speed) : null,
    music_mood: (state.music_mood || null) as VideoChoices['music_mood'],
  }
  return Object.values(body).some((v) => v !== null) ? body : null
}

/**
 * The choices a link pre-fills (`/create?music_mood=calm&min_seconds=15&max_seconds=30`,
 * as a suggestion's "make this" builds it); unknown values are ignored.
 */
export function choicesFromParams(params: URLSearchParams): ChoiceState {
  const pick = (name: string, allowed: readonly string[]) => {
    const value = params.get(name) ?? ''
    return allowed.includes(value) ? value : ''
  }
  const length = LENGTHS.find((l) => String(l.min) === params.get('min_seconds') && String(l.max) === params.get('max_seconds'))
  return {
    aspect_ratio: pick('aspect_ratio', ENUMS.aspectRatio),
    length: length?.id ?? '',
    voice_gender: pick('voice_gender', ENUMS.voiceGender),
    voice_tone: pick('voice_tone', ENUMS.voiceTone),
    voice_speed: pick('voice_speed', SPEEDS),
    music_mood: pick('music_mood', ENUMS.musicMood),
  }
}

type Partial2<T> = { [K in keyof T]?: T[K] extends object ? Partial2<T[K]> : T[K] }

/** The label of each chosen (non-template) value, for the confirm step. */
export function useChoiceLabels(state: ChoiceState): { label: string; value: string }[] {
  const { t } = useTranslation()
  const out: { label: string; value: string }[] = []
  if (state.aspect_ratio) out.push({ label: t('templateConfig.fields.aspect_ratio'), value: enumLabel(t, 'aspectRatio', state.aspect_ratio) })
  const length = LENGTHS.find((l) => l.id === state.length)
  if (length) out.push({ label: t('createVideo.choices.length'), value: t('createVideo.choices.lengthRange', { min: length.min, max: length.max }) })
  if (state.voice_gender) out.push({ label: t('templateConfig.fields.voice_gender'), value: enumLabel(t, 'voiceGender', state.voice_gender) })
  if (state.voice_tone) out.push({ label: t('templateConfig.fields.voice_tone'), value: enumLabel(t, 'voiceTone', state.voice_tone) })
  if (state.voice_speed) out.push({ label: t('templateConfig.fields.voice_speed'), value: t('createVideo.choices.speed', { speed: state.voice_speed }) })
  if (state.music_mood) out.push({ label: t('templateConfig.fields.music_mood'), value: enumLabel(t, 'musicMood', state.music_mood) })
  return out
}

function ChoiceSelect({
  id,
  label,
  value,
  onChange,
  templateValue,
  options,
  error,
}: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  templateValue: string | null
  options: { value: string; label: string }[]
  error?: string
}) {
  const { t } = useTranslation()
  return (
    <FormField id={id} label={label} error={error} className="min-w-0">
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={cn(
          'h-10 w-full min-w-0 rounded-md border border-input bg-background px-3 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring/40',
          error && 'border-destructive',
        )}
      >
        <option value="">{templateValue ? t('createVideo.choices.templateValue', { value: templateValue }) : t('createVideo.choices.template')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FormField>
  )
}

/**
 * Aspect ratio, length, voice and music for this video only, over the template's
 * (shown as each select's first option). Errors are the API's, keyed `choices.<name>`.
 */
export function VideoChoicesFields({
  config,
  value,
  onChange,
  errors,
}: {
  config: Partial2<TemplateConfig> | undefined
  value: ChoiceState
  onChange: (value: ChoiceState) => void
  errors: Record<string, string>
}) {
  const { t } = useTranslation()
  const set = (key: keyof ChoiceState) => (v: string) => onChange({ ...value, [key]: v })
  const duration = config?.video_structure?.duration
  const audio = config?.audio
  const ratio = config?.visual_style?.aspect_ratio
  const lengthError = [errors['choices.min_seconds'], errors['choices.max_seconds'], errors.choices].filter(Boolean).join(' ')
  return (
    <fieldset className="rounded-lg border p-4" data-testid="video-choices">
      <legend className="px-1 text-sm font-medium">{t('createVideo.choices.title')}</legend>
      <p className="mb-4 text-xs text-muted-foreground">{t('createVideo.choices.hint')}</p>
      <div className="grid gap-4 sm:grid-cols-2">
        <ChoiceSelect
          id="choice-aspect"
          label={t('templateConfig.fields.aspect_ratio')}
          value={value.aspect_ratio}
          onChange={set('aspect_ratio')}
          templateValue={ratio ? enumLabel(t, 'aspectRatio', ratio) : null}
          options={ENUMS.aspectRatio.map((v) => ({ value: v, label: enumLabel(t, 'aspectRatio', v) }))}
          error={errors['choices.aspect_ratio']}
        />
        <ChoiceSelect
          id="choice-length"
          label={t('createVideo.choices.length')}
          value={value.length}
          onChange={set('length')}
          templateValue={
            duration?.min_seconds != null && duration.max_seconds != null
              ? t('createVideo.choices.lengthRange', { min: duration.min_seconds, max: duration.max_seconds })
              : null
          }
          options={LENGTHS.map((l) => ({ value: l.id, label: t('createVideo.choices.lengthRange', { min: l.min, max: l.max }) }))}
          error={lengthError || undefined}
        />
        <ChoiceSelect
          id="choice-voice"
          label={t('templateConfig.fields.voice_gender')}
          value={value.voice_gender}
          onChange={set('voice_gender')}
          templateValue={audio?.voice_gender ? enumLabel(t, 'voiceGender', audio.voice_gender) : null}
          options={ENUMS.voiceGender.map((v) => ({ value: v, label: enumLabel(t, 'voiceGender', v) }))}
          error={errors['choices.voice_gender']}
        />
        <ChoiceSelect
          id="choice-tone"
          label={t('templateConfig.fields.voice_tone')}
          value={value.voice_tone}
          onChange={set('voice_tone')}
          templateValue={audio?.voice_tone ? enumLabel(t, 'voiceTone', audio.voice_tone) : null}
          options={ENUMS.voiceTone.map((v) => ({ value: v, label: enumLabel(t, 'voiceTone', v) }))}
          error={errors['choices.voice_tone']}
        />
        <ChoiceSelect
          id="choice-speed"
          label={t('templateConfig.fields.voice_speed')}
          value={value.voice_speed}
          onChange={set('voice_speed')}
          templateValue={audio?.voice_speed != null ? t('createVideo.choices.speed', { speed: audio.voice_speed }) : null}
          options={SPEEDS.map((s) => ({ value: s, label: t('createVideo.choices.speed', { speed: s }) }))}
          error={errors['choices.voice_speed']}
        />
        <ChoiceSelect
          id="choice-music"
          label={t('templateConfig.fields.music_mood')}
          value={value.music_mood}
          onChange={set('music_mood')}
          templateValue={audio?.music_mood ? enumLabel(t, 'musicMood', audio.music_mood) : null}
          options={ENUMS.musicMood.map((v) => ({ value: v, label: enumLabel(t, 'musicMood', v) }))}
          error={errors['choices.music_mood']}
        />
      </div>
    </fieldset>
  )
}
