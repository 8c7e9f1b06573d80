import { describe, expect, it } from 'vitest'
import en from './locales/en.json'

/** Every source file (not tests), as text. */
const sources = import.meta.glob<string>(['/src/**/*.{ts,tsx}', '!/src/**/*.test.{ts,tsx}', '!/src/test/**', '!/src/api/schema.d.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

type Tree = { [key: string]: string | Tree }

function hasKey(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return false
    node = node[part]
  }
  return typeof node === 'string'
}

function resolves(key: string): boolean {
  // i18next plurals: t('x', { count }) reads x_one / x_other.
  return hasKey(en, key) || (hasKey(en, `${key}_one`) && hasKey(en, `${key}_other`))
}

function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`),
  )
}

const namespaces = Object.keys(en)
const T_CALL = /\bt\(\s*(['"])([^'"]+)\1/g
const TRANS_KEY = /i18nKey=(['"])([^'"]+)\1/g
// Keys kept in maps/config (labelKey: 'nav.videos', ROLE_LABEL_KEYS...): any
// string literal that looks like `<namespace>.<path>`.
const KEY_LITERAL = new RegExp(`(['"])((?:${namespaces.join('|')})(?:\\.[A-Za-z0-9_]+)+)\\1`, 'g')

function usedKeys(): Map<string, string[]> {
  const used = new Map<string, string[]>()
  for (const [file, text] of Object.entries(sources)) {
    for (const pattern of [T_CALL, TRANS_KEY, KEY_LITERAL]) {
      for (const match of text.matchAll(pattern)) {
        const key = match[2] as string
        used.set(key, [...(used.get(key) ?? []), file])
      }
    }
  }
  return used
}

describe('i18n', () => {
  it('finds translation keys in the sources', () => {
    expect(usedKeys().size).toBeGreaterThan(50)
  })

  it('has an English string for every key the code uses', () => {
    const missing = [...usedKeys()].filter(([key]) => !resolves(key)).map(([key, files]) => `${key} (${files.join(', ')})`)
    expect(missing).toEqual([])
  })

  it('never builds keys at run time (the scan above could not check them)', () => {
    const dynamic = Object.entries(sources)
      .filter(([, text]) => /\bt\(\s*`/.test(text))
      .map(([file]) => file)
    expect(dynamic).toEqual([])
  })

  it('has no empty strings in en.json', () => {
    const empty = flatten(en).filter((key) => {
      let node: unknown = en
      for (const part of key.split('.')) node = (node as Tree)[part]
      return !(node as string).trim()
    })
    expect(empty).toEqual([])
  })

  it('has no hard-coded text between JSX tags in pages and components', () => {
    const offenders: string[] = []
    for (const [file, text] of Object.entries(sources)) {
      if (!file.endsWith('.tsx')) continue
      for (const match of text.matchAll(/>\s*([^<>{}\n=;()]*[A-Za-z]{2,}[^<>{}\n=;()]*?)\s*<\//g)) {
        offenders.push(`${file}: ${match[1]}`)
      }
    }
    expect(offenders).toEqual([])
  })
})
