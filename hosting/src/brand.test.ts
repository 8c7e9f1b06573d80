// The page's icons, manifest and link-preview image: every file index.html
// links to exists in public/ at the size it claims.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const root = process.cwd() // vitest runs from hosting/
const join = (...parts: string[]) => parts.join('/')
const html = readFileSync(join(root, 'index.html'), 'utf8')
const publicFile = (href: string) => join(root, 'public', href.replace('%PUBLIC_URL%', '').replace(/^\//, ''))

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path)
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG')
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
}

function attr(selector: RegExp): string {
  const match = html.match(selector)
  if (!match?.[1]) throw new Error(`index.html has no ${selector}`)
  return match[1]
}

describe('brand assets', () => {
  it('links an SVG favicon, a 32 px PNG and an apple touch icon that exist', () => {
    expect(readFileSync(publicFile(attr(/rel="icon" type="image\/svg\+xml" href="([^"]+)"/)), 'utf8')).toContain('<svg')
    expect(pngSize(publicFile(attr(/sizes="32x32" href="([^"]+)"/)))).toEqual([32, 32])
    expect(pngSize(publicFile(attr(/rel="apple-touch-icon" href="([^"]+)"/)))).toEqual([180, 180])
  })

  it('has a web manifest whose icons exist at their declared sizes', () => {
    const manifest = JSON.parse(readFileSync(publicFile(attr(/rel="manifest" href="([^"]+)"/)), 'utf8'))
    expect(manifest.name).toBe('Synthora')
    for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
      if (icon.type !== 'image/png') continue
      const [w, h] = icon.sizes.split('x').map(Number)
      expect(pngSize(publicFile(icon.src))).toEqual([w, h])
    }
  })

  it('gives link previews a title, a description and a 1200x630 image', () => {
    expect(attr(/property="og:title" content="([^"]+)"/)).toMatch(/Synthora/)
    expect(attr(/property="og:description" content="([^"]+)"/).length).toBeGreaterThan(40)
    const image = attr(/property="og:image" content="([^"]+)"/)
    expect(image).toBe(attr(/name="twitter:image" content="([^"]+)"/))
    expect(pngSize(publicFile(image))).toEqual([1200, 630])
    expect(attr(/property="og:image:width" content="([^"]+)"/)).toBe('1200')
    expect(attr(/name="twitter:card" content="([^"]+)"/)).toBe('summary_large_image')
  })

  it('keeps crawlers out of the API', () => {
    const robots = readFileSync(join(root, 'public', 'robots.txt'), 'utf8')
    expect(robots).toMatch(/^User-agent: \*$/m)
    expect(robots).toMatch(/^Disallow: \/api\/$/m)
  })

  it('has a static 404 page in the app’s look that needs no script', () => {
    const page = readFileSync(join(root, 'public', '404.html'), 'utf8')
    expect(page).toContain('<title>Page not found · Synthora</title>')
    expect(page).toContain('href="/favicon.svg"')
    expect(page).toMatch(/<a class="button" href="\/">/)
    expect(page).not.toContain('<script')
  })
})
