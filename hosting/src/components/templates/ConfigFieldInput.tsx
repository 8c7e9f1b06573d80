import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { TargetPlatform } from '@/api/types'
import { FormField, type FieldControlProps } from '@/components/form'
import { Input } from '@/components/ui/input'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'
import { Switch } from '@/components/ui/switch'
import { Textarea } from '@/components/ui/textarea'
import { enumLabel } from '@/lib/enum-label'
import { ENUMS, type ConfigField } from '@/lib/template-config'
import { cn } from '@/lib/utils'

export function fieldId(path: string): string {
  return `cfg-${path.replace(/[^a-z0-9]+/gi, '-')}`
}

/** Toggle buttons for the target platforms (a multi-select). */
export function PlatformChoice({
  value,
  onChange,
  ...control
}: {
  value: TargetPlatform[]
  onChange: (value: TargetPlatform[]) => void
} & Partial<FieldControlProps>) {
  const { t } = useTranslation()
  const invalid = Boolean(control['aria-invalid'])
  return (
    <div role="group" {...control} className="flex flex-wrap gap-2">
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
  const label = t(field.labelKey)

  if (field.kind === 'boolean') {
    return (
      <FormField id={id} label={label} error={error} layout="switch" className="sm:col-span-2">
        <Switch checked={Boolean(value)} onCheckedChange={onChange} />
      </FormField>
    )
  }

  let control: (props: FieldControlProps) => ReactNode
  let hint: string | undefined
  switch (field.kind) {
    case 'enum':
      control = (props) => (
        <Select value={String(value ?? '')} onValueChange={onChange}>
          <SelectTrigger {...props}>
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
      control = (props) => (
        <Input
          type="number"
          inputMode="decimal"
          min={field.min}
          max={field.max}
          step={field.step}
          value={value === undefined || value === null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? '' : Number(e.target.value))}
          {...props}
        />
      )
      hint = `${field.min}–${field.max}`
      break
    case 'text':
      control = (props) => (
        <Input value={String(value ?? '')} maxLength={field.maxLength} onChange={(e) => onChange(e.target.value)} {...props} />
      )
      break
    case 'textarea':
      control = (props) => (
        <Textarea rows={3} value={String(value ?? '')} maxLength={field.maxLength} onChange={(e) => onChange(e.target.value)} {...props} />
      )
      break
    case 'color':
      control = (props) => (
        <div className="flex gap-2">
          <input
            type="color"
            aria-label={label}
            value={/^#[0-9a-f]{6}$/i.test(String(value)) ? String(value) : '#000000'}
            onChange={(e) => onChange(e.target.value.toUpperCase())}
            className="h-10 w-12 shrink-0 cursor-pointer rounded-md border bg-transparent p-1"
            tabIndex={-1}
          />
          <Input value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} className="font-mono" {...props} />
        </div>
      )
      hint = t('templateConfig.colorHint')
      break
    case 'tags':
      control = (props) => (
        <Input value={Array.isArray(value) ? value.join(' ') : String(value ?? '')} onChange={(e) => onChange(e.target.value)} {...props} />
      )
      hint = t('templateConfig.hashtagsHint')
      break
    case 'platforms':
      control = (props) => (
        <PlatformChoice value={Array.isArray(value) ? (value as TargetPlatform[]) : []} onChange={onChange} {...props} />
      )
      hint = t('templateConfig.platformsHint')
      break
  }
  const wide = field.kind === 'textarea' || field.kind === 'tags' || field.kind === 'platforms'
  return (
    <div className={cn(wide && 'sm:col-span-2')} data-config-field={field.path}>
      <FormField id={id} label={label} error={error} hint={hint} group={field.kind === 'platforms'}>
        {control}
      </FormField>
    </div>
  )
}
