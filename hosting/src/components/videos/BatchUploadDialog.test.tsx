import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { BatchUploadDialog } from './BatchUploadDialog'

const row = (n: number, topic: string, extra: Record<string, unknown> = {}) => ({
  row: n,
  key: `r${n}-abc`,
  data: {
    key: null,
    topic,
    template: 'sys-viral-hook',
    instructions: null,
    use_video_ai: false,
    overrides: { aspect_ratio: '9:16', min_seconds: null, max_seconds: 30, voice_gender: null, voice_tone: null, voice_speed: null, music_mood: null },
    accounts: [],
    schedule_at: null,
    timezone: null,
    ...extra,
  },
})

const CSV = 'topic,template,aspect_ratio,max_seconds,accounts,schedule_at\nwhy cats purr,sys-viral-hook,9:16,30,,\n'

async function paste(text: string) {
  const user = userEvent.setup()
  await user.click(screen.getByTestId('batch-open'))
  fireEvent.change(await screen.findByLabelText('Or paste the file'), { target: { value: text } })
  return user
}

describe('BatchUploadDialog', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('shows every row with its errors and starts nothing while one is bad', async () => {
    const { calls } = mockApi({
      'POST /api/v1/videos/batch/validate': () => ({
        format: 'csv',
        rows: [row(1, 'why cats purr')],
        errors: [
          { row: 0, field: 'colour', message: 'unknown column', type: 'unknown_column' },
          { row: 2, field: 'topic', message: 'String should have at least 3 characters', type: 'string_too_short' },
        ],
        total_rows: 2,
        valid: false,
      }),
    })
    renderWithProviders(<BatchUploadDialog />)
    const user = await paste(CSV + 'ab,sys-viral-hook,,,,\n')
    await user.click(screen.getByTestId('batch-check'))
    expect(await screen.findByRole('status')).toHaveTextContent('2 problems to fix')
    expect(screen.getByTestId('batch-file-errors')).toHaveTextContent('colour: unknown column')
    expect(screen.getByTestId('batch-row-1')).toHaveTextContent('why cats purr')
    expect(screen.getByTestId('batch-row-1')).toHaveTextContent('aspect_ratio=9:16, max_seconds=30')
    expect(screen.getByTestId('batch-row-2')).toHaveTextContent('topic: String should have at least 3 characters')
    expect(screen.getByTestId('batch-start')).toBeDisabled()
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/videos/batch/validate'])
    expect(calls[0]?.body).toEqual({ text: CSV + 'ab,sys-viral-hook,,,,\n', name: null, format: null })
  }, 20_000)

  it('starts the rows, shows refusals and progress, and schedules a finished video once', async () => {
    const scheduled = { ...row(2, 'how bees make honey', { accounts: ['yt-1'], schedule_at: '2099-12-24T18:00:00+01:00' }) }
    const starts: unknown[] = []
    const { calls } = mockApi({
      'POST /api/v1/videos/batch/validate': () => ({
        format: 'csv',
        rows: [row(1, 'why cats purr'), scheduled, row(3, 'why owls hoot')],
        errors: [],
        total_rows: 3,
        valid: true,
      }),
      'POST /api/v1/videos/batch': async (request) => {
        starts.push(await request.json())
        return {
          rows: [
            { row: 1, key: 'r1-abc', topic: 'why cats purr', status: 'created', video_id: 'v1', error: null },
            { row: 2, key: 'r2-abc', topic: 'how bees make honey', status: 'created', video_id: 'v2', error: null },
            {
              row: 3,
              key: 'r3-abc',
              topic: 'why owls hoot',
              status: 'refused',
              video_id: null,
              error: { code: 'daily_limit_reached', message: 'daily video limit reached (3 per day)', details: null },
            },
          ],
          created: 2,
          existing: 0,
          refused: 1,
          errors: 0,
        }
      },
      'GET /api/v1/videos/v1/status': () => ({ id: 'v1', status: 'processing', progress: 40, current_step: 'voice', steps: [], error: null, updated_at: null }),
      'GET /api/v1/videos/v2/status': () => ({ id: 'v2', status: 'completed', progress: 100, current_step: null, steps: [], error: null, updated_at: null }),
      'GET /api/v1/videos/v2': () => ({ id: 'v2' }),
      'GET /api/v1/posts/conflicts': (_req, url) => ({ video_id: url.searchParams.get('video_id'), conflicts: [] }),
      'POST /api/v1/posts': () => ({ id: 'p1', scheduled_at: '2099-12-24T17:00:00Z' }),
    })
    renderWithProviders(<BatchUploadDialog />)
    const user = await paste(CSV)
    await user.click(screen.getByTestId('batch-check'))
    expect(await screen.findByRole('status')).toHaveTextContent('Every row is valid: 3 videos will be made.')
    expect(screen.getByTestId('batch-row-2')).toHaveTextContent('Schedules a post to 1 account')
    await user.click(screen.getByTestId('batch-start'))

    expect(await screen.findByText('Started: 2 new, 0 already made from this file, 1 refused.', { exact: false })).toBeInTheDocument()
    const refused = screen.getByTestId('batch-row-3')
    expect(within(refused).getByText("Refused by your plan's limits")).toBeInTheDocument()
    expect(refused).toHaveTextContent('daily video limit reached (3 per day)')
    expect(await within(screen.getByTestId('batch-row-1')).findByText('40% · voice')).toBeInTheDocument()
    expect(await screen.findByTestId('batch-post-2')).toHaveTextContent('Scheduled')
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/v1/posts')?.body as {
      video_id: string
      scheduled_at: string
      targets: { social_account_id: string }[]
    }
    expect(post.video_id).toBe('v2')
    expect(post.scheduled_at).toBe('2099-12-24T18:00:00+01:00')
    expect(post.targets.map((t) => t.social_account_id)).toEqual(['yt-1'])

    // the refused row may be started again: the same file, the rows already made answer "existing"
    await user.click(screen.getByTestId('batch-start'))
    await waitFor(() => expect(starts).toHaveLength(2))
    expect(starts[1]).toEqual(starts[0])
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/posts')).toHaveLength(1)
  }, 20_000)
})
