// e2e step (anaweb): analytics. Posts the e2e's video to the connected YouTube
// account through the platform emulators (or reuses a post already published
// earlier in the run), syncs that post from its analytics page, moves the
// emulator clock two days, syncs all accounts from the Analytics page and
// checks that the numbers and the chart moved. Screenshots at 1280 and 375 px.
//
// Robust by design: the API calls use the page's own ID token (read from a
// request the app made), every wait is on a visible state or an API answer
// with a deadline, and whatever the run lacks (no finished video, no
// connected account) is reported as the reason, not as a timeout.

const POST_TIMEOUT_MS = 180_000
const DAY_S = 86_400

/** The app's Authorization header, taken from an API request the page makes while `load` runs. */
export async function bearerFrom(page, load) {
  const seen = page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/api/') && Boolean(r.headers().authorization), {
    timeout: 30_000,
  })
  await load()
  return (await seen).headers().authorization
}

/** `api(method, path, body)` -> { status, body }: the API called with the page's Authorization header. */
export function apiWith(base, auth) {
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null }
  }
}

export async function sleep(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

/** Numbers from a data-value / data-total attribute. */
async function numberAttr(locator, name) {
  return Number(await locator.getAttribute(name))
}

export async function anawebAnalyticsStep({ step, check, note, shot, page, base, emulatorOrigin, videoId }) {
  await step('analytics: post through the emulators, sync, move the clock, sync again: the charts move', async () => {
    const api = apiWith(base, await bearerFrom(page, () => page.goto(`${base}/analytics`)))
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor()

    // A published post: one made earlier in the run, else post the e2e's video to YouTube now.
    const published = await api('GET', '/api/v1/posts?status=published&limit=20')
    let post = (published.body?.items ?? []).find((p) => p.targets.some((t) => t.status === 'published')) ?? null
    if (post) note(`analytics: reusing post ${post.id} published earlier in the run`)
    else {
      const accounts = await api('GET', '/api/v1/social-accounts')
      const connected = (accounts.body?.items ?? []).filter((a) => a.status === 'connected')
      const account = connected.find((a) => a.platform === 'youtube') ?? connected[0]
      if (!account) throw new Error('no connected social account to post to (the social accounts step did not connect one)')
      let video = videoId
      if (!video) {
        const videos = await api('GET', '/api/v1/videos?limit=20')
        video = (videos.body?.items ?? []).find((v) => v.status === 'completed')?.id ?? null
      }
      if (!video) throw new Error('no finished video to post (the video step did not finish one)')
      const created = await api('POST', '/api/v1/posts', {
        video_id: video,
        title: 'Octopus hearts (analytics e2e)',
        caption: 'Three hearts, blue blood.',
        privacy: 'public',
        targets: [{ social_account_id: account.id, privacy: 'public' }],
      })
      if (created.status !== 201 && created.status !== 200)
        throw new Error(`posting refused: HTTP ${created.status} ${JSON.stringify(created.body?.error ?? created.body)}`)
      post = created.body
      const deadline = Date.now() + POST_TIMEOUT_MS
      for (;;) {
        const current = await api('GET', `/api/v1/posts/${post.id}`)
        post = current.body
        const states = post.targets.map((t) => t.status)
        if (states.includes('published')) break
        if (states.every((s) => s === 'failed' || s === 'cancelled'))
          throw new Error(`the post failed: ${JSON.stringify(post.targets.map((t) => t.error))}`)
        if (Date.now() > deadline) throw new Error(`the post did not publish in time (targets: ${states.join(', ')})`)
        await sleep(2000)
      }
      check(true, `posted to ${account.platform} through the emulator (post ${post.id})`)
    }
    const platform = post.targets.find((t) => t.status === 'published').platform

    // Let an emulated hour pass so the video has views, then sync this one post from its page.
    const clock = async (advance_s) => {
      const moved = await fetch(`${emulatorOrigin}/_emulator/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advance_s }),
      })
      if (!moved.ok) throw new Error(`the emulator clock did not move (HTTP ${moved.status})`)
    }
    await clock(3600)
    await page.goto(`${base}/analytics/posts/${post.id}`)
    await page.getByRole('button', { name: 'Sync this post' }).click()
    const postViews = page.getByTestId(`analytics-post-${platform}-views`)
    await postViews.waitFor()
    // A post to several platforms (the scheduled one reused here) has a section per platform.
    await page.getByTestId(`analytics-post-${platform}`).getByText(/^\d+ stored fetch/).waitFor({ timeout: 30_000 })
    check(true, 'the post page shows its stored fetches')
    await shot(page, 'analytics-post')

    // The Analytics page now has numbers: read them.
    await page.goto(`${base}/analytics`)
    const views = page.getByTestId('analytics-total-views-value')
    await views.waitFor({ timeout: 30_000 })
    const series = page.getByTestId('analytics-series')
    await series.waitFor()
    const before = { views: await numberAttr(views, 'data-value'), series: await numberAttr(series, 'data-total') }
    check(Number.isFinite(before.views), `totals shown after the first sync (${before.views} views)`)
    await page.getByTestId('analytics-heatmap').waitFor()
    check(
      (await page.locator('[data-testid="analytics-heatmap"] button').count()) === 168,
      'the heatmap has 7 x 24 labelled cells',
    )

    // Two emulated days pass; "Sync now" (all accounts, in the background); the page polls and the numbers move.
    await clock(2 * DAY_S)
    const sync = page.getByTestId('analytics-sync')
    await sync.click()
    const deadline = Date.now() + 90_000
    let after = before
    while (Date.now() < deadline) {
      after = { views: await numberAttr(views, 'data-value'), series: await numberAttr(series, 'data-total') }
      if (after.views > before.views && after.series > before.series) break
      await sleep(1000)
    }
    check(after.views > before.views, `total views moved after two emulated days and a sync (${before.views} -> ${after.views})`)
    check(after.series > before.series, `the time-series chart moved (${before.series} -> ${after.series})`)
    check(await sync.isDisabled(), 'the sync button waits out its cooldown')
    const top = page.getByTestId('analytics-top').getByRole('link').first()
    check((await top.getAttribute('href')) === `/analytics/posts/${post.id}`, 'the top posts table links to the post')
    await shot(page, 'analytics-synced')

    // The post page shows the history: two stored fetches at least.
    await top.click()
    await page.getByTestId(`analytics-post-${platform}`).getByText(/^[2-9]\d* stored fetches/).waitFor({ timeout: 20_000 })
    check((await numberAttr(page.locator('figure[data-total]').first(), 'data-total')) > 0, 'the post history chart has points')

    // 375 px: the page is usable (no horizontal overflow of the page itself).
    await page.setViewportSize({ width: 375, height: 812 })
    await page.goto(`${base}/analytics`)
    await page.getByTestId('analytics-total-views-value').waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(overflow <= 1, `analytics at 375 px: no sideways scrolling of the page (${overflow} px)`)
    await shot(page, 'analytics-375')
    await page.setViewportSize({ width: 1280, height: 860 })
  })
}
