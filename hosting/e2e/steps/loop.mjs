// e2e step (loop): suggestions and the closed loop. The admin (whom the premium gate lets
// in, as every premium user) gets a measured posting history over past days, asks for
// suggestions ("Refresh suggestions": the background tasks), and then:
//   - the Suggestions page shows the planted effect as a suggestion with its evidence;
//   - the dashboard panel shows the newest unread suggestions and the unread count;
//   - "make this" on an idea opens Create pre-filled (template, topic, music mood);
//   - the Templates page shows the template's figure ("x your median views · N videos");
//   - the post dialog shows the expected views of the e2e's video, with the factors.
//
// The history: a post counts for the suggestions once it is 48 hours old on the app's
// clock, which is real time (moving the platform emulators' clock, as the analytics step
// does, ages nothing the app measures). So loop_seed.py backdates: it copies the e2e's
// finished video and published post into 16 posts one a day over the past 18 days and
// stores their views through the analytics service's write path, with a planted effect
// (energetic music: 2x the views of calm; hook style: none).

import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { apiWith, bearerFrom, sleep } from './anaweb.mjs'

const SEED = join(dirname(fileURLToPath(import.meta.url)), 'loop_seed.py')
const SUGGESTIONS_TIMEOUT_MS = 150_000

/** Run the seed helper against the gateway's data folder; its one JSON line. */
function seedHistory({ python, repo, dataDir, uid }) {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SEED, '--uid', uid], {
      cwd: repo,
      env: { ...process.env, SYNTHORA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`loop_seed.py exited ${code}: ${err.trim().split('\n').pop()}`)),
    )
  })
}

