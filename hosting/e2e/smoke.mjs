#!/usr/bin/env node
// Browser smoke test of the built app (run `npm run build` first).
//
// Serves dist/ with `vite preview` on a free loopback port and drives Debian's
// chromium with playwright-core. Nothing may load from outside 127.0.0.1: any
// such request is aborted and fails the run. Screenshots go to e2e/artifacts/.
//
//   node e2e/smoke.mjs                      # API down, and API mocked in the page
//   SMOKE_AUTH_EMULATOR_URL=http://127.0.0.1:9099 node e2e/smoke.mjs
//                                           # + real local sign-in against a running
//                                           #   Firebase Auth emulator
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const artifacts = join(root, 'e2e', 'artifacts')
mkdirSync(artifacts, { recursive: true })

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const emulatorUrl = process.env.SMOKE_AUTH_EMULATOR_URL ?? null

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

async function waitForHttp(url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url)
      if (response.ok) return
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  throw new Error(`timed out waiting for ${url}`)
}

const failures = []
const check = (condition, message) => {
  if (!condition) failures.push(message)
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`)
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const blocked = []

/** Abort (and remember) anything not on loopback: the app must not need the internet. */
async function isolate(context) {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.protocol === 'data:' || url.protocol === 'blob:' || LOOPBACK.has(url.hostname)) return route.continue()
    blocked.push(url.href)
    return route.abort('blockedbyclient')
  })
}

/** Let entrance animations and transitions finish so screenshots show the settled UI. */
async function settle(page) {
  await page.mouse.move(0, 0)
  await page.waitForTimeout(450)
}

function json(route, body, status = 200) {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
}

const CONFIG = {
  firebase: { apiKey: 'demo-key', authDomain: 'demo-synthora.firebaseapp.com', projectId: 'demo-synthora' },
  auth_emulator_url: emulatorUrl ?? 'http://127.0.0.1:9',
  version: '0.1.0',
  environment: 'local',
}

const knownUids = new Set()

/** Stand-in for the backend's auth endpoints, built from the emulator token's claims. */
async function mockApi(page, { setupRequired = false } = {}) {
  await page.route('**/api/v1/config', (route) => json(route, CONFIG))
  await page.route('**/api/v1/auth/setup-status', (route) =>
    json(route, { setup_required: setupRequired, admin_exists: !setupRequired }),
  )
  await page.route('**/api/v1/auth/login', (route) => {
    const { id_token: idToken } = route.request().postDataJSON()
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8'))
    const isNewUser = !knownUids.has(claims.user_id)
    knownUids.add(claims.user_id)
    return json(route, {
      user: {
        uid: claims.user_id,
        email: claims.email,
        display_name: claims.name ?? null,
        photo_url: null,
        role: 'admin',
        is_active: true,
      },
      is_new_user: isNewUser,
      setup_required: false,
    })
  })
  await page.route('**/api/v1/auth/logout', (route) => route.fulfill({ status: 204 }))
}

const closedPort = await freePort()
const previewPort = await freePort()
const preview = spawn(
  process.execPath,
  [join(root, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(previewPort), '--strictPort'],
  { cwd: root, env: { ...process.env, SYNTHORA_API_URL: `http://127.0.0.1:${closedPort}` }, stdio: ['ignore', 'pipe', 'pipe'] },
)
let previewLog = ''
preview.stdout.on('data', (chunk) => (previewLog += chunk))
preview.stderr.on('data', (chunk) => (previewLog += chunk))

