// e2e step (story): the storyboard review puts the creator's facts into the video.
//
// With no keys the offline writer writes the script, so the video stops on its
// page with a storyboard (the default for offline scripts). The creator types
// the facts into the scenes, adds one, moves it with the keyboard (Alt+↑),
// checks the editor fits a 375 px phone, continues, and the finished video's
// script (shown on its page) says the facts.

const FACTS = [
  'An octopus has three hearts: two pump blood through the gills, one pumps it to the body.',
  'The body heart stops while the octopus swims, which is why it prefers to crawl.',
]
const ADDED = 'Its blood is blue because it carries oxygen with copper, not iron.'

/**
 * @param {{ page: import('playwright-core').Page, base: string, step: Function, check: Function,
 *           shot: Function, timeoutMs: number }} ctx
 */
export async function storyboardStep({ page, base, step, check, shot, timeoutMs }) {
  await step('story: fill in the facts on the storyboard, continue, the video says them', async () => {
    await page.goto(`${base}/create`)
    await page.getByTestId('template-option').first().waitFor()
    const short = page.locator('[data-testid="template-option"][data-template-id="sys-trending-challenge"]')
    await ((await short.count()) > 0 ? short : page.getByTestId('template-option').first()).click()
    await page.getByTestId('wizard-next').click()
    await page.getByLabel('Topic').fill('Why octopuses have three hearts')
    check((await page.getByTestId('review-script').innerText()).includes('When written offline'), 'the review choice defaults to "when written offline"')
    await page.getByTestId('wizard-next').click()
    await page.getByTestId('generate-video').click()
    await page.waitForURL(/\/videos\/[^/]+$/, { timeout: 30_000 })
    const videoId = new URL(page.url()).pathname.split('/').pop()

    const board = page.getByTestId('storyboard')
    await board.waitFor({ timeout: timeoutMs })
    check(true, `the offline script waits for review (${videoId})`)
    check((await board.innerText()).includes('cannot know facts'), 'the storyboard asks for the facts the offline writer cannot know')
    const narrations = page.getByTestId('storyboard-narration')
    const before = await narrations.count()
    check(before >= 2, `the storyboard shows the scenes (${before})`)
    await narrations.nth(0).fill(FACTS[0])
    await narrations.nth(1).fill(FACTS[1])
    await page.getByRole('button', { name: 'Add a scene', exact: true }).click()
    await narrations.nth(before).fill(ADDED)
    // keyboard reorder: Alt+↑ inside the new last scene moves it one up
    await page.getByTestId('storyboard-scene').nth(before).focus()
    await page.keyboard.press('Alt+ArrowUp')
    check((await narrations.nth(before - 1).inputValue()) === ADDED, 'Alt+↑ moved the added scene up')
    await shot(page, 'story-storyboard')

    // usable on a phone: nothing wider than the 375 px viewport
    const desktop = page.viewportSize()
    await page.setViewportSize({ width: 375, height: 812 })
    await page.waitForTimeout(300)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    check(overflow <= 0, `the storyboard fits 375 px (overflow ${overflow} px)`)
    check(await page.getByTestId('storyboard-continue').isVisible(), 'Continue is reachable at 375 px')
    await shot(page, 'story-storyboard-375')
    if (desktop) await page.setViewportSize(desktop)

    await page.getByTestId('storyboard-continue').click()
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (await page.getByTestId('video-player').isVisible()) break
      if (await page.getByTestId('video-error').isVisible()) {
        throw new Error(`the video failed: ${(await page.getByTestId('video-error').innerText()).replace(/\s+/g, ' ').slice(0, 400)}`)
      }
      await page.waitForTimeout(1000)
    }
    check(await page.getByTestId('video-player').isVisible(), 'the video made from the storyboard finished')
    const script = page.getByTestId('video-script')
    await script.waitFor({ timeout: 15_000 })
    const text = (await script.innerText()).replace(/\s+/g, ' ')
    for (const fact of [...FACTS, ADDED]) check(text.includes(fact), `the finished video's script says: "${fact.slice(0, 50)}…"`)
    await shot(page, 'story-video-with-facts')
  })
}
