import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Video } from '@/api/types'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { VideoDetailPage } from './VideoDetailPage'

const steps = (failed: string | null): Video['steps'] =>
  (['script', 'voice', 'media', 'video_ai', 'assembly', 'finalize'] as const).map((step) => ({
    step,
    status: failed === step ? 'failed' : step === 'script' ? 'done' : step === 'video_ai' ? 'skipped' : 'pending',
    provider: step === 'voice' ? 'elevenlabs' : null,
    attempts: failed === step ? 3 : 1,
    started_at: null,
    finished_at: null,
    error: null,
    note: null,
    fallback: null,
    progress: null,
  }))

function video(overrides: Partial<Video> = {}): Video {
  return {
    id: 'v1',
    template_id: 'sys-viral-hook',
    template_name: 'Viral Hook',
    topic: 'Octopus hearts',
    instructions: null,
    title: 'Why octopuses have three hearts',
    description: null,
    hashtags: [],
    status: 'failed',
    current_step: 'voice',
    progress: 30,
    steps: steps('voice'),
    error: { step: 'voice', provider: 'elevenlabs', message: 'ElevenLabs said 401', payload: { status: 401, body: { detail: 'invalid_api_key' } }, at: null },
    review: { wanted: null, waiting: false, started_at: null, expires_at: null, edited: false, continued_at: null },
    duration_s: null,
    width: null,
    height: null,
    size_bytes: null,
    video_url: null,
    download_url: null,
    thumbnail_url: null,
    created_at: '2026-11-24T10:00:00Z',
    updated_at: null,
    completed_at: null,
    expires_at: null,
    ...overrides,
  }
}

function renderPage() {
  return renderWithProviders(
    <MemoryRouter initialEntries={['/videos/v1']}>
      <Routes>
        <Route path="/videos/:videoId" element={<VideoDetailPage />} />
      </Routes>
    </MemoryRouter>,
  )
}

const integration = (id: string, provider: string, category: string) => ({
  id,
  provider,
  display_name: provider === 'openai' ? 'OpenAI' : 'ElevenLabs',
  category,
  categories: provider === 'openai' ? ['script', 'voice'] : ['voice'],
  is_active: true,
  masked_key: 'sk-...abcd',
  options: {},
  validation: { status: 'valid', valid: true, message: 'ok', seq: 1, key_version: 1, details: {} },
  key_version: 1,
  created_at: '2026-11-24T10:00:00Z',
  updated_at: '2026-11-24T10:00:00Z',
})

describe('VideoDetailPage', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows a failed video’s full error payload and retries with a swapped integration', async () => {
    const { calls } = mockApi({
      'GET /api/v1/videos/v1': () => video(),
      'GET /api/v1/integrations': () => ({ items: [integration('i-openai', 'openai', 'script'), integration('i-11', 'elevenlabs', 'voice')] }),
      'POST /api/v1/videos/v1/retry': () => video({ status: 'queued', error: null, steps: steps(null), progress: 20 }),
      'GET /api/v1/videos/v1/status': () => ({ id: 'v1', status: 'processing', progress: 40, current_step: 'voice', steps: steps(null), error: null, updated_at: null }),
    })
    renderPage()
    expect(await screen.findByText('Failed at the Voice step (elevenlabs)')).toBeInTheDocument()
    expect(screen.getByText('ElevenLabs said 401')).toBeInTheDocument()
    const json = screen.getByTestId('video-error-json')
    expect(json.textContent).toContain('"invalid_api_key"')
    expect(JSON.parse(json.textContent ?? '{}').payload.status).toBe(401)

    const user = userEvent.setup()
    await user.click(screen.getByLabelText('Provider for the failed step'))
    // Offline, plus my voice-capable integrations (OpenAI serves voice too).
    expect(await screen.findByRole('option', { name: 'Offline (local provider, no key)' })).toBeInTheDocument()
    expect(screen.getByRole('option', { name: /OpenAI/ })).toBeInTheDocument()
    await user.click(screen.getByRole('option', { name: 'Offline (local provider, no key)' }))
    await user.click(screen.getByRole('button', { name: 'Retry' }))
    await waitFor(() => expect(calls.find((c) => c.path === '/api/v1/videos/v1/retry')?.body).toEqual({ integration_id: 'offline' }))
    // Once retried it polls the status and shows live progress.
    await waitFor(() => expect(screen.getByTestId('video-progress-value')).toHaveTextContent('40%'))
  })

  it('shows the API message when a retry is refused', async () => {
    mockApi({
      'GET /api/v1/videos/v1': () => video(),
      'GET /api/v1/integrations': () => ({ items: [] }),
      'POST /api/v1/videos/v1/retry': () => errorResponse(429, 'daily_limit', 'You have reached today’s limit of 3 videos.'),
    })
    renderPage()
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Retry' }))
    expect(await screen.findByText('You have reached today’s limit of 3 videos.')).toBeInTheDocument()
  })

  it('plays a completed video from its signed URL and offers the download', async () => {
    mockApi({
      'GET /api/v1/videos/v1': () =>
        video({ status: 'completed', error: null, steps: steps(null), progress: 100, video_url: '/blobs/v.mp4?sig=1', download_url: '/blobs/v.mp4?dl=1', duration_s: 31.2 }),
    })
    renderPage()
    const player = await screen.findByTestId('video-player')
    expect(player).toHaveAttribute('src', '/blobs/v.mp4?sig=1')
    expect(screen.getByTestId('video-download')).toHaveAttribute('href', '/blobs/v.mp4?dl=1')
    expect(screen.getByText('31.2 s')).toBeInTheDocument()
  })
})
