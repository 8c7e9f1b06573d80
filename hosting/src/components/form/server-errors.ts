import { useEffect, type RefObject } from 'react'
import { fieldErrorsOf, mapFieldErrors } from '@/lib/field-errors'

/**
 * The API's 422 field errors of a mutation, keyed by form field name.
 *
 * `prefixes` strip the request path the API reports (`body.config.audio.voice_speed`
 * with `['body.config.', 'body.']` → `audio.voice_speed`); see `mapFieldErrors`.
 * `placed` names the fields the form shows; `unplaced` lists the messages of
 * the others (so the form can show them in its summary instead of dropping them).
 */
export function serverFieldErrors(
  error: unknown,
  { prefixes = ['body.'], placed }: { prefixes?: string[]; placed?: Iterable<string> } = {},
): { errors: Record<string, string>; unplaced: [string, string][]; count: number } {
  const errors = mapFieldErrors(error, prefixes)
  const known = placed ? new Set(placed) : null
  const unplaced = known
    ? Object.entries(errors).filter(([field]) => !known.has(field) && !/\.\d+$/.test(field))
    : []
  const count = fieldErrorsOf(error).length
  return { errors, unplaced, count }
}

/**
 * When a save is refused, bring the first field in error into view and focus it
 * (keyboard and screen-reader users land on what to fix).
 */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, error: unknown): void {
  useEffect(() => {
    if (!error) return
    const first = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')
    if (first) {
      first.scrollIntoView?.({ block: 'center', behavior: 'smooth' })
      first.focus({ preventScroll: true })
    }
  }, [error, form])
}
