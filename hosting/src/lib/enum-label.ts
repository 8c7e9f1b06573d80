import type { TFunction } from 'i18next'
import type { ParseKeys } from 'i18next'
import en from '@/i18n/locales/en.json'

type EnumTree = Record<string, Record<string, string>>

/** `snake_case` → `Snake case`: the fallback for a value en.json does not know yet. */
export function humanize(value: string): string {
  const text = value.replace(/[_-]+/g, ' ').trim()
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * The label of an API enum value, from `enums.<group>.<value>` in en.json
 * (`enum-label.test.ts` checks every value the app offers has one). Values the
 * backend adds later still render, humanized, until they get a string.
 */
export function enumLabel(t: TFunction, group: string, value: string): string {
  const known = (en.enums as EnumTree)[group]?.[value]
  if (known === undefined) return humanize(value)
  // nsSeparator off: values like '9:16' contain i18next's namespace separator.
  return t(['enums', group, value].join('.') as ParseKeys, { nsSeparator: false })
}
