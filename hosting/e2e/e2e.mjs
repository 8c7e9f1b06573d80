#!/usr/bin/env node
// End-to-end test of the real local platform in headless Debian chromium.
//
//   npm run build && npm run e2e
//
// Starts `python -m synthora.local.gateway` itself (repo root, a temp
// SYNTHORA_DATA_DIR, a free PORT; the gateway starts or reuses the Firebase
// Auth emulator on 127.0.0.1:9099) and waits for /api/v1/health. It builds
// nothing: dist/ must exist. Then, in the browser:
//
//   1. local sign-in through the emulator (first user: admin);
//   2. creates a video from a system template with no API keys, watches the
//      progress bar advance, and plays the finished video (readyState >= 2,
//      currentTime advancing);
//   3. templates: detail, duplicate, and the API's 422 on an edited field;
//   4. adds an OpenAI integration with a bad key (`sk-bad`: the API's 422 shows
//      under the key field), then a well-formed fake key, and checks the card shows
//      the validation message the API stored (offline the check ends "unreachable");
//   5. screenshots of every page, at 1280 px and (main pages) 375 px;
//   6. the header bell: unread count, the list, mark one read;
//   7. social accounts: connects YouTube, TikTok, Instagram and a Facebook Page
//      through the platform emulators' consent pages (Allow), disconnects one,
//      and sees a denied consent reported;
//   8. signs in through the Google popup path: Google's gapi script is served
//      by this test (a stand-in, see GAPI_STANDIN) and the emulator's fake
//      Google page is driven ("Add new account").
//
// Every request that leaves 127.0.0.1/localhost is aborted and fails the run,
// except the routed Google script. The emulator's own fake Google page loads
// CSS and fonts from unpkg.com / fonts.googleapis.com: those are aborted too
// and reported separately (they are the emulator's, not the app's).
// Screenshots and the gateway log go to e2e/artifacts/ (git-ignored).
//
// Env: CHROMIUM_PATH (default /usr/bin/chromium), SYNTHORA_PYTHON (default
// <repo>/.venv/bin/python), E2E_VIDEO_TIMEOUT_S (default 300), E2E_KEEP_DATA=1.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { postingStep } from './steps/postweb.mjs'
import { anawebAnalyticsStep } from './steps/anaweb.mjs'
import { providerFallbackStep } from './steps/llm.mjs'
import { storyboardStep } from './steps/story.mjs'
import { a11yStep } from './steps/a11y.mjs'
import { emailStep } from './steps/email.mjs'
import { loopStep } from './steps/loop.mjs'
import { personalTokenStep } from './steps/tokens.mjs'

const hosting = join(dirname(fileURLToPath(import.meta.url)), '..')
const repo = join(hosting, '..')
const artifacts = join(hosting, 'e2e', 'artifacts')
mkdirSync(artifacts, { recursive: true })

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PYTHON = process.env.SYNTHORA_PYTHON ?? join(repo, '.venv', 'bin', 'python')
const VIDEO_TIMEOUT_MS = Number(process.env.E2E_VIDEO_TIMEOUT_S ?? 300) * 1000
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
]
const EMULATOR_ORIGIN = 'http://127.0.0.1:9099'
const RUN = Date.now().toString(36)
const ADMIN = { email: `e2e-admin-${RUN}@example.com`, name: 'Ada E2E' }
const GOOGLE_USER = { email: `e2e-google-${RUN}@example.com`, name: 'Grace Popup' }
const PAYING_USER = { email: `e2e-paying-${RUN}@example.com`, name: 'Bea Billing' }
const DAY_S = 86_400

// --------------------------------------------------------------------------- harness

