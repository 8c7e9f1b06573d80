import { useState, type FormEvent, type ReactNode } from 'react'
import type { ParseKeys } from 'i18next'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/ConfirmDialog'
import { ErrorAlert } from '@/components/ErrorAlert'
import { FormField } from '@/components/form'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Switch } from '@/components/ui/switch'
import { Textarea } from '@/components/ui/textarea'
import {
  useResetSetting,
  useSaveSetting,
  type AnnouncementValue,
  type LimitsValue,
  type RoleLimits,
  type SettingKey,
  type SettingOut,
} from '@/hooks/useAdminSettings'
import { USER_ROLES } from '@/hooks/useAdminUsers'
import { humanize } from '@/lib/enum-label'
import { mapFieldErrors } from '@/lib/field-errors'
import { ROLE_LABEL_KEYS } from '@/lib/roles'

const PREFIXES = ['body.value.', 'body.']

/** The card around one setting: title, default/changed badge, save and reset (with confirmation). */
function SettingCard({
  setting,
  title,
  description,
  onSubmit,
  save,
  reset,
  fieldErrorPlaced,
  children,
}: {
  setting: SettingOut
  title: string
  description: string
  onSubmit: () => void
  save: ReturnType<typeof useSaveSetting>
  reset: ReturnType<typeof useResetSetting>
  fieldErrorPlaced: boolean
  children: ReactNode
}) {
  const { t } = useTranslation()
  const [confirmReset, setConfirmReset] = useState(false)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    onSubmit()
  }
  const headingId = `setting-${setting.key}-title`
  return (
    <Card>
      <CardHeader className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div>
          <CardTitle id={headingId}>{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
        {setting.is_default ? (
          <Badge variant="secondary">{t('admin.settings.defaults')}</Badge>
        ) : setting.updated_at ? (
          <Badge variant="outline">
            {t('admin.settings.changedAt', { date: new Date(setting.updated_at).toLocaleString() })}
          </Badge>
        ) : null}
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} noValidate aria-labelledby={headingId} className="flex flex-col gap-4">
          {children}
          {save.error && !fieldErrorPlaced ? <ErrorAlert error={save.error} /> : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? t('common.saving') : t('common.save')}
            </Button>
            <Button
              type="button"
              variant="outline"
              disabled={setting.is_default || reset.isPending}
              onClick={() => {
                reset.reset()
                setConfirmReset(true)
              }}
            >
              {t('admin.settings.reset')}
            </Button>
          </div>
        </form>
      </CardContent>
      <ConfirmDialog
        open={confirmReset}
        onOpenChange={setConfirmReset}
        title={t('admin.settings.resetTitle', { name: title })}
        description={t('admin.settings.resetDescription')}
        confirmLabel={t('admin.settings.reset')}
        pendingLabel={t('common.saving')}
        pending={reset.isPending}
        error={reset.error}
        onConfirm={() =>
          reset.mutate(undefined, {
            onSuccess: () => {
              setConfirmReset(false)
              toast.success(t('admin.settings.resetDone', { name: title }))
            },
          })
        }
      />
    </Card>
  )
}

function useSettingMutations(key: SettingKey) {
  return { save: useSaveSetting(key), reset: useResetSetting(key) }
}

const NUMBER_FIELDS = [
  { key: 'daily_videos', label: 'admin.settings.limits.dailyVideos' },
  { key: 'max_concurrent', label: 'admin.settings.limits.maxConcurrent' },
  { key: 'retention_days', label: 'admin.settings.limits.retentionDays' },
] as const satisfies readonly { key: keyof RoleLimits; label: ParseKeys }[]

const BOOL_FIELDS = [
  { key: 'can_schedule', label: 'admin.settings.limits.canSchedule' },
  { key: 'ai_suggestions', label: 'admin.settings.limits.aiSuggestions' },
] as const satisfies readonly { key: keyof RoleLimits; label: ParseKeys }[]

type NumberKey = (typeof NUMBER_FIELDS)[number]['key']
type BoolKey = (typeof BOOL_FIELDS)[number]['key']
type RoleDraft = Record<NumberKey, string> & Record<BoolKey, boolean>

