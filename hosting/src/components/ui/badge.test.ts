/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { badgeVariants } from './badge'

// Read from disk (vitest runs in hosting/): the test environment loads no stylesheets.
const css = readFileSync(`${process.cwd()}/src/index.css`, 'utf8')

/** oklch (CSS Color 4) → linear sRGB, clamped to the gamut as a browser shows it. */
function oklchToLinear(l: number, c: number, h: number): number[] {
  const a = c * Math.cos((h * Math.PI) / 180)
  const b = c * Math.sin((h * Math.PI) / 180)
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3
  return [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ].map((v) => Math.min(1, Math.max(0, v)))
}
const encode = (x: number) => (x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055)
const decode = (x: number) => (x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)
const luminance = (rgb: number[]) => 0.2126 * rgb[0]! + 0.7152 * rgb[1]! + 0.0722 * rgb[2]!
/** `fg` at `alpha` over `bg`, blended in sRGB as browsers do. */
const over = (fg: number[], alpha: number, bg: number[]) => fg.map((f, i) => decode(alpha * encode(f) + (1 - alpha) * encode(bg[i]!)))
const contrast = (a: number[], b: number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

/** The custom properties of one block of index.css (`:root` or `.dark`), resolving var(). */
function tokens(block: ':root' | '.dark'): Record<string, number[]> {
  const start = css.indexOf(`${block} {`)
  const body = css.slice(start, css.indexOf('}', start))
  const raw: Record<string, string> = {}
  for (const m of body.matchAll(/--([\w-]+):\s*([^;]+);/g)) raw[m[1]!] = m[2]!.trim()
  const out: Record<string, number[]> = {}
  const resolve = (value: string): number[] => {
    const v = /^var\(--([\w-]+)\)$/.exec(value)
    if (v) return resolve(raw[v[1]!]!)
    const o = /^oklch\(([\d.]+) ([\d.]+) ([\d.]+)\)$/.exec(value)
    if (!o) throw new Error(`not an oklch colour: ${value}`)
    return oklchToLinear(Number(o[1]), Number(o[2]), Number(o[3]))
  }
  for (const [name, value] of Object.entries(raw)) if (/oklch|var\(/.test(value)) out[name] = resolve(value)
  return out
}

describe('status badges', () => {
  it.each([':root', '.dark'] as const)('%s: badge text is at least 4.5:1 on its tinted background', (block) => {
    const t = tokens(block)
    for (const status of ['success', 'warning', 'destructive']) {
      for (const surface of ['card', 'background', 'popover']) {
        const tint = over(t[status]!, 0.15, t[surface]!)
        const ratio = contrast(t[`${status}-text`]!, tint)
        expect(ratio, `${block} ${status} on ${surface}`).toBeGreaterThanOrEqual(4.5)
      }
    }
    // The light-mode colours the issue measured: the base colour as text was 3.1:1 and 2.0:1.
    if (block === ':root') {
      expect(contrast(t.success!, over(t.success!, 0.15, t.card!))).toBeLessThan(4.5)
      expect(contrast(t.warning!, over(t.warning!, 0.15, t.card!))).toBeLessThan(4.5)
    }
  })

  it('use the text tokens, not the fill colours, for their text', () => {
    expect(badgeVariants({ variant: 'success' })).toContain('text-success-text')
    expect(badgeVariants({ variant: 'warning' })).toContain('text-warning-text')
    expect(badgeVariants({ variant: 'destructive' })).toContain('text-destructive-text')
  })
})