const failures = []
const notes = []
function check(condition, message) {
  if (!condition) failures.push(message)
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`)
  return condition
}
function note(message) {
  notes.push(message)
  console.log(`note ${message}`)
}

/** Run one part; a failure is recorded and the next part still runs. */
async function step(name, fn) {
  console.log(`\n== ${name}`)
  const started = Date.now()
  try {
    await fn()
    console.log(`   (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    return true
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : error}`)
    console.log(`FAIL ${name}: ${error instanceof Error ? error.stack : error}`)
    return false
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitForHttp(url, timeoutMs, isAlive) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the gateway exited during start-up (see e2e/artifacts/gateway.log)')
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`timed out waiting for ${url}`)
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const blocked = [] // the app's (fails the run)
const blockedEmulatorPage = [] // the emulator's fake Google page (reported)

/**
 * A stand-in for Google's gapi loader with just what the Firebase Auth SDK and
 * the Auth emulator's helper iframe use: gapi.load('gapi.iframes'), the
 * context's open() (an iframe with register/send/ping/restyle over
 * postMessage), and getParentIframe() inside the iframe.
 */
const GAPI_STANDIN = `(() => {
  if (window.gapi && window.gapi.iframes) return;
  const TAG = '__e2eGapi';
  let seq = 0;
  function channel(target, isSource) {
    const handlers = {}, pending = {}, queued = [];
    window.addEventListener('message', (e) => {
      const m = e.data;
      if (!m || m[TAG] !== true || !isSource(e.source)) return;
      if (m.reply !== undefined) { const cb = pending[m.reply]; delete pending[m.reply]; if (cb) { try { cb(m.result); } catch (_) { /* as gapi: a callback's throw stays in it */ } } return; }
      const deliver = () => {
        const h = handlers[m.type];
        if (!h) return false;
        Promise.resolve().then(() => h(m.payload)).then((r) => target().postMessage({ [TAG]: true, reply: m.id, result: [r] }, '*'), () => {});
        return true;
      };
      if (!deliver()) queued.push(deliver);
    });
    return {
      register(type, handler) { handlers[type] = handler; for (let i = queued.length - 1; i >= 0; i--) if (queued[i]()) queued.splice(i, 1); },
      send(type, payload, cb) { const id = ++seq; if (cb) pending[id] = cb; target().postMessage({ [TAG]: true, id, type, payload }, '*'); },
      ping(cb) { return new Promise((resolve) => { this.send('__ping', {}, (r) => { if (cb) cb(r); resolve(r); }); }); },
      restyle() { return Promise.resolve(); },
    };
  }
  // Inside an iframe, answer the parent's ping.
  if (window.parent !== window) {
    const parent = channel(() => window.parent, (s) => s === window.parent);
    parent.register('__ping', () => ({ status: 'ACK' }));
    window.__e2eParent = parent;
  }
  const iframes = {
    CROSS_ORIGIN_IFRAMES_FILTER: () => true,
    Iframe: function () {},
    getContext() {
      return {
        getParentIframe() { return window.__e2eParent; },
        open(options, onOpen) {
          const el = document.createElement('iframe');
          el.src = options.url;
          el.style.cssText = 'position:absolute;width:1px;height:1px;left:-9999px;top:-9999px;border:0';
          const handle = channel(() => el.contentWindow, (s) => s === el.contentWindow);
          const opened = new Promise((resolve) => { el.addEventListener('load', () => resolve(onOpen ? onOpen(handle) : handle), { once: true }); });
          (options.where || document.body).appendChild(el);
          return opened;
        },
      };
    },
  };
  window.gapi = { iframes, load(name, options) { const cb = typeof options === 'function' ? options : options && options.callback; setTimeout(() => cb && cb(), 0); } };
  const src = document.currentScript && document.currentScript.src;
  const onload = src ? new URL(src).searchParams.get('onload') : null;
  setTimeout(() => { if (onload && typeof window[onload] === 'function') window[onload](); if (typeof window.gapi_onload === 'function') window.gapi_onload(); }, 0);
})();`

async function isolate(context) {
  await context.route('**/*', (route) => {
    const request = route.request()
    const url = new URL(request.url())
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue()
    let frameUrl = ''
    try {
      frameUrl = request.frame().url()
    } catch {
      frameUrl = ''
    }
    if (frameUrl.startsWith(EMULATOR_ORIGIN)) blockedEmulatorPage.push(url.href)
    else blocked.push(`${url.href} (from ${frameUrl || 'unknown frame'})`)
    return route.abort('blockedbyclient')
  })
  // Registered last, so it wins over the catch-all above.
  await context.route('https://apis.google.com/js/api.js*', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: GAPI_STANDIN }),
  )
}

async function settle(page, ms = 450) {
  await page.mouse.move(0, 0).catch(() => {})
  await page.waitForTimeout(ms)
}

const shots = []
async function shot(page, name) {
  await settle(page)
  const path = join(artifacts, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  shots.push(name)
}

/** Console errors and failed API calls, for the report. */
function watch(page, label) {
  page.on('pageerror', (error) => note(`${label}: page error: ${error.message}`))
  page.on('response', (response) => {
    const url = new URL(response.url())
    if (url.pathname.startsWith('/api/') && response.status() >= 500) note(`${label}: ${response.status()} from ${url.pathname}`)
  })
}

// --------------------------------------------------------------------------- platform

if (!existsSync(join(hosting, 'dist', 'index.html'))) {
  console.error('dist/ is missing: run `npm run build` first (this test builds nothing).')
  process.exit(2)
}
if (!existsSync(PYTHON)) {
  console.error(`no Python at ${PYTHON}: set SYNTHORA_PYTHON or create the repo's .venv`)
  process.exit(2)
}

const port = await freePort()
// The platform emulators (YouTube, TikTok, Meta, Stripe) on a port of this run's own:
// the billing step moves their clock, which must not touch anyone else's emulators.
const emulatorPort = await freePort()
const emulatorOrigin = `http://127.0.0.1:${emulatorPort}`
const dataDir = mkdtempSync(join(tmpdir(), 'synthora-e2e-'))
const base = `http://127.0.0.1:${port}`
const gatewayLog = createWriteStream(join(artifacts, 'gateway.log'))
console.log(`gateway: ${base} (data ${dataDir}; platform emulators ${emulatorOrigin})`)
// Real platform credentials or another emulator URL would keep the gateway from starting its own.
for (const name of ['SYNTHORA_PLATFORM_EMULATOR_URL', 'SYNTHORA_STRIPE_SECRET_KEY', 'SYNTHORA_GOOGLE_CLIENT_ID', 'SYNTHORA_TIKTOK_CLIENT_KEY', 'SYNTHORA_META_APP_ID'])
  delete process.env[name]