function toDraft(limits: RoleLimits): RoleDraft {
  const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n))
  return {
    daily_videos: text(limits.daily_videos),
    max_concurrent: text(limits.max_concurrent),
    retention_days: text(limits.retention_days),
    can_schedule: Boolean(limits.can_schedule),
    ai_suggestions: Boolean(limits.ai_suggestions),
  }
}

/** Blank means unlimited (`null`); anything else goes as a number, or as typed for the server to refuse. */
function toNumber(text: string): number | string | null {
  const trimmed = text.trim()
  if (!trimmed) return null
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : trimmed
}

/** The `limits` setting: per role, videos per day, at a time, retention, scheduling, AI suggestions. */
export function LimitsSettingForm({ setting }: { setting: SettingOut }) {
  const { t } = useTranslation()
  const value = setting.value as unknown as LimitsValue
  const { save, reset } = useSettingMutations('limits')
  const [draft, setDraft] = useState(() =>
    Object.fromEntries(USER_ROLES.map((role) => [role, toDraft(value[role] ?? ({} as RoleLimits))])) as Record<
      keyof LimitsValue,
      RoleDraft
    >,
  )
  const errors = mapFieldErrors(save.error, PREFIXES)
  const placed = Object.keys(errors).some((f) => USER_ROLES.some((role) => f.startsWith(`${role}.`)))
  const set = (role: keyof LimitsValue, patch: Partial<RoleDraft>) =>
    setDraft((d) => ({ ...d, [role]: { ...d[role], ...patch } }))

  const submit = () => {
    const body = Object.fromEntries(
      USER_ROLES.map((role) => {
        const r = draft[role]
        return [
          role,
          {
            ...value[role],
            daily_videos: toNumber(r.daily_videos),
            max_concurrent: toNumber(r.max_concurrent),
            retention_days: toNumber(r.retention_days),
            can_schedule: r.can_schedule,
            ai_suggestions: r.ai_suggestions,
          },
        ]
      }),
    )
    save.mutate(body, { onSuccess: () => toast.success(t('admin.settings.saved', { name: t('admin.settings.limits.title') })) })
  }

  return (
    <SettingCard
      setting={setting}
      title={t('admin.settings.limits.title')}
      description={t('admin.settings.limits.description')}
      onSubmit={submit}
      save={save}
      reset={reset}
      fieldErrorPlaced={placed}
    >
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        {USER_ROLES.map((role) => (
          <fieldset key={role} className="flex flex-col gap-3 rounded-lg border p-4">
            <legend className="px-1 text-sm font-semibold">{t(ROLE_LABEL_KEYS[role])}</legend>
            {NUMBER_FIELDS.map((field) => {
              const id = `limits-${role}-${field.key}`
              const error = errors[`${role}.${field.key}`]
              return (
                <FormField key={field.key} id={id} label={t(field.label)} error={error}>
                  <Input
                    type="number"
                    inputMode="numeric"
                    min={field.key === 'daily_videos' ? 0 : 1}
                    value={draft[role][field.key]}
                    placeholder={t('admin.settings.limits.unlimited')}
                    onChange={(e) => set(role, { [field.key]: e.target.value })}
                  />
                </FormField>
              )
            })}
            {BOOL_FIELDS.map((field) => (
              <label key={field.key} className="flex items-center justify-between gap-3 text-sm">
                <span>{t(field.label)}</span>
                <Switch
                  checked={draft[role][field.key]}
                  onCheckedChange={(on) => set(role, { [field.key]: on })}
                  aria-label={`${t(ROLE_LABEL_KEYS[role])}: ${t(field.label)}`}
                />
              </label>
            ))}
            {errors[role] ? <p className="text-xs text-destructive">{errors[role]}</p> : null}
          </fieldset>
        ))}
      </div>
      <p className="text-xs text-muted-foreground">{t('admin.settings.limits.unlimitedHint')}</p>
    </SettingCard>
  )
}

