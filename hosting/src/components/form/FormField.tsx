import { Slot } from '@radix-ui/react-slot'
import type { ReactElement, ReactNode } from 'react'
import { Label } from '@/components/ui/label'
import { cn } from '@/lib/utils'

/** The props a field's control takes so its label, state and message reach assistive technology. */
export interface FieldControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
  /** Only for `group` fields: the visible caption names the group. */
  'aria-labelledby'?: string
}

/** The id of a field's message (its error, or its hint when there is no error). */
export function fieldMessageId(id: string): string {
  return `${id}-msg`
}

/**
 * A field's message: the error when there is one (red, `data-field-error`),
 * otherwise the hint; nothing when there is neither.
 */
export function FieldMessage({ id, error, hint, className }: { id: string; error?: string | null; hint?: ReactNode; className?: string }) {
  if (!error && !hint) return null
  return (
    <p
      id={id}
      className={cn('text-xs', error ? 'text-destructive' : 'text-muted-foreground', className)}
      data-field-error={error ? true : undefined}
    >
      {error || hint}
    </p>
  )
}

/**
 * Label + control + message, done once.
 *
 * The control is the one child (it receives `id`, `aria-invalid` and
 * `aria-describedby`), or a function of those props when the element that must
 * carry them is not the outermost one (a Radix `Select`'s trigger):
 *
 *   <FormField id="tpl-name" label={t('templateForm.name')} error={errors.name}>
 *     <Input value={name} onChange={...} />
 *   </FormField>
 *
 *   <FormField id="tpl-category" label="Category" error={errors.category}>
 *     {(control) => <Select ...><SelectTrigger {...control}>...</SelectTrigger></Select>}
 *   </FormField>
 *
 * `layout="switch"` puts the label (and hint) beside a Switch in a bordered row;
 * `group` captions a set of controls (toggle buttons, checkboxes) instead of
 * labelling one: the control gets `aria-labelledby` and no `id` link from a
 * `<label>`. Server errors come from `useServerFieldErrors`.
 */
export function FormField({
  id,
  label,
  error,
  hint,
  layout = 'stack',
  group = false,
  className,
  children,
}: {
  id: string
  label: ReactNode
  error?: string | null
  hint?: ReactNode
  layout?: 'stack' | 'switch'
  group?: boolean
  className?: string
  children: ReactElement | ((control: FieldControlProps) => ReactNode)
}) {
  const msgId = fieldMessageId(id)
  const hasMessage = Boolean(error || hint)
  const labelId = `${id}-label`
  const control: FieldControlProps = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': hasMessage ? msgId : undefined,
    ...(group ? { 'aria-labelledby': labelId } : {}),
  }
  const rendered = typeof children === 'function' ? children(control) : <Slot {...control}>{children}</Slot>
  const caption = group ? (
    <span id={labelId} className="text-sm font-medium">
      {label}
    </span>
  ) : (
    <Label id={labelId} htmlFor={id}>
      {label}
    </Label>
  )

  if (layout === 'switch') {
    return (
      <div className={cn('flex flex-col gap-1.5', className)} data-form-field={id}>
        <div className="flex items-center justify-between gap-4 rounded-md border px-3 py-2">
          <div className="min-w-0">
            {caption}
            {!error && hint ? <FieldMessage id={msgId} hint={hint} className="mt-1" /> : null}
          </div>
          {rendered}
        </div>
        {error ? <FieldMessage id={msgId} error={error} /> : null}
      </div>
    )
  }
  return (
    <div className={cn('flex flex-col gap-1.5', className)} data-form-field={id}>
      {caption}
      {rendered}
      <FieldMessage id={msgId} error={error} hint={hint} />
    </div>
  )
}
