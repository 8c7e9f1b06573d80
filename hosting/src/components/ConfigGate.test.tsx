import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { renderWithProviders } from '@/test/render'
import { ConfigGate } from './ConfigGate'

const CONFIG = {
  firebase: { apiKey: 'k', authDomain: 'demo.firebaseapp.com', projectId: 'demo-synthora' },
  auth_emulator_url: 'http://127.0.0.1:9099',
  version: '1.2.3',
  environment: 'local',
}

describe('ConfigGate', () => {
  it('says the server is unreachable (not a blank page) and retries on request', async () => {
    const fetchMock = vi
      .spyOn(globalThis, 'fetch')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockRejectedValueOnce(new TypeError('Failed to fetch')) // the config query retries once by itself
      .mockResolvedValueOnce(
        new Response(JSON.stringify(CONFIG), { status: 200, headers: { 'Content-Type': 'application/json' } }),
      )
    renderWithProviders(<ConfigGate>{(config) => <p>{`app for ${config.firebase.projectId}`}</p>}</ConfigGate>)

    expect(await screen.findByRole('alert', undefined, { timeout: 4000 })).toHaveTextContent("Can't reach the Synthora server")
    expect(screen.getByText(/network_error/)).toBeInTheDocument()

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText('app for demo-synthora')).toBeInTheDocument()
    expect(fetchMock).toHaveBeenCalledTimes(3)
    expect((fetchMock.mock.calls[0]?.[0] as Request).url).toMatch(/\/api\/v1\/config$/)
  })
})
