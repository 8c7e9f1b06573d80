// e2e step (a11y): every main page passes an axe-core scan at 375 px and at
// desktop width, signed in as the admin (so the admin pages are scanned too),
// and the keyboard reaches the page with a visible focus indicator.
//
// axe is injected with page.evaluate (a DevTools evaluation, which the app's
// Content-Security-Policy does not block; a <script> tag would be). Any
// violation of impact "serious" or "critical" fails the step and is printed
// with its rule, help text and the first elements it names; moderate and minor
// ones are printed as notes.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']
const WIDTHS = [
  ['375px', { width: 375, height: 812 }],
  ['desktop', { width: 1280, height: 860 }],
]

/** Scan the current page; returns axe's violations, reduced to what a person needs to fix them. */
async function scan(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE)
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1, 2).join(' ').trim()}` : ''}`),
    }))
  }, TAGS)
}

/**
 * @param {{ page: import('playwright-core').Page, base: string, videoId: string | null, step: Function,
 *           check: Function, note: Function }} ctx
 */
export async function a11yStep({ page, base, videoId, step, check, note }) {
  const pages = [
    ['dashboard', '/'],
    ['create', '/create'],
    ['videos', '/videos'],
    ...(videoId ? [['video detail', `/videos/${videoId}`]] : []),
    ['templates', '/templates'],
    ['posts', '/posts'],
    ['calendar', '/calendar'],
    ['analytics', '/analytics'],
    ['suggestions', '/suggestions'],
    ['integrations', '/integrations'],
    ['social accounts', '/social-accounts'],
    ['settings', '/settings'],
    ['subscription settings', '/settings/subscription'],
    ['admin', '/admin'],
    ['admin users', '/admin/users'],
    ['admin settings', '/admin/settings'],
    ['admin content', '/admin/content'],
    ['admin templates', '/admin/templates'],
    ['admin revenue', '/admin/revenue'],
    ['not found', '/no-such-page'],
  ]
  // a user's detail page: the first user the admin's users list links to
  await page.goto(`${base}/admin/users`)
  await page.locator('main h1').first().waitFor()
  const userLink = page.locator('main a[href^="/admin/users/"]').first()
  await userLink.waitFor({ timeout: 15_000 }).catch(() => {})
  const userHref = (await userLink.count()) ? await userLink.getAttribute('href') : null
  if (userHref) pages.splice(pages.length - 1, 0, ['admin user detail', userHref])
  else note('a11y: the admin users list showed no user link to scan a detail page from')
  await step('a11y: axe finds no serious or critical violation at 375 px and desktop width', async () => {
    let scanned = 0
    for (const [width, size] of WIDTHS) {
      await page.setViewportSize(size)
      for (const [name, path] of pages) {
        await page.goto(`${base}${path}`)
        await page.locator('main h1').first().waitFor()
        // let the page's queries land (skeletons replaced by content) before scanning
        await page.waitForLoadState('networkidle', { timeout: 8_000 }).catch(() => {})
        await page.waitForTimeout(400)
        const violations = await scan(page)
        scanned += 1
        const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        for (const v of violations) {
          const line = `${name} (${path}, ${width}): [${v.impact}] ${v.id}: ${v.help} (${v.nodes} element${v.nodes === 1 ? '' : 's'})`
          if (blocking.includes(v)) {
            console.log(`     ${line}`)
            for (const target of v.targets) console.log(`       ${target}`)
          } else note(`a11y ${line}`)
        }
        check(blocking.length === 0, `${name} at ${width}: ${blocking.length === 0 ? 'no' : blocking.length} serious or critical axe violation${blocking.length === 1 ? '' : 's'}${blocking.length ? ` (${blocking.map((v) => v.id).join(', ')})` : ''}`)
      }
    }
    console.log(`   scanned ${scanned} page views`)
  })

  await step('a11y: the keyboard reaches the skip link and the focus is visible', async () => {
    await page.setViewportSize({ width: 1280, height: 860 })
    await page.goto(`${base}/`)
    await page.locator('main h1').first().waitFor()
    // a fresh load: the first Tab starts from the top of the document
    await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined))
    await page.keyboard.press('Tab')
    const first = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), href: document.activeElement?.getAttribute('href') }))
    check(first.href === '#main', `the first Tab lands on the skip link ("${first.text}")`)
    await page.keyboard.press('Tab')
    const ring = await page.evaluate(() => {
      const el = document.activeElement
      if (!el || el === document.body) return null
      const style = getComputedStyle(el)
      return {
        tag: el.tagName.toLowerCase(),
        name: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== 'none',
      }
    })
    check(Boolean(ring && (ring.outline || ring.shadow)), `the next focused control (${ring?.tag} "${ring?.name}") shows a focus indicator`)
  })
}
