import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { CreateVideoPage } from './CreateVideoPage'

const template = {
  id: 'sys-viral-hook',
  name: 'Viral Hook',
  description: 'Fast and bold',
  category: 'viral',
  tags: [],
  platforms: ['tiktok'],
  owner_id: null,
  is_system: true,
  is_public: true,
  config: {
    video_structure: { duration: { min_seconds: 15, max_seconds: 30 } },
    visual_style: { aspect_ratio: '9:16' },
    audio: { voice_gender: 'neutral', voice_tone: 'friendly', voice_speed: 1, music_mood: 'upbeat' },
  },
  version: 1,
  usage_count: 0,
  created_at: '2026-11-24T10:00:00Z',
  updated_at: '2026-11-24T10:00:00Z',
  can_edit: false,
}

// Several steps of typing and clicking: slow on a busy 2-core machine.
const SLOW = 30_000

describe('CreateVideoPage', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('walks template → topic → confirm, shows the daily limit, and the API’s 429 message', async () => {
    const { calls } = mockApi({
      'GET /api/v1/templates/system': () => ({ items: [template] }),
      'GET /api/v1/templates/my': () => ({ items: [], next_cursor: null, has_more: false }),
      'GET /api/v1/auth/me': () => ({
        user: makeUser(),
        limits: { role: 'free', day: '2026-11-24', videos_today: 1, daily_limit: 3, remaining_today: 2, active_generations: 0, max_concurrent: 1, retention_days: 30, can_schedule: false, can_use_ai_suggestions: false, resets_at: '2026-11-25T00:00:00Z' },
        features: {},
      }),
      'GET /api/v1/integrations/status': () => ({ can_generate: true, steps: [], configured_categories: [], missing_categories: [] }),
      'POST /api/v1/videos': () => errorResponse(429, 'daily_limit_reached', 'You have made 3 of 3 videos today; more tomorrow.'),
    })
    const user = userEvent.setup({ delay: null })
    const auth = makeAuth({ status: 'signed-in', user: makeUser() })
    renderWithProviders(
      <MemoryRouter>
        <CreateVideoPage />
      </MemoryRouter>,
      { auth },
    )
    expect(await screen.findByText('2 of 3 videos left today')).toBeInTheDocument()
    const next = screen.getByRole('button', { name: 'Next' })
    expect(next).toBeDisabled()
    await user.click(await screen.findByRole('radio', { name: /Viral Hook/ }))
    await user.click(next)

    await user.type(screen.getByLabelText('Topic'), 'ab')
    await user.click(screen.getByRole('button', { name: 'Next' }))
    expect(screen.getByText('Write at least 3 characters.')).toBeInTheDocument()
    await user.type(screen.getByLabelText('Topic'), 'c octopus')
    await user.click(screen.getByRole('button', { name: 'Next' }))

    await user.click(await screen.findByRole('button', { name: 'Generate video' }))
    expect(await screen.findByText('You have made 3 of 3 videos today; more tomorrow.')).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({ template_id: 'sys-viral-hook', topic: 'abc octopus', choices: null })
  }, SLOW)

  it('sends the Create-screen choices over the template and shows a refused one under its field', async () => {
    const me = {
      user: makeUser(),
      limits: { role: 'free', day: '2026-11-24', videos_today: 0, daily_limit: 3, remaining_today: 3, active_generations: 0, max_concurrent: 1, retention_days: 30, can_schedule: false, can_use_ai_suggestions: false, resets_at: '2026-11-25T00:00:00Z' },
      features: {},
    }
    const { calls } = mockApi({
      'GET /api/v1/templates/system': () => ({ items: [template] }),
      'GET /api/v1/templates/my': () => ({ items: [], next_cursor: null, has_more: false }),
      'GET /api/v1/auth/me': () => me,
      'GET /api/v1/integrations/status': () => ({ can_generate: true, steps: [], configured_categories: [], missing_categories: [] }),
      'POST /api/v1/videos': () =>
        errorResponse(422, 'invalid_video_choices', 'these choices do not work together', [
          { field: 'body.choices.min_seconds', message: 'The shortest length (60 s) is longer than the longest (30 s).' },
        ]),
    })
    const user = userEvent.setup({ delay: null })
    renderWithProviders(
      <MemoryRouter>
        <CreateVideoPage />
      </MemoryRouter>,
      { auth: makeAuth({ status: 'signed-in', user: makeUser() }) },
    )
    await user.click(await screen.findByRole('radio', { name: /Viral Hook/ }))
    await user.click(screen.getByRole('button', { name: 'Next' }))
    await user.type(screen.getByLabelText('Topic'), 'why octopuses have three hearts')
    // Each choice starts as the template's own setting, named.
    const ratio = screen.getByLabelText('Aspect ratio')
    expect(ratio).toHaveDisplayValue('As the template (Portrait 9:16)')
    expect(screen.getByLabelText('Length')).toHaveDisplayValue('As the template (15–30 seconds)')
    await user.selectOptions(ratio, '16:9')
    await user.selectOptions(screen.getByLabelText('Length'), '30-60')
    await user.selectOptions(screen.getByLabelText('Voice'), 'female')
    await user.selectOptions(screen.getByLabelText('Voice tone'), 'calm')
    await user.selectOptions(screen.getByLabelText('Voice speed'), '1.15')
    await user.selectOptions(screen.getByLabelText('Music mood'), 'none')
    await user.click(screen.getByRole('button', { name: 'Next' }))
    expect(screen.getByText('30–60 seconds')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Generate video' }))

    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      choices: { aspect_ratio: '16:9', min_seconds: 30, max_seconds: 60, voice_gender: 'female', voice_tone: 'calm', voice_speed: 1.15, music_mood: 'none' },
    })
    // Back on the step with the choices, the API's words under the Length select.
    const length = await screen.findByLabelText('Length')
    expect(length).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByText('The shortest length (60 s) is longer than the longest (30 s).')).toBeInTheDocument()
  }, SLOW)

  it('sends no choices when every setting follows the template', async () => {
    const { choicesBody, NO_CHOICES } = await import('@/components/videos/VideoChoicesFields')
    expect(choicesBody(NO_CHOICES)).toBeNull()
    expect(choicesBody({ ...NO_CHOICES, voice_speed: '0.85' })).toMatchObject({ voice_speed: 0.85, aspect_ratio: null, min_seconds: null })
  })
  it('opens pre-filled from a suggestion\'s "make this" and records the video made from it', async () => {
    const { calls } = mockApi({
      'GET /api/v1/templates/sys-viral-hook': () => template,
      'GET /api/v1/templates/system': () => ({ items: [template] }),
      'GET /api/v1/templates/my': () => ({ items: [], next_cursor: null, has_more: false }),
      'GET /api/v1/auth/me': () => ({
        user: makeUser(),
        limits: { role: 'premium', day: '2026-11-24', videos_today: 0, daily_limit: 20, remaining_today: 20, active_generations: 0, max_concurrent: 3, retention_days: 30, can_schedule: true, can_use_ai_suggestions: true, resets_at: '2026-11-25T00:00:00Z' },
        features: {},
      }),
      'GET /api/v1/integrations/status': () => ({ can_generate: true, steps: [], configured_categories: [], missing_categories: [] }),
      'POST /api/v1/videos': () => ({ id: 'v1' }),
      'POST /api/v1/suggestions/s1/acted': () => ({}),
    })
    const user = userEvent.setup({ delay: null })
    renderWithProviders(
      <MemoryRouter
        initialEntries={['/create?template=sys-viral-hook&topic=why%20cats%20purr&music_mood=calm&min_seconds=15&max_seconds=30&voice_tone=nonsense&suggestion=s1']}
      >
        <CreateVideoPage />
      </MemoryRouter>,
      { auth: makeAuth({ status: 'signed-in', user: makeUser() }) },
    )
    expect(await screen.findByLabelText('Topic')).toHaveValue('why cats purr')
    expect(screen.getByLabelText('Music mood')).toHaveValue('calm')
    expect(screen.getByLabelText('Length')).toHaveValue('15-30')
    expect(screen.getByLabelText('Voice tone')).toHaveValue('')
    await user.click(screen.getByRole('button', { name: 'Next' }))
    await user.click(await screen.findByRole('button', { name: 'Generate video' }))
    await vi.waitFor(() => expect(calls.some((c) => c.path === '/api/v1/suggestions/s1/acted')).toBe(true))
    expect(calls.find((c) => c.path === '/api/v1/videos')?.body).toMatchObject({
      template_id: 'sys-viral-hook',
      topic: 'why cats purr',
      choices: { music_mood: 'calm', min_seconds: 15, max_seconds: 30, voice_tone: null },
    })
    expect(calls.find((c) => c.path === '/api/v1/suggestions/s1/acted')?.body).toEqual({ video_id: 'v1' })
  }, SLOW)
})