export async function loopStep({ step, check, note, shot, page, base, repo, python, dataDir, videoId }) {
  await step('suggestions: a history over past days, a suggestion with its evidence, "make this" pre-fills Create, the dashboard panel, the post prediction', async () => {
    const api = apiWith(base, await bearerFrom(page, () => page.goto(`${base}/suggestions`)))
    await page.getByRole('heading', { name: 'Suggestions', level: 1 }).waitFor()
    const me = await api('GET', '/api/v1/auth/me')
    const uid = me.body?.user?.uid
    if (!uid) throw new Error(`no uid from /auth/me (HTTP ${me.status})`)
    if (!me.body.limits?.can_use_ai_suggestions) throw new Error(`this user's plan has no suggestions (role ${me.body.user.role})`)

    const seeded = await seedHistory({ python, repo, dataDir, uid })
    check(seeded.posts.length === 16, `seeded 16 posts over past days on ${seeded.platform} (template ${seeded.template_name})`)

    // Ask for suggestions as a user would; the tasks run on the gateway's queue.
    await page.reload()
    await page.getByRole('button', { name: 'Refresh suggestions' }).click()
    await page.getByRole('status').getByText(/Looking at your latest results/).waitFor()
    let items = []
    const deadline = Date.now() + SUGGESTIONS_TIMEOUT_MS
    const planted = (s) => s.type === 'template' && /energetic music mood/i.test(s.title)
    const isIdea = (s) => s.type === 'content_idea' && s.prefill?.topic && s.prefill?.template_id
    for (;;) {
      items = (await api('GET', '/api/v1/suggestions?limit=50')).body?.items ?? []
      if (items.some(planted) && items.some(isIdea)) break
      if (Date.now() > deadline)
        throw new Error(`no template suggestion naming energetic music and no idea in time (have: ${items.map((s) => `${s.type}: ${s.title}`).join('; ') || 'none'})`)
      await sleep(2000)
    }
    const best = items.find(planted)
    const idea = items.find(isIdea)
    check(true, `suggestions generated: ${items.length} (${[...new Set(items.map((s) => s.type))].join(', ')})`)
    check(!items.some((s) => s.type === 'template' && /hook/i.test(s.title)), 'no hook style suggested (none was planted)')

    await page.reload()
    const card = page.getByRole('article', { name: best.title })
    await card.waitFor()
    check(
      await card.getByText(/^energetic music mood: \d+\.\dx your median views, 8 videos$/).isVisible(),
      'the suggestion cites its evidence (energetic music mood: Nx your median views, 8 videos)',
    )
    check(await card.getByText(/^From 16 measured posts of 16 videos/).isVisible(), 'and what it rests on (16 measured posts)')
    await shot(page, 'suggestions-generated')

    // The dashboard panel: the newest unread suggestions and the count.
    await page.goto(`${base}/`)
    const panel = page.getByTestId('suggestions-panel')
    await panel.getByTestId('suggestions-panel-item').first().waitFor()
    const unread = (await api('GET', '/api/v1/suggestions?limit=3&read=false')).body
    const shownTitles = await panel.getByTestId('suggestions-panel-item').locator('p.font-medium').allInnerTexts()
    check(
      JSON.stringify(shownTitles) === JSON.stringify(unread.items.map((s) => s.title)),
      `the dashboard panel shows the ${shownTitles.length} newest unread suggestions`,
    )
    check(
      Number(await panel.getByTestId('suggestions-panel-unread').getAttribute('data-count')) === unread.unread_count,
      `the panel shows the unread count (${unread.unread_count})`,
    )
    await shot(page, 'dashboard-suggestions')

    // "Make this" on an idea: Create opens at the topic step with the template, topic and mood.
    await page.goto(`${base}/suggestions`)
    await page.getByRole('tab', { name: 'Ideas' }).click()
    const ideaCard = page.getByRole('article', { name: idea.title })
    await ideaCard.getByRole('button', { name: 'Make this' }).click()
    await page.waitForURL(/\/create\?/)
    const topic = page.getByLabel('Topic')
    await topic.waitFor()
    check((await topic.inputValue()) === idea.prefill.topic, `Create's topic is pre-filled ("${idea.prefill.topic}")`)
    const template = (await api('GET', `/api/v1/templates/${idea.prefill.template_id}`)).body
    check(await page.getByText(`Template: ${template.name}`).isVisible(), `Create's template is pre-filled (${template.name})`)
    const mood = idea.prefill.choices?.music_mood
    check(mood === 'energetic', `the idea carries the best music mood (${mood})`)
    check((await page.getByLabel('Music mood').inputValue()) === mood, `Create's music mood is pre-filled (${mood})`)
    await shot(page, 'create-from-suggestion')

    // Templates: the template's own figure.
    await page.goto(`${base}/templates`)
    const perf = page.locator(`[data-testid="template-card"][data-template-id="${seeded.template_id}"]`).getByTestId('template-performance')
    await perf.waitFor()
    const perfText = await perf.innerText()
    check(/\d+\.\dx your median views · 16 videos/.test(perfText), `the template card shows its performance ("${perfText.trim()}")`)

    // The post dialog: the e2e's video on the seeded account shows a range and its factors.
    let video = videoId
    if (!video) {
      const list = (await api('GET', '/api/v1/videos?status=completed&limit=50')).body?.items ?? []
      video = list.find((v) => !v.id.startsWith('loop-seed-'))?.id ?? null
    }
    if (!video) throw new Error('no finished video to open the post dialog for')
    await page.goto(`${base}/videos/${video}`)
    await page.getByTestId('post-video').click()
    const dialog = page.getByTestId('post-dialog')
    await dialog.locator(`[id="acc-${seeded.account_id}"]`).check()
    const range = dialog.getByTestId(`post-prediction-${seeded.platform}-range`)
    await range.waitFor({ timeout: 30_000 })
    const low = Number(await range.getAttribute('data-low'))
    const high = Number(await range.getAttribute('data-high'))
    check(low > 0 && high > low, `the post dialog predicts ${low} to ${high} views on ${seeded.platform}`)
    const factors = await dialog.getByRole('list', { name: 'What drives it' }).getByRole('listitem').allInnerTexts()
    if (factors.length) check(true, `with its factors: ${factors.join('; ')}`)
    else note('the prediction has no factor: none of the video settings has 3 measured posts')
    await shot(page, 'post-dialog-prediction')
    await page.keyboard.press('Escape')

    // 375 px: the dashboard with its panel does not scroll sideways.
    await page.setViewportSize({ width: 375, height: 812 })
    await page.goto(`${base}/`)
    await page.getByTestId('suggestions-panel-item').first().waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    check(overflow <= 1, `dashboard with suggestions at 375 px: no sideways scrolling (${overflow} px)`)
    await shot(page, 'dashboard-suggestions-375')
    await page.setViewportSize({ width: 1280, height: 860 })
  })
}
