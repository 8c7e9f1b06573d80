import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { CalendarPage } from './CalendarPage'

describe('CalendarPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('puts each post on its day in the user’s time zone', async () => {
    vi.useFakeTimers({ now: new Date('2027-03-10T12:00:00Z'), toFake: ['Date'] })
    const { calls } = mockApi({
      'GET /api/v1/posts/calendar/2027/3': () => ({
        year: 2027,
        month: 3,
        timezone: 'America/New_York',
        days: [
          {
            date: '2027-03-01',
            posts: [
              {
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
              },
            ],
          },
        ],
      }),
    })
    renderWithProviders(
      <MemoryRouter>
        <CalendarPage />
      </MemoryRouter>,
    )
    const day = await screen.findByTestId('day-2027-03-01')
    expect(day).toHaveTextContent('Octopus hearts')
    expect(day).toHaveTextContent('9:30')
    expect(screen.getByText('Times in America/New_York')).toBeInTheDocument()
    expect(calls[0]?.path).toBe('/api/v1/posts/calendar/2027/3')
  })
})
