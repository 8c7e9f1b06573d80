import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Storyboard, Video } from '@/api/types'
import { VideoDetailPage } from '@/pages/VideoDetailPage'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { estimateSeconds, moved } from './StoryboardEditor'

const steps: Video['steps'] = (['script', 'voice', 'media', 'video_ai', 'assembly', 'finalize'] as const).map((step) => ({
  step,
  status: step === 'script' ? 'done' : step === 'video_ai' ? 'skipped' : 'pending',
  provider: step === 'script' ? 'template-writer' : null,
  attempts: step === 'script' ? 1 : 0,
  started_at: null,
  finished_at: null,
  error: null,
  note: null,
  progress: null,
  fallback: null,
}))

function video(overrides: Partial<Video> = {}): Video {
  return {
    id: 'v1',
    template_id: 'sys-viral-hook',
    template_name: 'Viral Hook',
    topic: 'why octopuses have three hearts',
    instructions: null,
    title: 'Three hearts',
    description: null,
    hashtags: [],
    status: 'review',
    current_step: 'voice',
    progress: 6,
    steps,
    error: null,
    review: { wanted: null, waiting: true, started_at: null, expires_at: '2026-12-10T10:00:00Z', edited: false, continued_at: null },
    duration_s: null,
    width: null,
    height: null,
    size_bytes: null,
    video_url: null,
    download_url: null,
    thumbnail_url: null,
    created_at: '2026-12-07T10:00:00Z',
    updated_at: null,
    completed_at: null,
    expires_at: null,
    ...overrides,
  }
}

const NARRATIONS = ['Octopuses have three hearts.', 'It is simpler than it sounds.', 'Remember this one.']

