import { describe, expect, it } from 'vitest'
import i18n from '@/i18n'
import en from '@/i18n/locales/en.json'
import { ENUMS } from './template-config'
import { enumLabel, humanize } from './enum-label'

describe('enumLabel', () => {
  it('has an English label for every enum value the template editor offers', () => {
    const missing = Object.entries(ENUMS).flatMap(([group, values]) =>
      values.filter((v) => !(en.enums as Record<string, Record<string, string>>)[group]?.[v]).map((v) => `${group}.${v}`),
    )
    expect(missing).toEqual([])
  })

  it('reads en.json, including values with a colon', () => {
    expect(enumLabel(i18n.t, 'aspectRatio', '9:16')).toBe('Portrait 9:16')
    expect(enumLabel(i18n.t, 'hookStyle', 'bold_claim')).toBe('Bold claim')
  })

  it('humanizes a value it does not know yet', () => {
    expect(enumLabel(i18n.t, 'hookStyle', 'plot_twist')).toBe('Plot twist')
    expect(humanize('rate_limited')).toBe('Rate limited')
  })
})
