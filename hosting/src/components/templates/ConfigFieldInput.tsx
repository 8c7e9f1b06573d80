import { useTranslation } from 'react-i18next'
import type { TargetPlatform } from '@/api/types'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Switch } from '@/components/ui/switch'
import { Textarea } from '@/components/ui/textarea'
import { enumLabel } from '@/lib/enum-label'
import { ENUMS, type ConfigField } from '@/lib/template-config'
import { cn } from '@/lib/utils'

export function fieldId(path: string): string {
  return `cfg-${path.replace(/[^a-z0-9]+/gi, '-')}`
}

export function FieldMessage({ id, error, hint }: { id: string; error?: string; hint?: string }) {
  if (!error && !hint) return null
  return (
    <p id={id} className={cn('text-xs', error ? 'text-destructive' : 'text-muted-foreground')} data-field-error={error ? true : undefined}>
      {error || hint}
    </p>
  )
}

/** Toggle buttons for the target platforms (a multi-select). */
export function PlatformChoice({
  id,
  value,
  onChange,
  invalid,
  describedBy,
}: {
  id: string
  value: TargetPlatform[]
  onChange: (value: TargetPlatform[]) => void
  invalid?: boolean
  describedBy?: string
}) {
  const { t } = useTranslation()
  return (
    <div id={id} role="group" aria-describedby={describedBy} aria-invalid={invalid} className="flex flex-wrap gap-2">
      {ENUMS.platform.map((p) => {
        const on = value.includes(p as TargetPlatform)
        return (
          <button
            key={p}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? value.filter((v) => v !== p) : [...value, p as TargetPlatform])}
            className={cn(
              'rounded-full border px-3 py-1 text-sm transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
              on ? 'border-primary bg-primary/15 text-foreground' : 'text-muted-foreground hover:bg-accent',
              invalid && 'border-destructive',
            )}
          >
            {enumLabel(t, 'platform', p)}
          </button>
        )
      })}
    </div>
  )
}

/** One config field's editor, driven by its descriptor; shows the API's error for it. */
export function ConfigFieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: ConfigField
  value: unknown
  onChange: (value: unknown) => void
  error?: string
}) {
  const { t } = useTranslation()
  const id = fieldId(field.path)
  const msgId = `${id}-msg`
  const label = t(field.labelKey)
  const common = { 'aria-invalid': Boolean(error), 'aria-describedby': msgId }

  if (field.kind === 'boolean') {
    return (
      <div className="flex flex-col gap-1.5 sm:col-span-2">
        <div className="flex items-center justify-between gap-4 rounded-md border px-3 py-2">
          <Label htmlFor={id}>{label}</Label>
          <Switch id={id} checked={Boolean(value)} onCheckedChange={onChange} {...common} />
        </div>
        <FieldMessage id={msgId} error={error} />
      </div>
    )
  }

  let control
  let hint: string | undefined
  switch (field.kind) {
    case 'enum':
      control = (
        <Select value={String(value ?? '')} onValueChange={onChange}>
          <SelectTrigger id={id} {...common}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {ENUMS[field.group].map((v) => (
              <SelectItem key={v} value={v}>
                {enumLabel(t, field.group, v)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      )
      break
    case 'number':
      control = (
        <Input
          id={id}
          type="number"
          inputMode="decimal"
          min={field.min}
          max={field.max}
          step={field.step}
          value={value === undefined || value === null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
          {...common}
        />
      )
      hint = `${field.min}–${field.max}`
      break
    case 'text':
      control = (
        <Input id={id} value={String(value ?? '')} maxLength={field.maxLength} onChange={(e) => onChange(e.target.value)} {...common} />
      )
      break
    case 'textarea':
      control = (
        <Textarea
          id={id}
          rows={3}
          value={String(value ?? '')}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.target.value)}
          {...common}
        />
      )
      break
    case 'color':
      control = (
        <div className="flex gap-2">
          <input
            type="color"
            aria-label={label}
            value={/^#[0-9a-f]{6}$/i.test(String(value)) ? String(value) : '#000000'}
            onChange={(e) => onChange(e.target.value.toUpperCase())}
            className="h-10 w-12 shrink-0 cursor-pointer rounded-md border bg-transparent p-1"
            tabIndex={-1}
          />
          <Input id={id} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} className="font-mono" {...common} />
        </div>
      )
      hint = t('templateConfig.colorHint')
      break
    case 'tags':
      control = (
        <Input
          id={id}
          value={Array.isArray(value) ? value.join(' ') : String(value ?? '')}
          onChange={(e) => onChange(e.target.value)}
          {...common}
        />
      )
      hint = t('templateConfig.hashtagsHint')
      break
    case 'platforms':
      control = (
        <PlatformChoice
          id={id}
          value={Array.isArray(value) ? (value as TargetPlatform[]) : []}
          onChange={onChange}
          invalid={Boolean(error)}
          describedBy={msgId}
        />
      )
      hint = t('templateConfig.platformsHint')
      break
  }
  const wide = field.kind === 'textarea' || field.kind === 'tags' || field.kind === 'platforms'
  return (
    <div className={cn('flex flex-col gap-1.5', wide && 'sm:col-span-2')} data-config-field={field.path}>
      {field.kind === 'platforms' ? (
        <span className="text-sm font-medium" id={`${id}-label`}>
          {label}
        </span>
      ) : (
        <Label htmlFor={id}>{label}</Label>
      )}
      {control}
      <FieldMessage id={msgId} error={error} hint={hint} />
    </div>
  )
}