function board(narrations = NARRATIONS, overrides: Partial<Storyboard> = {}): Storyboard {
  let at = 0
  return {
    video_id: 'v1',
    status: 'review',
    editable: true,
    title: 'Three hearts',
    hook: narrations[0] ?? '',
    scenes: narrations.map((narration, index) => {
      const scene = { index, narration, on_screen_text: `Text ${index + 1}`, visual_keywords: ['octopus'], duration_s: 3, starts_at_s: at }
      at += 3
      return scene
    }),
    total_duration_s: at,
    target_min_s: 15,
    target_max_s: 30,
    writer: 'template-writer',
    edited: false,
    expires_at: '2026-12-10T10:00:00Z',
    can_regenerate: false,
    regenerate_provider: null,
    limits: { max_scenes: 20, max_narration_chars: 600, max_on_screen_chars: 120, max_keywords: 8, max_script_chars: 8000, max_duration_s: 600 },
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

const narrationsShown = () => screen.getAllByTestId('storyboard-narration').map((el) => (el as HTMLTextAreaElement).value)

// A shared, busy machine can be slow to render these pages; nothing here measures time.
configure({ asyncUtilTimeout: 15_000 })
describe('StoryboardEditor', { timeout: 60_000 }, () => {
  afterEach(() => vi.unstubAllGlobals())

  it('edits, reorders by button and keyboard, adds and deletes, saves then continues', async () => {
    const { calls } = mockApi({
      'GET /api/v1/videos/v1': () => video(),
      'GET /api/v1/videos/v1/storyboard': () => board(),
      'PUT /api/v1/videos/v1/storyboard': async (request) => {
        const body = (await request.json()) as { scenes: { narration: string }[] }
        return board(body.scenes.map((s) => s.narration), { edited: true, writer: 'creator' })
      },
      'POST /api/v1/videos/v1/storyboard/continue': () => video({ status: 'queued', review: { ...video().review, waiting: false } }),
      'GET /api/v1/videos/v1/status': () => ({ id: 'v1', status: 'processing', progress: 20, current_step: 'voice', steps, error: null, updated_at: null }),
    })
    renderPage()
    expect(await screen.findByText(/cannot know facts/)).toBeInTheDocument()
    await waitFor(() => expect(narrationsShown()).toEqual(NARRATIONS))
    const user = userEvent.setup()

    const facts = 'Two hearts pump blood through the gills; the third feeds the body.'
    const second = screen.getAllByTestId('storyboard-narration')[1] as HTMLTextAreaElement
    fireEvent.change(second, { target: { value: facts } })
    await user.click(screen.getByRole('button', { name: 'Move scene 2 up' }))
    expect(narrationsShown()).toEqual([facts, NARRATIONS[0], NARRATIONS[2]])
    // Alt+↓ inside a scene moves it down, and focus follows the scene
    const first = screen.getAllByTestId('storyboard-scene')[0] as HTMLElement
    fireEvent.keyDown(first, { key: 'ArrowDown', altKey: true })
    expect(narrationsShown()).toEqual([NARRATIONS[0], facts, NARRATIONS[2]])
    await waitFor(() => expect(screen.getAllByTestId('storyboard-scene')[1]).toHaveFocus())

    await user.click(screen.getByRole('button', { name: 'Delete scene 3' }))
    await user.click(screen.getByRole('button', { name: 'Add a scene' }))
    const added = screen.getAllByTestId('storyboard-narration')[2] as HTMLTextAreaElement
    fireEvent.change(added, { target: { value: 'Their blood is blue.' } })
    expect(screen.getByTestId('storyboard-summary')).toHaveTextContent('3 scenes')

    await user.click(screen.getByTestId('storyboard-continue'))
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/videos/v1/storyboard/continue')).toBe(true))
    const put = calls.find((c) => c.method === 'PUT')?.body as { scenes: { narration: string; visual_keywords: string[] }[] }
    expect(put.scenes.map((s) => s.narration)).toEqual([NARRATIONS[0], facts, 'Their blood is blue.'])
    expect(put.scenes[0]?.visual_keywords).toEqual(['octopus'])
    // saved before continuing
    const order = calls.map((c) => `${c.method} ${c.path}`)
    expect(order.indexOf('PUT /api/v1/videos/v1/storyboard')).toBeLessThan(order.indexOf('POST /api/v1/videos/v1/storyboard/continue'))
  })

  it('shows a field error under the scene it belongs to', async () => {
    mockApi({
      'GET /api/v1/videos/v1': () => video(),
      'GET /api/v1/videos/v1/storyboard': () => board(),
      'PUT /api/v1/videos/v1/storyboard': () =>
        errorResponse(422, 'validation_failed', 'invalid body', [
          { field: 'body.scenes.1.narration', message: 'the narration needs words to speak', type: 'value_error' },
        ]),
    })
    renderPage()
    await waitFor(() => expect(narrationsShown()).toEqual(NARRATIONS))
    const user = userEvent.setup()
    const second = screen.getAllByTestId('storyboard-narration')[1] as HTMLTextAreaElement
    fireEvent.change(second, { target: { value: '!!!' } })
    await user.click(screen.getByTestId('storyboard-save'))
    const scene = screen.getAllByTestId('storyboard-scene')[1] as HTMLElement
    expect(await within(scene).findByText(/needs words to speak/)).toBeInTheDocument()
    expect(second).toHaveAttribute('aria-invalid', 'true')
  })

  it('pastes a whole script', async () => {
    const { calls } = mockApi({
      'GET /api/v1/videos/v1': () => video(),
      'GET /api/v1/videos/v1/storyboard': () => board(),
      'PUT /api/v1/videos/v1/storyboard': () => board(['First fact.', 'Second fact.']),
    })
    renderPage()
    await waitFor(() => expect(narrationsShown()).toEqual(NARRATIONS))
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Paste a script' }))
    fireEvent.change(screen.getByLabelText('Your script'), { target: { value: 'First fact.\n\nSecond fact.' } })
    await user.click(screen.getByTestId('storyboard-paste-apply'))
    await waitFor(() => expect(narrationsShown()).toEqual(['First fact.', 'Second fact.']))
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ title: null, scenes: null, script_text: 'First fact.\n\nSecond fact.' })
  })

  it('offers the rewrite only with a script model, and cancels after a confirmation', async () => {
    const { calls } = mockApi({
      'GET /api/v1/videos/v1': () => video(),
      'GET /api/v1/videos/v1/storyboard': () => board(NARRATIONS, { can_regenerate: true, regenerate_provider: 'openai', writer: 'openai' }),
      'POST /api/v1/videos/v1/storyboard/scenes/1/regenerate': () => board([NARRATIONS[0] ?? '', 'A rewritten scene.', NARRATIONS[2] ?? '']),
      'POST /api/v1/videos/v1/cancel': () => video({ status: 'cancelled', review: { ...video().review, waiting: false } }),
    })
    renderPage()
    await waitFor(() => expect(narrationsShown()).toEqual(NARRATIONS))
    const user = userEvent.setup()
    const rewrite = screen.getAllByRole('button', { name: 'Rewrite with openai' })
    await user.click(rewrite[1] as HTMLElement)
    await waitFor(() => expect(narrationsShown()[1]).toBe('A rewritten scene.'))

    await user.click(screen.getByTestId('video-cancel'))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel video' }))
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/videos/v1/cancel')).toBe(true))
    expect(await screen.findByText('Cancelled')).toBeInTheDocument()
  })

  it('moves items and estimates timing', () => {
    expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b'])
    expect(estimateSeconds('')).toBe(0)
    expect(estimateSeconds('One two three four five.')).toBeCloseTo(5 / 2.5 + 0.25 + 0.4)
  })
})