const gateway = spawn(PYTHON, ['-m', 'synthora.local.gateway', '--port', String(port)], {
  cwd: repo,
  env: {
    ...process.env,
    SYNTHORA_DATA_DIR: dataDir,
    PORT: String(port),
    SYNTHORA_EMULATOR_PORT: String(emulatorPort),
  },
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
})
gateway.stdout.pipe(gatewayLog)
gateway.stderr.pipe(gatewayLog)
let gatewayAlive = true
gateway.on('exit', () => {
  gatewayAlive = false
})

let browser
async function shutdown() {
  await browser?.close().catch(() => {})
  if (gatewayAlive) {
    // SIGTERM to the gateway itself: it stops its workers and the Auth emulator it started.
    try {
      process.kill(gateway.pid, 'SIGTERM')
    } catch {
      // already gone
    }
    const deadline = Date.now() + 20_000
    while (gatewayAlive && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (gatewayAlive) {
      try {
        process.kill(-gateway.pid, 'SIGKILL')
      } catch {
        // gone
      }
    }
  }
  if (!process.env.E2E_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true })
}
process.on('SIGINT', () => void shutdown().then(() => process.exit(130)))

let exitCode = 1
try {
  await waitForHttp(`${base}/api/v1/health`, 120_000, () => gatewayAlive)
  console.log('gateway healthy')
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  await run()
  exitCode = failures.length === 0 && blocked.length === 0 ? 0 : 1
} catch (error) {
  failures.push(`setup: ${error instanceof Error ? error.message : error}`)
  console.error(error)
} finally {
  await shutdown()
  console.log('\n== summary')
  console.log(`screenshots (${shots.length}) in e2e/artifacts/: ${shots.join(', ')}`)
  if (blockedEmulatorPage.length)
    console.log(`the emulator's fake Google page tried (aborted, not the app's): ${[...new Set(blockedEmulatorPage)].join(', ')}`)
  check(blocked.length === 0, `no request left 127.0.0.1${blocked.length ? `: ${[...new Set(blocked)].join(', ')}` : ''}`)
  for (const n of notes) console.log(`note: ${n}`)
  if (failures.length) console.log(`\n${failures.length} failure(s):\n - ${failures.join('\n - ')}`)
  else console.log('\nall checks passed')
  process.exit(failures.length || blocked.length ? 1 : exitCode)
}

/**
 * WCAG contrast of an element's text over what is behind it: its own and its
 * ancestors' backgrounds composited (colours resolved to sRGB by a canvas, so
 * oklch and color-mix work).
 */
async function contrastOf(locator) {
  return locator.evaluate((el) => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 1
    const ctx = canvas.getContext('2d', { willReadFrequently: true })
    const rgba = (color) => {
      ctx.clearRect(0, 0, 1, 1)
      ctx.fillStyle = color
      ctx.fillRect(0, 0, 1, 1)
      return [...ctx.getImageData(0, 0, 1, 1).data]
    }
    const layers = []
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor)
      if (c[3] > 0) layers.push(c)
      if (c[3] === 255) break
    }
    let bg = [255, 255, 255]
    for (const c of layers.reverse()) bg = bg.map((v, i) => (c[3] / 255) * c[i] + (1 - c[3] / 255) * v)
    const fg = rgba(getComputedStyle(el).color)
    const lin = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    const lum = (c) => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a)
    return (hi + 0.05) / (lo + 0.05)
  })
}

// --------------------------------------------------------------------------- the test

