// Email notifications (issue 17, item 6), through the local mail catcher `make dev` runs
// (python -m synthora_emulators.mailcatcher; its JSON API and web inbox on
// 127.0.0.1:$SYNTHORA_MAIL_WEB_PORT, default 8025).
//
// Runs after the posting step (a post published to YouTube and a Facebook Page):
//   1. each published target was emailed exactly once to the signed-in user;
//   2. email turned off in Settings > Notifications: a broadcast marked "Also send by
//      email" sends nothing; turned on again: the next one arrives, once;
//   3. the catcher's inbox page lists it and shows both parts; its unsubscribe link
//      opens a confirmation, "Unsubscribe" turns announcement emails off, and the next
//      announcement by email is not sent (the posting emails are not affected).

const CATCHER = `http://127.0.0.1:${process.env.SYNTHORA_MAIL_WEB_PORT ?? 8025}`

async function inbox(to) {
  const response = await fetch(`${CATCHER}/api/messages?to=${encodeURIComponent(to)}`)
  if (!response.ok) throw new Error(`mail catcher: HTTP ${response.status}`)
  return (await response.json()).items
}

/** Messages to `to` whose subject passes `match`, polled until `count` arrive (or the timeout). */
async function waitForMail(to, match, { count = 1, timeoutMs = 45_000 } = {}) {
  const deadline = Date.now() + timeoutMs
  let found = []
  while (Date.now() < deadline) {
    found = (await inbox(to)).filter((m) => match(m.subject))
    if (found.length >= count) return found
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  return found
}

async function setEmail(page, base, on) {
  await page.goto(`${base}/settings`)
  await page.getByRole('tab', { name: 'Notifications' }).click()
  const toggle = page.getByRole('switch', { name: 'Email me' })
  await toggle.waitFor()
  if (((await toggle.getAttribute('aria-checked')) === 'true') === on) return
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/users/profile') && r.request().method() === 'PATCH')
  await toggle.click()
  if ((await saved).status() !== 200) throw new Error('saving the email preference failed')
}

/** Send an admin broadcast marked for email and wait until its fan-out is done. */
async function broadcastByEmail(page, base, title) {
  await page.goto(`${base}/admin`)
  await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor()
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Message').fill('Emailed to everyone who has email on.')
  await page.getByLabel('Also send by email').check()
  const sent = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/notifications/admin/broadcast') && r.request().method() === 'POST',
  )
  await page.getByRole('button', { name: 'Send broadcast' }).click()
  const response = await sent
  if (response.status() !== 202) throw new Error(`the broadcast answered ${response.status()}`)
  if ((await response.request().postDataJSON())?.email !== true) throw new Error('the broadcast was not marked for email')
  const item = page.locator('[data-testid^="broadcast-"]', { hasText: title })
  await item.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 })
}

/**
 * @param {{ page: import('playwright-core').Page, base: string, email: string, run: string,
 *           step: Function, check: Function, shot: Function }} ctx
 */
export async function emailStep({ page, base, email, run, step, check, shot }) {
  await step('email: each published post was emailed once (mail catcher JSON API)', async () => {
    const health = await fetch(`${CATCHER}/_mail/health`).then((r) => r.json())
    check(health.service === 'synthora-mailcatcher', `the mail catcher answers at ${CATCHER}`)
    const published = await waitForMail(email, (s) => s.startsWith('Published to'), { count: 2 })
    const bySubject = {}
    for (const m of published) bySubject[m.subject] = (bySubject[m.subject] ?? 0) + 1
    check(published.length >= 1, `post-published emails arrived: ${JSON.stringify(bySubject)}`)
    check(Object.values(bySubject).every((n) => n === 1), 'one email per published target, none twice')
  })

  let title = null
  await step('email: off sends nothing, on sends the broadcast once', async () => {
    await setEmail(page, base, false)
    const quiet = `E2E email off ${run}`
    await broadcastByEmail(page, base, quiet)
    await new Promise((resolve) => setTimeout(resolve, 4000)) // the queue runs every task within ~1 s
    check((await inbox(email)).every((m) => m.subject !== quiet), 'with email off, the broadcast was not emailed')

    await setEmail(page, base, true)
    await shot(page, 'email-settings-on')
    title = `E2E email on ${run}`
    await broadcastByEmail(page, base, title)
    const arrived = await waitForMail(email, (s) => s === title)
    check(arrived.length === 1, `with email on, the broadcast arrived once (${arrived.length})`)
    await new Promise((resolve) => setTimeout(resolve, 2000))
    check((await inbox(email)).filter((m) => m.subject === title).length === 1, 'and only once')
  })

  await step('email: the inbox page shows it; its unsubscribe link turns announcements off', async () => {
    if (!title) throw new Error('no email to open (the previous step failed)')
    const [message] = (await inbox(email)).filter((m) => m.subject === title)
    const full = await fetch(`${CATCHER}/api/messages/${message.id}`).then((r) => r.json())
    check(Boolean(full.text) && Boolean(full.html), 'the email has a plain-text and an HTML part')
    const link = (full.headers['List-Unsubscribe'] ?? '').replace(/^<|>$/g, '')
    check(link.startsWith(base) && full.text.includes(link), 'List-Unsubscribe and the footer carry the same link')

    await page.goto(`${CATCHER}/`)
    await page.getByRole('link', { name: title }).click()
    await page.getByRole('heading', { name: title, level: 1 }).waitFor()
    check(await page.getByTitle('HTML part').isVisible(), 'the inbox page shows the HTML part')
    await shot(page, 'email-catcher-message')

    await page.goto(link)
    await page.getByRole('heading', { name: 'Unsubscribe from emails' }).waitFor()
    check((await page.locator('main').innerText()).includes('announcement'), 'the page names the category')
    await page.getByRole('button', { name: 'Unsubscribe' }).click()
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor()
    await shot(page, 'email-unsubscribed')
    check(true, 'the unsubscribe link confirms')

    const after = `E2E email unsubscribed ${run}`
    await broadcastByEmail(page, base, after)
    await new Promise((resolve) => setTimeout(resolve, 4000))
    check((await inbox(email)).every((m) => m.subject !== after), 'after unsubscribing, announcements are not emailed')
  })
}
