// e2e step (llm): a broken key costs one fallback, never a failed video.
//
// Runs after the integrations step stored a fake OpenAI key (offline its check
// ends "unreachable", and the key stays in use). The Create page's Confirm step
// warns about that key; the video then finishes, and its page says the script
// (and the voice, which would have used the same key) fell back to the local
// providers.

/**
 * @param {{ page: import('playwright-core').Page, base: string, step: Function, check: Function,
 *           shot: Function, timeoutMs: number }} ctx
 */
export async function providerFallbackStep({ page, base, step, check, shot, timeoutMs }) {
  let videoId = null
  await step('llm: the Confirm step warns about the OpenAI key; the video falls back and finishes', async () => {
    await page.goto(`${base}/create`)
    await page.getByTestId('template-option').first().waitFor()
    const short = page.locator('[data-testid="template-option"][data-template-id="sys-trending-challenge"]')
    await ((await short.count()) > 0 ? short : page.getByTestId('template-option').first()).click()
    await page.getByTestId('wizard-next').click()
    await page.getByLabel('Topic').fill('Why octopuses have three hearts')
    await page.getByTestId('wizard-next').click()
    const warnings = page.getByTestId('key-warnings')
    await warnings.waitFor({ timeout: 15_000 })
    const text = (await warnings.innerText()).replace(/\s+/g, ' ')
    check(/OpenAI/.test(text) && /(not been checked|could not reach|said)/.test(text), `the Confirm step warns about the OpenAI key: "${text.slice(0, 200)}"`)
    check(/falls back/.test(text), 'the warning says a failing key falls back')
    await shot(page, 'llm-create-confirm-key-warnings')
    await page.getByTestId('generate-video').click()
    await page.waitForURL(/\/videos\/[^/]+$/, { timeout: 30_000 })
    videoId = new URL(page.url()).pathname.split('/').pop()
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (await page.getByTestId('video-player').isVisible()) break
      // The fallback wrote the script offline, so it waits for its storyboard review: continue as written.
      if (await page.getByTestId('storyboard-continue').isVisible()) await page.getByTestId('storyboard-continue').click()
      if (await page.getByTestId('video-error').isVisible()) {
        throw new Error(`the video failed: ${(await page.getByTestId('video-error').innerText()).replace(/\s+/g, ' ').slice(0, 400)}`)
      }
      await page.waitForTimeout(1000)
    }
    check(await page.getByTestId('video-player').isVisible(), `the video with the broken key finished (${videoId})`)
    const fallbacks = page.getByTestId('step-fallbacks')
    await fallbacks.waitFor({ timeout: 10_000 })
    const lines = (await fallbacks.innerText()).replace(/\s+/g, ' ')
    check(/Script: OpenAI (unreachable|refused the key) → template writer/.test(lines), `the video page shows the script's fallback: "${lines.slice(0, 200)}"`)
    await shot(page, 'llm-video-fallbacks')
  })
  return videoId
}
