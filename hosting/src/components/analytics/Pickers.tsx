import type { ReactNode } from 'react'
import { ChevronDown } from 'lucide-react'
import { cn } from '@/lib/utils'

/** A labelled native select (keyboard and screen-reader behaviour from the browser, fine at 375 px). */
export function PickerSelect<V extends string>({
  label,
  value,
  onChange,
  options,
  className,
  testId,
}: {
  label: string
  value: V
  onChange: (value: V) => void
  options: { value: V; label: string }[]
  className?: string
  testId?: string
}) {
  return (
    <label className={cn('flex flex-col gap-1 text-xs text-muted-foreground', className)}>
      {label}
      <span className="relative">
        <select
          className="h-9 w-full appearance-none rounded-md border border-input bg-background/50 py-1 pl-3 pr-8 text-sm text-foreground shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-ring"
          value={value}
          onChange={(event) => onChange(event.target.value as V)}
          data-testid={testId}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <ChevronDown className="pointer-events-none absolute right-2 top-1/2 size-4 -translate-y-1/2" aria-hidden />
      </span>
    </label>
  )
}

/** A row of toggle buttons (one pressed), e.g. the 7 / 30 / 90 day period. */
export function SegmentedPicker<V extends string | number>({
  label,
  value,
  onChange,
  options,
}: {
  label: string
  value: V
  onChange: (value: V) => void
  options: { value: V; label: ReactNode }[]
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-md border border-input p-0.5">
      {options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
          className={cn(
            'h-8 rounded-[5px] px-3 text-sm outline-none transition-colors focus-visible:ring-2 focus-visible:ring-ring',
            o.value === value ? 'bg-primary text-primary-foreground' : 'text-muted-foreground hover:text-foreground',
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  )
}
