import { ApiError } from '@/api/errors'

/** One entry of a 422's `details`: `{field: "body.config.audio.voice_speed", message, allowed?, min?, max?}`. */
export interface ApiFieldError {
  field: string
  message: string
  allowed?: string[] | null
  min?: number | null
  max?: number | null
}

function isFieldError(value: unknown): value is ApiFieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { field?: unknown }).field === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}

/** The field errors of a 422 (empty for any other error). */
export function fieldErrorsOf(error: unknown): ApiFieldError[] {
  if (!(error instanceof ApiError) || error.status !== 422 || !Array.isArray(error.details)) return []
  return error.details.filter(isFieldError)
}

/** A readable message: the backend's, plus the allowed values or bounds when it sent them. */
export function describeFieldError(error: ApiFieldError): string {
  const extra: string[] = []
  if (error.allowed && error.allowed.length > 0) extra.push(error.allowed.join(', '))
  if (error.min != null && error.max != null) extra.push(`${error.min}–${error.max}`)
  return extra.length > 0 ? `${error.message} (${extra.join('; ')})` : error.message
}

/**
 * Map a 422's `details[].field` onto form field names.
 *
 * `body.config.audio.voice_speed` with prefixes `['body.config.', 'body.']`
 * becomes `audio.voice_speed` (and `body.name` becomes `name`); a list item's
 * index (`platform.suggested_hashtags.2`) is kept as the full path and also
 * reported on its list (`platform.suggested_hashtags`), so a form can show it
 * on the one input that edits the list. Several errors on one field are joined.
 */
export function mapFieldErrors(error: unknown, prefixes: string[] = ['body.']): Record<string, string> {
  const out: Record<string, string> = {}
  const add = (key: string, message: string) => {
    out[key] = out[key] ? `${out[key]} ${message}` : message
  }
  const sorted = [...prefixes].sort((a, b) => b.length - a.length)
  for (const item of fieldErrorsOf(error)) {
    let field = item.field
    for (const prefix of sorted) {
      if (field.startsWith(prefix)) {
        field = field.slice(prefix.length)
        break
      }
    }
    const message = describeFieldError(item)
    add(field, message)
    const parts = field.split('.')
    if (parts.length > 1 && /^\d+$/.test(parts[parts.length - 1] as string)) add(parts.slice(0, -1).join('.'), message)
  }
  return out
}
