// Posting end to end (issue 13): schedule the e2e's finished video to two connected
// emulated platforms (YouTube and the Facebook Page) a minute or two ahead through the
// Post dialog, see the duplicate-schedule warning on a second post of the same video,
// cancel that second post (due at the same minute) on the Posts page, watch both
// targets of the first publish with their links, see it on the calendar, and ask the
// platform emulators what they received: the scheduled post once on each platform,
// the cancelled one never.
//
// Needs the social accounts step before it (YouTube and a Facebook Page connected).

const MINUTE = 60_000

/** The emulators' record of what each platform received (GET /_emulator/<prefix>). */
async function received(emulatorOrigin, prefix) {
  const response = await fetch(`${emulatorOrigin}/_emulator/${prefix}`)
  if (!response.ok) throw new Error(`emulator ${prefix}: HTTP ${response.status}`)
  return response.json()
}

/** `YYYY-MM-DDTHH:MM` of an instant in the page's own time zone (a datetime-local value). */
async function localInputValue(page, at) {
  return page.evaluate((ms) => {
    const d = new Date(ms)
    const pad = (n) => String(n).padStart(2, '0')
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
  }, at.getTime())
}

/**
 * Open the Post dialog on the video page, choose YouTube (with `title`) and maybe
 * Facebook, set the time and submit; the created post (the API's answer).
 */
async function schedule(page, { base, videoId, title, facebook, at, expectWarning, check, shot }) {
  await page.goto(`${base}/videos/${videoId}`)
  await page.getByTestId('post-video').click()
  const dialog = page.getByTestId('post-dialog')
  await dialog.getByLabel(/^youtube: /).check()
  if (facebook) await dialog.getByLabel(/^facebook: /).check()
  if (expectWarning) {
    const warning = dialog.getByTestId('post-duplicate-warning')
    await warning.waitFor({ timeout: 15_000 })
    check(/already going/.test(await warning.innerText()), `the duplicate warning shows before submit: "${(await warning.innerText()).split('\n')[0]}"`)
  }
  await dialog.getByRole('tab', { name: 'YouTube' }).click()
  await dialog.getByLabel('Title', { exact: true }).fill(title)
  await dialog.getByLabel(/^Schedule for/).fill(await localInputValue(page, at))
  const slots = dialog.getByTestId('post-best-slots')
  await slots
    .locator('button, [data-testid="post-best-slots-empty"]')
    .first()
    .waitFor({ timeout: 15_000 })
    .then(async () => check(true, `best times shown: "${(await slots.innerText()).replace(/\s+/g, ' ').slice(0, 120)}"`))
    .catch(() => check(false, 'the best-time hints (heatmap) did not load in the Post dialog'))
  if (expectWarning) await shot(page, 'posting-dialog-duplicate-warning')
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/posts') && r.request().method() === 'POST')
  await dialog.getByTestId('post-submit').click()
  const response = await created
  if (response.status() !== 201) throw new Error(`POST /posts answered ${response.status()}: ${await response.text()}`)
  await dialog.waitFor({ state: 'detached' })
  return response.json()
}

