// e2e step (tokens): a personal API token made in Settings works like a session for a
// script (curl-like fetch from outside the browser), and stops at once when revoked.

/**
 * @param {{ page: import('playwright-core').Page, base: string, step: Function, check: Function,
 *           shot: Function }} ctx
 */
export async function personalTokenStep({ page, base, step, check, shot }) {
  await step('tokens: create a token in Settings, call the API with it, revoke it, see 401', async () => {
    await page.goto(`${base}/settings`)
    await page.getByRole('tab', { name: 'API tokens' }).click()
    const name = `e2e script ${Date.now()}`
    await page.getByLabel('Name').fill(name)
    await page.getByRole('button', { name: 'Create token' }).click()
    const shown = page.getByTestId('new-api-token')
    await shown.waitFor({ timeout: 15_000 })
    const token = (await shown.innerText()).trim()
    check(/^syn_pat_[A-Za-z0-9_-]{43}$/.test(token), 'the new token is shown once, syn_pat_ prefixed')
    await shot(page, 'tokens-created')
    const call = (path) => fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } })
    const me = await call('/api/v1/auth/me')
    check(me.status === 200, `the token reads /auth/me (${me.status})`)
    const admin = await call('/api/v1/admin/stats')
    check(admin.status === 403, `the token is refused on an admin route (${admin.status})`)
    await page.getByRole('button', { name: 'Done' }).click()
    await page.reload()
    await page.getByRole('tab', { name: 'API tokens' }).click()
    const row = page.locator('li', { hasText: name })
    await row.getByText(/Last used/).waitFor({ timeout: 15_000 })
    check(true, 'Settings shows the token with its last use')
    await page.getByRole('button', { name: `Revoke ${name}` }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click()
    await page.getByRole('alertdialog').waitFor({ state: 'hidden' })
    const after = await call('/api/v1/auth/me')
    const code = after.status === 401 ? (await after.json()).error?.code : null
    check(after.status === 401 && code === 'token_revoked', `the revoked token is refused at once (${after.status} ${code})`)
    await shot(page, 'tokens-revoked')
  })
}
