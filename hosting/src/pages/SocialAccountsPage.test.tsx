import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { SocialAccount, SocialPlatformSetup } from '@/api/types'
import { mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { SocialAccountsPage } from './SocialAccountsPage'

function account(overrides: Partial<SocialAccount> = {}): SocialAccount {
  return {
    id: 'a1',
    platform: 'tiktok',
    platform_account_id: '-open',
    status: 'connected',
    display_name: 'Ada Creates',
    handle: 'adacreates',
    avatar_url: null,
    profile_url: null,
    followers: 1500,
    scopes: ['user.info.basic', 'video.publish'],
    capabilities: {
      can_publish: true,
      can_read_analytics: false,
      missing_scopes: ['video.list'],
      privacy_level_options: ['PUBLIC_TO_EVERYONE', 'SELF_ONLY'],
      max_video_post_duration_sec: 600,
      comment_disabled: false,
      duet_disabled: false,
      stitch_disabled: true,
      notes: [],
    },
    emulated: true,
    token_expires_at: '2026-12-07T18:00:00Z',
    refresh_expires_at: null,
    last_refreshed_at: null,
    last_error: null,
    connected_at: '2026-12-07T16:00:00Z',
    updated_at: '2026-12-07T16:00:00Z',
    disconnected_at: null,
    ...overrides,
  }
}

const setup = (platform: SocialPlatformSetup['platform'], status: SocialPlatformSetup['status']): SocialPlatformSetup => ({
  platform,
  display_name: { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram', facebook: 'Facebook' }[platform],
  status,
  label: status === 'not_configured' ? 'Not set up on this server' : status === 'emulated' ? 'Emulated (local)' : 'Ready',
  docs_url: 'https://github.com/synthora/synthora/blob/main/docs/social-accounts.md',
  redirect_uri: `http://127.0.0.1:8080/api/v1/social-accounts/callback/${platform}`,
  scopes: [],
  uses_pkce: platform === 'youtube' || platform === 'tiktok',
})

const PLATFORMS = {
  items: [setup('youtube', 'emulated'), setup('tiktok', 'emulated'), setup('instagram', 'emulated'), setup('facebook', 'not_configured')],
  social_posting_enabled: true,
}

function renderPage(entry = '/social-accounts') {
  return renderWithProviders(
    <MemoryRouter initialEntries={[entry]}>
      <Routes>
        <Route path="/social-accounts" element={<SocialAccountsPage />} />
      </Routes>
    </MemoryRouter>,
  )
}

describe('SocialAccountsPage', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows connected accounts with expiry, missing scopes and connect cards', async () => {
    mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [account({ avatar_url: 'https://p16-sign.tiktokcdn.com/a.jpeg' })] }),
      'GET /api/v1/social-accounts/platforms': () => PLATFORMS,
    })
    renderPage()
    const card = await screen.findByTestId('social-account-card')
    // an emulated account's avatar names a real CDN: never loaded
    expect(card.querySelector('img')).toBeNull()
    expect(within(card).getByText('Ada Creates')).toBeInTheDocument()
    expect(within(card).getByTestId('social-account-status')).toHaveTextContent('Connected')
    expect(within(card).getByTestId('social-account-expiry')).toHaveTextContent(/^Expires /)
    expect(within(card).getByTestId('social-account-missing')).toHaveTextContent('video.list')
    expect(within(card).getByText('Emulated (local)')).toBeInTheDocument()
    const facebook = (await screen.findAllByTestId('social-connect-card')).find((c) => c.dataset.platform === 'facebook')
    expect(facebook).toBeDefined()
    expect(within(facebook as HTMLElement).getByText('Not set up on this server')).toBeInTheDocument()
    expect(within(facebook as HTMLElement).getByRole('link', { name: /How to set it up/ })).toHaveAttribute(
      'href',
      expect.stringContaining('docs/social-accounts.md'),
    )
  })

  it('offers reconnect for an account whose grant died and leaves for the consent page', async () => {
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    const { calls } = mockApi({
      'GET /api/v1/social-accounts': () => ({
        items: [account({ status: 'needs_reconnect', last_error: { kind: 'dead_grant', code: 'invalid_grant', message: 'Token has been expired or revoked.', at: '2026-12-07T17:00:00Z' } })],
      }),
      'GET /api/v1/social-accounts/platforms': () => PLATFORMS,
      'POST /api/v1/social-accounts/connect/tiktok': () => ({
        platform: 'tiktok',
        authorization_url: 'http://127.0.0.1:8090/tiktok/v2/auth/authorize/?state=s',
        expires_at: '2026-12-07T17:10:00Z',
      }),
    })
    renderPage()
    const card = await screen.findByTestId('social-account-card')
    expect(within(card).getByTestId('social-account-status')).toHaveTextContent('Needs reconnect')
    expect(within(card).getByText(/Token has been expired or revoked/)).toBeInTheDocument()
    await userEvent.setup().click(within(card).getByRole('button', { name: 'Reconnect' }))
    await waitFor(() => expect(assign).toHaveBeenCalledWith('http://127.0.0.1:8090/tiktok/v2/auth/authorize/?state=s'))
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/v1/social-accounts/connect/tiktok')).toBe(true)
  })

  it('disconnects only after confirmation', async () => {
    const { calls } = mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [account()] }),
      'GET /api/v1/social-accounts/platforms': () => PLATFORMS,
      'DELETE /api/v1/social-accounts/a1': () => ({ id: 'a1', status: 'disconnected', revoked_at_platform: true }),
    })
    renderPage()
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Disconnect Ada Creates' }))
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    const dialog = await screen.findByRole('alertdialog')
    await user.click(within(dialog).getByRole('button', { name: 'Disconnect' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/social-accounts/a1')).toBe(true))
  })

  it('shows the callback errors: denied consent, expired state, missing scope', async () => {
    mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [] }),
      'GET /api/v1/social-accounts/platforms': () => PLATFORMS,
    })
    const first = renderPage('/social-accounts?platform=youtube&error=access_denied&message=x')
    expect(await screen.findByText("You declined YouTube's consent screen, so nothing was connected.")).toBeInTheDocument()
    first.unmount()
    const second = renderPage('/social-accounts?platform=tiktok&error=state_expired')
    expect(await screen.findByText('The sign-in took longer than 10 minutes. Please connect again.')).toBeInTheDocument()
    second.unmount()
    renderPage('/social-accounts?platform=tiktok&connected=a1&missing=video.publish')
    expect(await screen.findByText('TikTok is connected.')).toBeInTheDocument()
    expect(screen.getByText(/Not granted: video.publish/)).toBeInTheDocument()
  })

  it('lets the person choose which Pages to connect', async () => {
    const { calls } = mockApi({
      'GET /api/v1/social-accounts': () => ({ items: [] }),
      'GET /api/v1/social-accounts/platforms': () => PLATFORMS,
      'GET /api/v1/social-accounts/selections/sel1': () => ({
        id: 'sel1',
        platform: 'facebook',
        expires_at: '2026-12-07T17:10:00Z',
        candidates: [
          { platform_account_id: 'p1', display_name: 'Ada Creates', handle: null, avatar_url: null, followers: null, can_publish: true, already_connected: false },
          { platform_account_id: 'p2', display_name: 'Ada Clips', handle: null, avatar_url: null, followers: null, can_publish: true, already_connected: false },
        ],
      }),
      'POST /api/v1/social-accounts/selections/sel1': () => ({ items: [account({ id: 'a2', platform: 'facebook' })] }),
    })
    renderPage('/social-accounts?platform=facebook&select=sel1')
    const dialog = await screen.findByTestId('social-selection')
    const user = userEvent.setup()
    await user.click(await within(dialog).findByRole('checkbox', { name: /Ada Clips/ }))
    await user.click(within(dialog).getByRole('button', { name: 'Connect 1 account' }))
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST' && c.path.endsWith('/selections/sel1'))?.body).toEqual({ platform_account_ids: ['p1'] }),
    )
  })
})