async function run() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' })
  await isolate(context)
  const page = await context.newPage()
  watch(page, 'admin')
  page.setDefaultTimeout(20_000)

  const signedIn = await step('local sign-in through the Auth emulator', async () => {
    await page.goto(`${base}/sign-in`)
    await page.getByRole('button', { name: 'Sign in locally' }).waitFor()
    await shot(page, 'sign-in-or-setup')
    await page.getByLabel('Email').fill(ADMIN.email)
    await page.getByLabel('Display name').fill(ADMIN.name)
    await page.getByRole('button', { name: 'Sign in locally' }).click()
    // A first sign-in is a welcome, not a "welcome back".
    const welcome = page.getByRole('heading', { name: 'Welcome, Ada' })
    const alert = page.getByRole('alert')
    await Promise.race([welcome.waitFor({ timeout: 30_000 }), alert.waitFor({ timeout: 30_000 })])
    if (!(await welcome.isVisible())) throw new Error(`sign-in refused: ${(await alert.innerText()).trim()}`)
    check(true, 'signed in locally; dashboard shown')
    check(await page.getByRole('link', { name: 'Admin' }).isVisible(), 'the first user is the admin')
  })
  if (!signedIn) {
    note('stopped after sign-in failed: the pages need a signed-in user')
    return
  }

  await step('dashboard', async () => {
    await page.getByTestId('readiness-card').getByText('Script').first().waitFor()
    await shot(page, 'dashboard')
  })

  let videoId = null
  await step('create a video from a system template with no API keys', async () => {
    await page.goto(`${base}/create`)
    await page.getByTestId('template-option').first().waitFor()
    await shot(page, 'create-1-template')
    // The shortest system template keeps the render quick; any template works.
    const short = page.locator('[data-testid="template-option"][data-template-id="sys-trending-challenge"]')
    await ((await short.count()) > 0 ? short : page.getByTestId('template-option').first()).click()
    await page.getByTestId('wizard-next').click()
    await page.getByLabel('Topic').fill('Why octopuses have three hearts')
    await page.getByLabel('Instructions (optional)').fill('Keep it light; end with a fun fact.')
    await shot(page, 'create-2-topic')
    await page.getByTestId('wizard-next').click()
    await page.getByTestId('generate-video').waitFor()
    await page.getByTestId('readiness-card').locator('li').first().waitFor()
    await shot(page, 'create-3-confirm')
    await page.getByTestId('generate-video').click()
    const outcome = await Promise.race([
      page.waitForURL(/\/videos\/[^/]+$/, { timeout: 30_000 }).then(() => 'created'),
      page.getByRole('alert').first().waitFor({ timeout: 30_000 }).then(() => 'error'),
    ])
    if (outcome === 'error') {
      await shot(page, 'create-error')
      throw new Error(`create refused: ${(await page.getByRole('alert').first().innerText()).trim()}`)
    }
    videoId = new URL(page.url()).pathname.split('/').pop()
    check(Boolean(videoId), `video created (${videoId})`)
  })

  if (videoId) {
    const finished = await step('the progress bar advances while the video generates', async () => {
      const seen = []
      const deadline = Date.now() + VIDEO_TIMEOUT_MS
      let shotTaken = false
      while (Date.now() < deadline) {
        if (await page.getByTestId('video-player').isVisible()) break
        if (await page.getByTestId('video-error').isVisible()) {
          await page.getByText('Full error details').click()
          await shot(page, 'video-detail-failed')
          const steps = await page.getByTestId('video-steps').innerText()
          throw new Error(
            `generation failed: ${(await page.getByTestId('video-error').innerText()).replace(/\s+/g, ' ').slice(0, 600)} | steps: ${steps.replace(/\s+/g, ' ')}`,
          )
        }
        // The offline script waits for its storyboard review (steps/story.mjs edits one): continue as written.
        if (await page.getByTestId('storyboard-continue').isVisible()) await page.getByTestId('storyboard-continue').click()
        const value = await page
          .getByTestId('video-progress-value')
          .innerText({ timeout: 1000 })
          .catch(() => null)
        if (value !== null) {
          const n = Number.parseInt(value, 10)
          if (seen[seen.length - 1] !== n) seen.push(n)
          if (!shotTaken && n > 0) {
            await shot(page, 'video-detail-generating')
            shotTaken = true
          }
        }
        await page.waitForTimeout(500)
      }
      console.log(`   progress seen: ${seen.join(' → ')}`)
      const finished = await page.getByTestId('video-player').isVisible()
      if (!finished) {
        const steps = await page.getByTestId('video-steps').innerText().catch(() => '')
        await shot(page, 'video-detail-timeout')
        throw new Error(`not finished after ${VIDEO_TIMEOUT_MS / 1000} s; progress ${seen.join(' → ')}; steps: ${steps.replace(/\s+/g, ' ')}`)
      }
      check(seen.length >= 2 && seen.every((v, i) => i === 0 || v > seen[i - 1]), `progress advanced (${seen.join(' → ')})`)
    })

    if (!finished) note('skipped "the finished video plays": the video did not finish (see above)')
    else await step('the finished video plays', async () => {
      const player = page.getByTestId('video-player')
      await player.waitFor({ timeout: 5_000 })
      await shot(page, 'video-detail-completed')
      const result = await player.evaluate(async (video) => {
        video.muted = true
        const start = Date.now()
        try {
          await video.play()
        } catch (error) {
          return { error: String(error), readyState: video.readyState, currentTime: video.currentTime }
        }
        while (Date.now() - start < 15_000 && !(video.readyState >= 2 && video.currentTime > 0.5))
          await new Promise((r) => setTimeout(r, 100))
        return {
          readyState: video.readyState,
          currentTime: video.currentTime,
          duration: video.duration,
          width: video.videoWidth,
          height: video.videoHeight,
          error: video.error ? `media error ${video.error.code}: ${video.error.message}` : null,
        }
      })
      console.log(`   player: ${JSON.stringify(result)}`)
      check(result.readyState >= 2, `video readyState >= 2 (${result.readyState})`)
      check(result.currentTime > 0.5, `currentTime advances (${result.currentTime})`)
      check(!result.error, `no media error${result.error ? `: ${result.error}` : ''}`)
      check(await page.getByTestId('video-download').isVisible(), 'download link shown')
    })
  }

  await storyboardStep({ page, base, step, check, shot, timeoutMs: VIDEO_TIMEOUT_MS })

  await step('videos grid', async () => {
    await page.goto(`${base}/videos`)
    await page.getByRole('heading', { name: 'Videos', level: 1 }).waitFor()
    await page
      .getByTestId('video-card')
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => {})
    await shot(page, 'videos')
  })

  await step('templates: tabs, detail, form', async () => {
    await page.goto(`${base}/templates`)
    await page.getByTestId('template-card').first().waitFor()
    await shot(page, 'templates')
    await page.getByRole('button', { name: /^Details of / }).first().click()
    await page.getByTestId('template-detail').waitFor()
    await shot(page, 'templates-detail')
    await page.keyboard.press('Escape')
    // A duplicate lands in My templates; its edit form shows the API's 422 on the field.
    await page.getByRole('button', { name: /^Duplicate / }).first().click()
    await page.getByRole('tab', { name: 'My templates', selected: true }).waitFor()
    await page.getByTestId('template-card').first().waitFor()
    await page.getByRole('button', { name: /^Edit / }).first().click()
    await page.getByTestId('template-form').waitFor()
    await page.getByLabel('Voice speed').fill('7')
    await page.getByTestId('template-save').click()
    const fieldError = page.locator('[data-config-field="audio.voice_speed"] [data-field-error]')
    await fieldError.waitFor({ timeout: 10_000 })
    check(Boolean((await fieldError.innerText()).trim()), `422 shown on Voice speed: "${(await fieldError.innerText()).trim()}"`)
    await fieldError.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifacts, 'templates-form-422.png') })
    shots.push('templates-form-422')
    await page.keyboard.press('Escape')
  })

  await step('integrations: add OpenAI with a bad key, see the stored validation', async () => {
    let stored = null
    const onResponse = async (response) => {
      const url = new URL(response.url())
      if (url.pathname === '/api/v1/integrations' && response.request().method() === 'GET' && response.ok()) {
        const body = await response.json().catch(() => null)
        const item = body?.items?.find((i) => i.provider === 'openai')
        if (item) stored = item.validation
      }
    }
    page.on('response', onResponse)
    await page.goto(`${base}/integrations`)
    await page.getByTestId('readiness-card').locator('li').first().waitFor()
    await shot(page, 'integrations')
    await page.getByTestId('add-integration').click()
    const dialogText = await page.getByRole('dialog').innerText()
    check(!dialogText.includes('only ever shown masked') && dialogText.includes('only you can reveal yours'), 'the key dialog says keys can be revealed')
    await page.locator('[role="dialog"] [data-provider="openai"]').click()
    // 1. `sk-bad`: the API refuses its format (422); the message lands under the key field.
    await page.getByLabel('API key').fill('sk-bad')
    await page.getByTestId('integration-submit').click()
    const keyMessage = page.locator('#integration-key-msg.text-destructive')
    await keyMessage.waitFor({ timeout: 10_000 })
    await keyMessage.scrollIntoViewIfNeeded()
    check(Boolean((await keyMessage.innerText()).trim()), `the bad key's validation error is shown: "${(await keyMessage.innerText()).trim()}"`)
    check(await page.locator('#integration-key-hint').isVisible(), 'the key-format hint stays beside the error')
    await page.screenshot({ path: join(artifacts, 'integrations-add-bad-key.png') })
    shots.push('integrations-add-bad-key')
    // 2. A well-formed key that is not real: stored, then checked by the queued validator
    //    (offline the provider is unreachable); the card shows the stored result.
    const fakeKey = 'sk-e2eNotARealKey0123456789abcdefghijklmnopqrstuv'
    await page.getByLabel('API key').fill(fakeKey)
    await page.getByTestId('integration-submit').click()
    const card = page.locator('[data-testid="integration-card"][data-provider="openai"]')
    await card.waitFor()
    await card.locator('[data-testid="integration-validation"]:not([data-status="pending"])').waitFor({ timeout: 60_000 })
    await page.waitForTimeout(300)
    const status = await card.getByTestId('integration-validation').getAttribute('data-status')
    const shown = (await card.getByTestId('integration-validation-message').innerText()).trim()
    console.log(`   validation: ${status}: ${shown}`)
    check(Boolean(stored), 'the API returned the stored validation')
    check(stored !== null && shown === stored.message.trim(), `the card shows the stored message (${status}: "${shown}")`)
    check(status !== 'valid', `a key that is not real is not reported valid (${status})`)
    check(!(await card.getByTestId('integration-key').innerText()).includes(fakeKey), 'the key is shown masked')
    await shot(page, 'integrations-bad-key')
    page.off('response', onResponse)
  })

  await step('light mode: status badge text is at least 4.5:1', async () => {
    await page.evaluate(() => window.localStorage.setItem('synthora.theme', 'light'))
    const measured = []
    await page.goto(`${base}/integrations`)
    const validation = page.locator('[data-testid="integration-card"][data-provider="openai"] [data-testid="integration-validation-badge"]')
    await validation.waitFor()
    measured.push([`integration "${(await validation.innerText()).trim()}"`, await contrastOf(validation)])
    if (videoId) {
      await page.goto(`${base}/videos`)
      const ready = page.locator('[data-testid="video-card"] [data-status="completed"]').first()
      await ready.waitFor()
      measured.push([`video "${(await ready.innerText()).trim()}"`, await contrastOf(ready)])
    }
    for (const [what, ratio] of measured) check(ratio >= 4.5, `light mode: ${what} badge contrast ${ratio.toFixed(2)}:1`)
    await shot(page, 'light-integrations')
    await page.evaluate(() => window.localStorage.setItem('synthora.theme', 'dark'))
  })

  await step('social accounts: connect all four platforms through the emulated consent pages, then disconnect one', async () => {
    await page.goto(`${base}/social-accounts`)
    const connectCard = (platform) => page.locator(`[data-testid="social-connect-card"][data-platform="${platform}"]`)
    await connectCard('youtube').waitFor()
    check((await connectCard('youtube').innerText()).includes('Emulated (local)'), 'the platforms are labelled Emulated (local)')
    await shot(page, 'social-accounts-empty')
    const consent = async (platform) => {
      await connectCard(platform).getByRole('button').click()
      // The emulator's consent page (another loopback origin): pick the first account, Allow.
      await page.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 20_000 })
      check((await page.content()).includes('Emulated (local)'), `${platform}: the consent page says it is emulated`)
      await page.getByRole('button', { name: 'Allow' }).click()
      await page.waitForURL((url) => url.pathname === '/social-accounts' && url.origin === base, { timeout: 30_000 })
      return new URL(page.url())
    }
    for (const platform of ['youtube', 'tiktok', 'instagram']) {
      const landed = await consent(platform)
      check(landed.searchParams.has('connected'), `${platform}: back on the page, connected (${landed.search})`)
      await page.locator(`[data-testid="social-account-card"][data-platform="${platform}"]`).waitFor()
    }
    // Facebook: the emulated login manages two Pages; choose the first.
    const landed = await consent('facebook')
    check(landed.searchParams.has('select'), 'facebook: several Pages, so the page asks which to connect')
    const dialog = page.getByTestId('social-selection')
    await dialog.getByRole('checkbox').first().waitFor()
    const boxes = dialog.getByRole('checkbox')
    if (await boxes.nth(1).isChecked()) await boxes.nth(1).click()
    await dialog.getByRole('button', { name: /^Connect 1 account/ }).click()
    await page.locator('[data-testid="social-account-card"][data-platform="facebook"]').waitFor()
    const cards = page.getByTestId('social-account-card')
    check((await cards.count()) === 4, `four accounts connected (${await cards.count()})`)
    await shot(page, 'social-accounts-connected')
    // Disconnect TikTok, with confirmation.
    const tiktok = page.locator('[data-testid="social-account-card"][data-platform="tiktok"]')
    await tiktok.getByRole('button', { name: /^Disconnect / }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click()
    await tiktok.waitFor({ state: 'detached' })
    check((await cards.count()) === 3, 'TikTok disconnected; three accounts remain')
    // Deny: the page shows the error the callback sent back.
    await connectCard('tiktok').getByRole('button').click()
    await page.getByRole('button', { name: 'Deny' }).click()
    await page.waitForURL((url) => url.pathname === '/social-accounts' && url.searchParams.get('error') === 'access_denied')
    await page.getByTestId('social-callback-outcome').getByText(/declined TikTok/).waitFor()
    check(true, 'a denied consent is shown on the page')
    await shot(page, 'social-accounts-denied')
  })

  await postingStep({ page, base, emulatorOrigin, videoId, run: RUN, step, check, note, shot })
  await emailStep({ page, base, email: ADMIN.email, run: RUN, step, check, shot })

  await step('screenshots of every other page', async () => {
    const pages = [
      ['settings', '/settings', 'Settings'],
      ['posts', '/posts', 'Posts'],
      ['calendar', '/calendar', 'Calendar'],
      ['analytics', '/analytics', 'Analytics'],
      ['suggestions', '/suggestions', 'Suggestions'],
      ['social-accounts', '/social-accounts', 'Social accounts'],
      ['admin', '/admin', 'Admin'],
      ['admin-users', '/admin/users', 'Users'],
      ['admin-settings', '/admin/settings', 'System settings'],
      ['not-found', '/no-such-page', 'Page not found'],
    ]
    for (const [name, path, heading] of pages) {
      await page.goto(`${base}${path}`)
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
      await shot(page, name)
    }
  })

  await anawebAnalyticsStep({ step, check, note, shot, page, base, emulatorOrigin, videoId })

  await step('notification bell: unread count, list, mark read', async () => {
    await page.goto(`${base}/`)
    const bell = page.getByTestId('notification-bell')
    // The welcome notification (and "video ready" when the video finished) are unread.
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).waitFor({ timeout: 35_000 })
    const before = Number((await bell.getAttribute('aria-label')).match(/(\d+) unread/)[1])
    check(before >= 1, `the bell shows ${before} unread`)
    await bell.click()
    const first = page.locator('[data-notification-id]').first()
    await first.waitFor()
    await shot(page, 'notifications-dropdown')
    if (videoId) check(await page.getByText('Your video is ready').first().isVisible().catch(() => false), 'the "video ready" notification is listed')
    const id = await first.getAttribute('data-notification-id')
    await first.getByRole('button', { name: /^Mark “.*” as read$/ }).click()
    // The item turns read (its mark-read button goes) and the count drops.
    await page
      .locator(`[data-notification-id="${id}"]`)
      .getByRole('button', { name: /^Mark “.*” as read$/ })
      .waitFor({ state: 'detached', timeout: 10_000 })
    await page.keyboard.press('Escape')
    const expected = before - 1 > 0 ? `Notifications, ${before - 1} unread` : 'Notifications'
    await page.waitForFunction(
      (label) => document.querySelector('[data-testid="notification-bell"]')?.getAttribute('aria-label') === label,
      expected,
      { timeout: 10_000 },
    )
    check(true, `marking one read leaves ${before - 1} unread`)
  })

  await step('admin broadcast: sent, fanned out through the queue, received', async () => {
    await page.goto(`${base}/admin`)
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor()
    const title = `E2E notice ${Date.now()}`
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Message').fill('Maintenance window tonight at 22:00 UTC.')
    const sent = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/notifications/admin/broadcast') && r.request().method() === 'POST',
    )
    await page.getByRole('button', { name: 'Send broadcast' }).click()
    check((await sent).status() === 202, 'the broadcast is accepted (202)')
    // The list polls while the fan-out task runs; it ends "Done" with the one user reached.
    const item = page.locator('[data-testid^="broadcast-"]', { hasText: title })
    await item.getByText('Done', { exact: true }).waitFor({ timeout: 30_000 })
    check(/Delivered:\s*1\b/.test(await item.innerText()), 'the broadcast reached the one user')
    await shot(page, 'admin-broadcast')
    await page.getByTestId('notification-bell').click()
    await page.getByText(title).first().waitFor({ timeout: 10_000 })
    check(true, 'the admin received it in the notification menu')
    await page.keyboard.press('Escape')
  })

  await step('notification preferences are saved to the account', async () => {
    await page.goto(`${base}/settings`)
    await page.getByRole('tab', { name: 'Notifications' }).click()
    const ready = page.getByRole('switch', { name: 'In-app notifications: Video ready' })
    await ready.waitFor()
    check((await ready.getAttribute('aria-checked')) === 'true', 'in-app "Video ready" starts on')
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/users/profile') && r.request().method() === 'PATCH')
    await ready.click()
    check((await saved).status() === 200, 'the change is saved with PATCH /users/profile')
    await shot(page, 'settings-notifications')
    // A fresh load reads it back from the server, not from this page.
    await page.reload()
    await page.getByRole('tab', { name: 'Notifications' }).click()
    await page.getByRole('switch', { name: 'In-app notifications: Video ready' }).waitFor()
    await page.waitForFunction(
      () =>
        document
          .querySelector('[aria-label="In-app notifications: Video ready"]')
          ?.getAttribute('aria-checked') === 'false',
      undefined,
      { timeout: 10_000 },
    )
    check(true, 'after a reload "Video ready" is still off')
    await page.getByRole('switch', { name: 'In-app notifications: Video ready' }).click()
  })

  await providerFallbackStep({ page, base, step, check, shot, timeoutMs: VIDEO_TIMEOUT_MS })
  await personalTokenStep({ page, base, step, check, shot })

  await loopStep({ step, check, note, shot, page, base, repo, python: PYTHON, dataDir, videoId })

  await step('mobile (375 px) screenshots', async () => {
    await page.setViewportSize({ width: 375, height: 812 })
    for (const [name, path] of [
      ['mobile-dashboard', '/'],
      ['mobile-create', '/create'],
      ['mobile-videos', '/videos'],
      ['mobile-templates', '/templates'],
      ['mobile-integrations', '/integrations'],
      ['mobile-settings', '/settings'],
      ['mobile-admin', '/admin'],
      ['mobile-admin-users', '/admin/users'],
      ['mobile-admin-settings', '/admin/settings'],
    ]) {
      await page.goto(`${base}${path}`)
      await page.locator('main h1').first().waitFor()
      await page.waitForTimeout(600)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      check(overflow <= 1, `${path} fits 375 px (overflow ${overflow}px)`)
      await shot(page, name)
    }
    if (videoId) {
      await page.goto(`${base}/videos/${videoId}`)
      await page.locator('main h1').first().waitFor()
      await shot(page, 'mobile-video-detail')
    }
  })
  await a11yStep({ page, base, videoId, step, check, note })
  await context.close()

  await step('billing: upgrade through the emulated checkout, cancel, the period ends, free again', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' })
    await isolate(ctx)
    const p = await ctx.newPage()
    watch(p, 'billing')
    p.setDefaultTimeout(30_000)
    // Webhooks arrive asynchronously: reload `path` until `ready()` holds.
    const until = async (path, ready, what, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        await p.goto(`${base}${path}`)
        await p.waitForLoadState('networkidle').catch(() => {})
        if (await ready().catch(() => false)) return
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
        await new Promise((r) => setTimeout(r, 1500))
      }
    }
    const planBadge = (name) => p.getByText('Current plan:').locator('..').getByText(name, { exact: true })
    const notificationTitles = async () => {
      await p.goto(`${base}/`)
      await p.getByTestId('notification-bell').click()
      await p.locator('[data-notification-id]').first().waitFor()
      const items = await p.locator('[data-notification-id]').allInnerTexts()
      await p.keyboard.press('Escape')
      return items.join('\n')
    }
    try {
      await p.goto(`${base}/sign-in`)
      await p.getByLabel('Email').fill(PAYING_USER.email)
      await p.getByLabel('Display name').fill(PAYING_USER.name)
      await p.getByRole('button', { name: 'Sign in locally' }).click()
      await p.getByRole('heading', { name: 'Welcome, Bea' }).waitFor()

      // Free: the dashboard offers the upgrade; the daily limit is the free plan's.
      const prompt = p.getByTestId('upgrade-prompt')
      await prompt.waitFor()
      const freeLimit = (await p.getByTestId('daily-limit').innerText()).trim()
      check(true, `a free user sees the upgrade call to action (${freeLimit})`)
      await shot(p, 'billing-free-dashboard')
      await prompt.getByRole('link', { name: 'Upgrade' }).click()
      await p.waitForURL(`${base}/settings/subscription`)
      await p.getByRole('button', { name: 'Upgrade monthly' }).waitFor()
      check(await p.getByText('Emulated (local)').first().isVisible(), 'the Subscription page says "Emulated (local)"')
      check(await planBadge('Free').isVisible(), 'the Subscription page shows the Free plan')

      // The emulated checkout, test card 4242 4242 4242 4242.
      await p.getByRole('button', { name: 'Upgrade monthly' }).click()
      await p.waitForURL(`${emulatorOrigin}/**`)
      check(await p.getByRole('heading', { name: 'Emulated (local) checkout' }).isVisible(), 'the checkout page says "Emulated (local)"')
      await p.getByLabel('Card number').fill('4242 4242 4242 4242')
      await p.getByLabel('Expiry (MM / YY)').fill('12 / 34')
      await p.getByLabel('CVC').fill('123')
      await p.getByLabel('Name on card').fill(PAYING_USER.name)
      await shot(p, 'billing-emulated-checkout')
      await p.getByRole('button', { name: 'Subscribe' }).click()
      await p.waitForURL(`${base}/settings/subscription?checkout=success**`)
      check(true, 'the checkout returns to Settings › Subscription')
      await until('/settings/subscription', () => planBadge('Premium monthly').isVisible(), 'the webhook made the user premium')
      check(await p.getByText(/^Renews on /).isVisible(), 'premium monthly, renewing')
      await shot(p, 'billing-premium')

      // Premium features unlock: no upgrade offer, a larger daily limit.
      await until('/', () => p.getByTestId('daily-limit').isVisible(), 'the dashboard shows the daily limit')
      const premiumLimit = (await p.getByTestId('daily-limit').innerText()).trim()
      check(!(await p.getByTestId('upgrade-prompt').isVisible()), 'a premium user is not offered the upgrade')
      const quota = (text) => Number((text.match(/of (\d+)/) ?? text.match(/(\d+)\D*$/) ?? [0, 0])[1])
      check(quota(premiumLimit) > quota(freeLimit), `the daily limit grew: "${freeLimit}" -> "${premiumLimit}"`)

      // Cancel at period end, with confirmation.
      await p.goto(`${base}/settings/subscription`)
      await p.getByRole('button', { name: 'Cancel subscription' }).click()
      await p.getByRole('alertdialog').getByRole('button', { name: 'Cancel subscription' }).click()
      await p.getByText(/^Cancelled: premium stays until /).waitFor()
      check(await planBadge('Premium monthly').isVisible(), 'cancelled at period end: still premium until then')
      await shot(p, 'billing-cancelled')

      // The emulator's clock passes the period end: Stripe ends the subscription (webhook).
      const moved = await fetch(`${emulatorOrigin}/_emulator/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advance_s: 32 * DAY_S }),
      })
      check(moved.ok, `the emulator clock moved 32 days (HTTP ${moved.status})`)
      await until('/settings/subscription', () => planBadge('Free').isVisible(), 'the user is free again', 90_000)
      check(await p.getByRole('button', { name: 'Upgrade monthly' }).isVisible(), 'free again: the upgrade is offered again')
      await until('/', () => p.getByTestId('upgrade-prompt').isVisible(), 'the dashboard offers the upgrade again')
      check((await p.getByTestId('daily-limit').innerText()).trim() === freeLimit, 'the free daily limit is back')

      // Notified each time: payment, scheduled cancellation, the end.
      const titles = await notificationTitles()
      for (const title of ['Payment received', 'Subscription cancelled', 'Premium has ended'])
        check(titles.includes(title), `notified: "${title}"`)
      await shot(p, 'billing-free-again')
    } finally {
      await ctx.close()
    }
  })

  await step('sign-in through the Google popup (emulator fake Google page, routed gapi)', async () => {
    const google = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' })
    await isolate(google)
    const p = await google.newPage()
    watch(p, 'google')
    p.setDefaultTimeout(20_000)
    await p.goto(`${base}/sign-in`)
    await p.getByRole('button', { name: 'Continue with Google' }).waitFor()
    const popupPromise = google.waitForEvent('page', { timeout: 20_000 })
    await p.getByRole('button', { name: 'Continue with Google' }).click()
    const popup = await popupPromise
    await popup.waitForLoadState('domcontentloaded')
    await popup.locator('#add-account-button button').click()
    await popup.locator('#email-input').fill(GOOGLE_USER.email)
    await popup.locator('#display-name-input').fill(GOOGLE_USER.name)
    await popup.screenshot({ path: join(artifacts, 'google-popup.png') })
    shots.push('google-popup')
    await popup.locator('#sign-in').click()
    await popup.waitForEvent('close', { timeout: 20_000 }).catch(() => {})
    const welcome = p.getByRole('heading', { name: 'Welcome, Grace' })
    await Promise.race([welcome.waitFor({ timeout: 30_000 }), p.getByRole('alert').waitFor({ timeout: 30_000 })])
    if (!(await welcome.isVisible())) {
      await shot(p, 'google-sign-in-error')
      throw new Error(`popup sign-in did not finish: ${(await p.getByRole('alert').innerText()).trim()}`)
    }
    check(true, 'signed in through the Google popup')
    check(!(await p.getByRole('link', { name: 'Admin' }).isVisible()), 'the second user is not an admin')
    await shot(p, 'google-signed-in-dashboard')
    await google.close()
  })
}
