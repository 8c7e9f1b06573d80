import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Post } from '@/api/types'
import { Toaster } from '@/components/ui/sonner'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { CalendarPage } from './CalendarPage'

function post(overrides: Partial<Post>): Post {
  return {
    id: 'p1',
    video_id: 'v1',
    video_title: 'Octopus hearts',
    status: 'scheduled',
    scheduled_at: '2027-03-02T02:30:00Z',
    timezone: 'America/New_York',
    revision: 0,
    ai_disclosure: { ai_generated: true, reasons: [], sent_as: {} },
    targets: [],
    created_at: '2027-03-01T00:00:00Z',
    updated_at: '2027-03-01T00:00:00Z',
    ...overrides,
  }
}

const month = (year: number, m: number, days: { date: string; posts: Post[] }[]) => ({ year, month: m, timezone: 'America/New_York', days })

function renderPage() {
  return renderWithProviders(
    <MemoryRouter>
      <CalendarPage />
      <Toaster />
    </MemoryRouter>,
  )
}

describe('CalendarPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('puts each post on its day in the user’s time zone', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-10T12:00:00Z'), toFake: ['Date'] })
    const { calls } = mockApi({
      'GET /api/v1/posts/calendar/2027/3': () => month(2027, 3, [{ date: '2027-03-01', posts: [post({})] }]),
    })
    renderPage()
    const day = await screen.findByTestId('day-2027-03-01')
    expect(day).toHaveTextContent('Octopus hearts')
    expect(day).toHaveTextContent('9:30')
    expect(screen.getByText('Times in America/New_York')).toBeInTheDocument()
    expect(calls[0]?.path).toBe('/api/v1/posts/calendar/2027/3')
  }, 20_000)

  it('drags a scheduled post to another day, keeping its time in the user’s zone', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-10T12:00:00Z'), toFake: ['Date'] })
    const scheduled = post({ id: 'p2', scheduled_at: '2027-03-12T14:15:00Z' }) // 09:15 in New York
    const { calls } = mockApi({
      'GET /api/v1/posts/calendar/2027/3': () => month(2027, 3, [{ date: '2027-03-12', posts: [scheduled] }]),
      'PATCH /api/v1/posts/p2': () => ({ ...scheduled, scheduled_at: '2027-03-20T13:15:00Z' }),
    })
    renderPage()
    const entry = await screen.findByTestId('calendar-post-p2')
    expect(entry).toHaveAttribute('draggable', 'true')
    fireEvent.dragStart(entry)
    fireEvent.dragOver(screen.getByTestId('day-2027-03-20'))
    fireEvent.drop(screen.getByTestId('day-2027-03-20'))
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    // 2027-03-20 09:15 in New York is 13:15 UTC (daylight time began on the 14th)
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ scheduled_at: '2027-03-20T13:15:00.000Z' })
    expect(await screen.findByText('Post rescheduled')).toBeInTheDocument()
  }, 20_000)

  it('shows the refusal when the post is publishing, and refuses a day in the past', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-10T12:00:00Z'), toFake: ['Date'] })
    const scheduled = post({ id: 'p3', scheduled_at: '2027-03-12T14:15:00Z' })
    const { calls } = mockApi({
      'GET /api/v1/posts/calendar/2027/3': () => month(2027, 3, [{ date: '2027-03-12', posts: [scheduled] }]),
      'PATCH /api/v1/posts/p3': () => errorResponse(409, 'post_publishing', 'a target is publishing right now; edit when it finishes'),
    })
    renderPage()
    const entry = await screen.findByTestId('calendar-post-p3')
    fireEvent.dragStart(entry)
    fireEvent.drop(screen.getByTestId('day-2027-03-05'))
    expect(await screen.findByText('That time has passed; choose a time ahead.')).toBeInTheDocument()
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false)
    fireEvent.dragStart(entry)
    fireEvent.drop(screen.getByTestId('day-2027-03-25'))
    expect(await screen.findByText('a target is publishing right now; edit when it finishes')).toBeInTheDocument()
  }, 20_000)

  it('reschedules from the keyboard, shows a week, and opens the Post dialog from an empty slot', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-10T12:00:00Z'), toFake: ['Date'] })
    const scheduled = post({ id: 'p4', scheduled_at: '2027-03-12T14:15:00Z' })
    const published = post({ id: 'p5', status: 'published', scheduled_at: '2027-03-09T15:00:00Z' })
    const { calls } = mockApi({
      'GET /api/v1/posts/calendar/2027/3': () =>
        month(2027, 3, [
          { date: '2027-03-09', posts: [published] },
          { date: '2027-03-12', posts: [scheduled] },
        ]),
      'PATCH /api/v1/posts/p4': () => scheduled,
      'GET /api/v1/social-accounts': () => ({ items: [] }),
      'GET /api/v1/videos': () => ({ items: [], next_cursor: null, has_more: false }),
      'GET /api/v1/analytics/heatmap': () => errorResponse(404, 'not_found', 'no'),
    })
    renderPage()
    const user = userEvent.setup()
    expect(await screen.findByTestId('calendar-post-p5')).toHaveAttribute('draggable', 'false')
    // keyboard: open the entry, type a new time in the calendar's zone, move
    screen.getByTestId('calendar-post-p4').focus()
    await user.keyboard('{Enter}')
    const dialog = await screen.findByTestId('reschedule-dialog')
    const input = within(dialog).getByLabelText('New time (in America/New_York)')
    expect(input).toHaveValue('2027-03-12T09:15')
    await user.clear(input)
    await user.type(input, '2027-03-13T18:45')
    await user.click(within(dialog).getByRole('button', { name: 'Move post' }))
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true))
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ scheduled_at: '2027-03-13T23:45:00.000Z' })
    // a published post cannot be moved
    await user.click(screen.getByTestId('calendar-post-p5'))
    expect(await screen.findByText('Only a post that is still scheduled can be moved.')).toBeInTheDocument()
    await user.keyboard('{Escape}')
    // week view: the post sits in its hour; an empty hour opens the dialog at that time
    await user.click(screen.getByRole('button', { name: 'Week' }))
    expect(screen.getByTestId('calendar-month')).toHaveTextContent('Mar 8')
    expect(within(screen.getByTestId('slot-2027-03-12T9')).getByTestId('calendar-post-p4')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Schedule a video on Sunday, March 14, 2027 at 16:00' }))
    const postDialog = await screen.findByTestId('post-dialog')
    expect(within(postDialog).getByLabelText('Schedule for (your time zone: America/New_York)')).toHaveValue('2027-03-14T16:00')
  }, 40_000)
})