export async function postingStep({ page, base, emulatorOrigin, videoId, run, step, check, note, shot }) {
  if (!videoId) {
    note('skipped the posting step: no finished video')
    return
  }
  await step('posting: schedule to YouTube and Facebook a minute ahead, cancel a duplicate, watch both publish', async () => {
    const before = { youtube: (await received(emulatorOrigin, 'google')).videos.length, facebook: (await received(emulatorOrigin, 'meta')).videos.length }
    // a whole minute (the input has minute resolution) two or three minutes away: room
    // on a loaded machine to schedule the duplicate and cancel it before both are due
    const at = new Date(Math.ceil((Date.now() + 120_000) / MINUTE) * MINUTE)
    const mainTitle = `E2E scheduled ${run}`
    const decoyTitle = `E2E cancelled ${run}`
    const main = await schedule(page, { base, videoId, title: mainTitle, facebook: true, at, check })
    check(main.status === 'scheduled' && main.targets.length === 2, `scheduled for ${main.scheduled_at} to ${main.targets.map((t) => t.platform).join(' + ')}`)
    // the same video to the same YouTube channel at the same minute: warned, not refused
    const decoy = await schedule(page, { base, videoId, title: decoyTitle, facebook: false, at, expectWarning: true, check, shot })
    check(decoy.status === 'scheduled' && decoy.scheduled_at === main.scheduled_at, `the duplicate is scheduled for the same minute (${decoy.scheduled_at})`)

    // cancel the duplicate on the Posts page before it is due
    await page.goto(`${base}/posts`)
    const decoyCard = page.getByTestId(`post-${decoy.id}`)
    await decoyCard.getByRole('button', { name: 'Cancel queued', exact: true }).click()
    await decoyCard.getByText('Cancelled').first().waitFor()
    check(Date.now() < at.getTime(), `the duplicate was cancelled ${((at.getTime() - Date.now()) / 1000).toFixed(0)} s before it was due`)

    // the calendar shows both on today's date, in the user's zone
    await page.goto(`${base}/calendar`)
    const entry = page.getByTestId(`calendar-post-${main.id}`)
    await entry.waitFor()
    check(await entry.isVisible(), 'the scheduled post is on the calendar')
    check((await entry.getAttribute('draggable')) === 'true', 'a scheduled post can be dragged to another day')
    await page.getByRole('button', { name: 'Week', exact: true }).click()
    await page.getByTestId('calendar-week').getByTestId(`calendar-post-${main.id}`).waitFor()
    check(true, 'the week view shows it in its hour')
    await shot(page, 'posting-calendar-week')
    await page.setViewportSize({ width: 375, height: 800 })
    await shot(page, 'posting-calendar-week-375')
    await page.setViewportSize({ width: 1280, height: 860 })
    await page.getByRole('button', { name: 'Month', exact: true }).click()

    // both targets of the scheduled post publish, each with its link
    const card = page.getByTestId(`post-${main.id}`)
    const deadline = at.getTime() + 6 * MINUTE
    let links = []
    let listed = null
    for (;;) {
      const list = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/posts' && r.request().method() === 'GET')
      await page.goto(`${base}/posts`)
      listed = await (await list).json().catch(() => null)
      await card.waitFor()
      const published = await card.locator('[data-testid^="target-"]').filter({ hasText: 'Published' }).count()
      links = await card.getByRole('link', { name: 'Open', exact: true }).evaluateAll((as) => as.map((a) => a.href))
      if (published === 2 && links.length === 2) break
      const failed = await card.locator('[data-testid^="target-"]').filter({ hasText: 'Failed' }).allInnerTexts()
      if (failed.length) throw new Error(`a target failed: ${failed.join(' | ')}`)
      if (Date.now() > deadline) throw new Error(`not published 6 min after ${at.toISOString()}: ${(await card.innerText()).replace(/\s+/g, ' ')}`)
      await page.waitForTimeout(5000)
    }
    const lateS = (Date.now() - at.getTime()) / 1000
    check(true, `both targets published (seen ${lateS.toFixed(0)} s after the scheduled time), links: ${links.join(', ')}`)
    await shot(page, 'posting-published')

    // what the emulators received: the scheduled post once per platform, the cancelled one never
    const google = await received(emulatorOrigin, 'google')
    const meta = await received(emulatorOrigin, 'meta')
    const titles = google.videos.map((v) => v.title)
    check(titles.filter((t) => t === mainTitle).length === 1, `YouTube received "${mainTitle}" exactly once`)
    check(
      !titles.includes(decoyTitle) && !google.uploads.some((u) => JSON.stringify(u.metadata ?? {}).includes(decoyTitle)),
      `YouTube never received the cancelled post (${google.videos.length - before.youtube} new video(s), ${google.uploads.length} upload session(s))`,
    )
    check(meta.videos.length - before.facebook === 1, `the Facebook Page received one video (${meta.videos.length - before.facebook})`)
    const ids = new Set([...google.videos.map((v) => v.id), ...meta.videos.map((v) => v.id)])
    const mine = listed?.items?.find((p) => p.id === main.id)
    check(
      Boolean(mine) && mine.targets.every((t) => ids.has(t.platform_post_id) && links.some((href) => href === t.url)),
      `each target carries the id the emulator gave it and its link (${mine?.targets.map((t) => `${t.platform} ${t.platform_post_id}`).join(', ')})`,
    )
  })
}