const FEATURE_LABELS: Record<string, ParseKeys> = {
  signups_open: 'admin.settings.features.signups_open',
  video_ai: 'admin.settings.features.video_ai',
  social_posting: 'admin.settings.features.social_posting',
  ai_suggestions: 'admin.settings.features.ai_suggestions',
  maintenance_mode: 'admin.settings.features.maintenance_mode',
}

/** The `features` setting: one switch per flag the server sends. */
export function FeaturesSettingForm({ setting }: { setting: SettingOut }) {
  const { t } = useTranslation()
  const { save, reset } = useSettingMutations('features')
  const [draft, setDraft] = useState<Record<string, unknown>>(() => ({ ...setting.value }))
  const errors = mapFieldErrors(save.error, PREFIXES)
  const flags = Object.keys(draft).filter((k) => typeof draft[k] === 'boolean')
  const label = (flag: string) => {
    const key = FEATURE_LABELS[flag]
    return key ? t(key) : humanize(flag)
  }
  return (
    <SettingCard
      setting={setting}
      title={t('admin.settings.features.title')}
      description={t('admin.settings.features.description')}
      onSubmit={() =>
        save.mutate(draft, { onSuccess: () => toast.success(t('admin.settings.saved', { name: t('admin.settings.features.title') })) })
      }
      save={save}
      reset={reset}
      fieldErrorPlaced={flags.some((f) => errors[f])}
    >
      <div className="flex flex-col">
        {flags.map((flag) => (
          <div key={flag} className="flex flex-col gap-1 border-t py-3 first:border-t-0">
            <label className="flex items-center justify-between gap-4 text-sm font-medium">
              <span>{label(flag)}</span>
              <Switch
                checked={draft[flag] as boolean}
                onCheckedChange={(on) => setDraft((d) => ({ ...d, [flag]: on }))}
                aria-label={label(flag)}
              />
            </label>
            {errors[flag] ? <p className="text-xs text-destructive">{errors[flag]}</p> : null}
          </div>
        ))}
      </div>
    </SettingCard>
  )
}

const LEVELS = ['info', 'warning', 'critical'] as const satisfies readonly AnnouncementValue['level'][]
const LEVEL_LABELS = {
  info: 'admin.settings.announcement.levels.info',
  warning: 'admin.settings.announcement.levels.warning',
  critical: 'admin.settings.announcement.levels.critical',
} as const satisfies Record<AnnouncementValue['level'], ParseKeys>

/** The `announcement` setting: a message and its level. */
export function AnnouncementSettingForm({ setting }: { setting: SettingOut }) {
  const { t } = useTranslation()
  const value = setting.value as unknown as AnnouncementValue
  const { save, reset } = useSettingMutations('announcement')
  const [message, setMessage] = useState(value.message ?? '')
  const [level, setLevel] = useState<string>(value.level ?? 'info')
  const errors = mapFieldErrors(save.error, PREFIXES)
  return (
    <SettingCard
      setting={setting}
      title={t('admin.settings.announcement.title')}
      description={t('admin.settings.announcement.description')}
      onSubmit={() =>
        save.mutate(
          { ...setting.value, message, level },
          { onSuccess: () => toast.success(t('admin.settings.saved', { name: t('admin.settings.announcement.title') })) },
        )
      }
      save={save}
      reset={reset}
      fieldErrorPlaced={Boolean(errors.message || errors.level)}
    >
      <FormField
        id="announcement-message"
        label={t('admin.settings.announcement.message')}
        error={errors.message}
        hint={t('admin.settings.announcement.messageHint')}
      >
        <Textarea rows={3} value={message} onChange={(e) => setMessage(e.target.value)} />
      </FormField>
      <FormField id="announcement-level" label={t('admin.settings.announcement.level')} error={errors.level}>
        {(control) => (
          <Select value={level} onValueChange={setLevel}>
            <SelectTrigger className="sm:w-48" {...control}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {LEVELS.map((l) => (
                <SelectItem key={l} value={l}>
                  {t(LEVEL_LABELS[l])}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      </FormField>
    </SettingCard>
  )
}