const base = `http://127.0.0.1:${previewPort}`
let browser
try {
  await waitForHttp(`${base}/`)
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })

  const pageErrors = []
  async function newPage(viewport) {
    const context = await browser.newContext({ viewport, colorScheme: 'light', deviceScaleFactor: 1 })
    await isolate(context)
    const page = await context.newPage()
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    return page
  }

  // 1. The API is not running: a clear "can't reach the server" state, not a blank page.
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['mobile', { width: 375, height: 812 }],
  ]) {
    const page = await newPage(viewport)
    await page.goto(`${base}/sign-in`)
    const alert = page.getByRole('alert')
    await alert.waitFor({ timeout: 15_000 })
    check((await alert.textContent()).includes("Can't reach the Synthora server"), `server-unreachable state shown (${name})`)
    check(await page.evaluate(() => document.documentElement.classList.contains('dark')), `dark by default even with a light system theme (${name})`)
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    check(scrollWidth <= viewport.width, `no horizontal overflow (${name}: ${scrollWidth}px)`)
    await settle(page)
    await page.screenshot({ path: join(artifacts, `signin-unreachable-${name}.png`), fullPage: true })
    await page.context().close()
  }

  // 2. API answering (mocked in the page), emulator mode: Google + local sign-in.
  {
    const page = await newPage({ width: 1280, height: 800 })
    await mockApi(page)
    await page.goto(`${base}/sign-in`)
    await page.getByRole('button', { name: 'Continue with Google' }).waitFor({ timeout: 15_000 })
    check(await page.getByRole('form', { name: 'Local sign-in' }).isVisible(), 'local sign-in form shown in emulator mode')
    await page.getByRole('button', { name: 'Sign in locally' }).click()
    check(await page.getByText('Enter your email address.').isVisible(), 'local sign-in validates in the browser')
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'signin-emulator-desktop.png'), fullPage: true })
    await page.context().close()
  }

  // 3. Fresh install: the setup screen explains the first account becomes admin.
  {
    const page = await newPage({ width: 1280, height: 900 })
    await mockApi(page, { setupRequired: true })
    await page.goto(`${base}/sign-in`)
    await page.getByText('The first account to sign in becomes the admin.').waitFor({ timeout: 15_000 })
    check(page.url().endsWith('/setup'), 'sign-in redirects to /setup when no admin exists')
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'setup-desktop.png'), fullPage: true })
    await page.context().close()
  }

  // 4. Real local sign-in against the Auth emulator, then the app shell.
  if (emulatorUrl) {
    const page = await newPage({ width: 1280, height: 800 })
    await mockApi(page)
    const loginUids = []
    page.on('request', (request) => {
      if (!request.url().endsWith('/api/v1/auth/login')) return
      const token = request.postDataJSON().id_token
      loginUids.push(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).user_id)
    })
    await page.goto(`${base}/videos`)
    await page.getByLabel('Email').fill('ada@example.com')
    await page.getByLabel('Display name').fill('Ada Lovelace')
    await page.getByRole('button', { name: 'Sign in locally' }).click()
    await page.getByRole('heading', { name: 'Videos', level: 1 }).waitFor({ timeout: 15_000 })
    check(page.url().endsWith('/videos'), 'local sign-in returns to the page asked for')
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'videos-desktop.png') })
    await page.goto(`${base}/`)
    await page.getByRole('heading', { name: 'Welcome back, Ada' }).waitFor({ timeout: 15_000 })
    check(await page.getByRole('link', { name: 'Admin' }).isVisible(), 'admin sees the Admin link')
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'dashboard-desktop.png') })
    await page.goto(`${base}/no-such-page`)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor({ timeout: 15_000 })
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'not-found-desktop.png') })
    await page.goto(`${base}/settings`)
    await page.getByText('ada@example.com').first().waitFor({ timeout: 15_000 })
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'settings-profile-desktop.png') })
    await page.getByRole('tab', { name: 'Notifications' }).click()
    await page.getByText('Notification preferences').waitFor()
    await page.mouse.move(0, 0)
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'settings-notifications-desktop.png') })
    await page.getByRole('tab', { name: 'Appearance' }).click()
    await page.getByRole('radio', { name: /Light/ }).click()
    check(!(await page.evaluate(() => document.documentElement.classList.contains('dark'))), 'light theme applies')
    await page.reload()
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: 15_000 })
    check(!(await page.evaluate(() => document.documentElement.classList.contains('dark'))), 'light theme survives a reload')
    await page.getByRole('tab', { name: 'Appearance' }).click()
    await page.mouse.move(0, 0)
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'settings-appearance-light-desktop.png') })
    await page.getByRole('radio', { name: /Dark/ }).click()

    await page.setViewportSize({ width: 375, height: 812 })
    await page.goto(`${base}/`)
    await page.getByRole('heading', { name: 'Welcome back, Ada' }).waitFor({ timeout: 15_000 })
    const mobileWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    check(mobileWidth <= 375, `signed-in shell fits 375 px (${mobileWidth}px)`)
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'dashboard-mobile.png'), fullPage: true })
    await page.getByRole('button', { name: 'Open menu' }).click()
    await page.getByRole('dialog').waitFor()
    await page.waitForTimeout(400) // let the slide-in finish
    check(await page.getByRole('dialog').getByRole('link', { name: 'Social accounts' }).isVisible(), 'mobile drawer shows the navigation')
    await settle(page)
    await page.screenshot({ path: join(artifacts, 'drawer-mobile.png') })
    await page.keyboard.press('Escape')

    // Sign out, sign in again with the same email: the emulator must hand back the same uid.
    await page.getByRole('button', { name: 'Open account menu' }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in locally' }).waitFor({ timeout: 15_000 })
    await page.getByLabel('Email').fill('ADA@example.com')
    await page.getByLabel('Display name').fill('Ada Lovelace')
    await page.getByRole('button', { name: 'Sign in locally' }).click()
    await page.getByRole('heading', { name: 'Welcome back, Ada' }).waitFor({ timeout: 15_000 })
    check(
      loginUids.length >= 2 && new Set(loginUids).size === 1,
      `same email (any case) signs in the same Firebase user again (${loginUids.length} logins, uids: ${[...new Set(loginUids)].join(', ')})`,
    )
    await page.context().close()
  } else {
    console.log('skip local sign-in against the Auth emulator (set SMOKE_AUTH_EMULATOR_URL)')
  }

  check(pageErrors.length === 0, `no uncaught page errors${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`)
  check(blocked.length === 0, `nothing requested outside loopback${blocked.length ? `: ${[...new Set(blocked)].join(', ')}` : ''}`)
} catch (error) {
  failures.push(String(error?.stack ?? error))
  console.error(error)
  if (previewLog) console.error(previewLog)
} finally {
  await browser?.close()
  preview.kill()
}

console.log(`\nscreenshots: ${artifacts}`)
if (failures.length) {
  console.error(`\n${failures.length} smoke check(s) failed`)
  process.exit(1)
}
console.log('smoke passed')
