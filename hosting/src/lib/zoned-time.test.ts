import { describe, expect, it } from 'vitest'
import { fromLocalInput, nextSlot, toLocalInput, wallTime, zonedToDate } from './zoned-time'

describe('zoned time', () => {
  it('reads an instant on the clocks of another zone', () => {
    const at = new Date('2027-03-02T02:30:00Z')
    expect(wallTime(at, 'America/New_York')).toMatchObject({ year: 2027, month: 3, day: 1, hour: 21, minute: 30 })
    expect(toLocalInput(at, 'Asia/Kolkata')).toBe('2027-03-02T08:00')
  })

  it('finds the instant of a wall time, across DST changes', () => {
    expect(zonedToDate({ year: 2027, month: 7, day: 1, hour: 9, minute: 0 }, 'Europe/Paris').toISOString()).toBe('2027-07-01T07:00:00.000Z')
    expect(zonedToDate({ year: 2027, month: 1, day: 1, hour: 9, minute: 0 }, 'Europe/Paris').toISOString()).toBe('2027-01-01T08:00:00.000Z')
    // 02:30 does not exist in New York on 2027-03-14: it lands after the jump
    const skipped = zonedToDate({ year: 2027, month: 3, day: 14, hour: 2, minute: 30 }, 'America/New_York')
    expect(skipped.toISOString()).toBe('2027-03-14T07:30:00.000Z')
    // 01:30 happens twice on 2027-11-07: the earlier one
    expect(zonedToDate({ year: 2027, month: 11, day: 7, hour: 1, minute: 30 }, 'America/New_York').toISOString()).toBe(
      '2027-11-07T05:30:00.000Z',
    )
    expect(fromLocalInput('2027-05-04T18:15', 'UTC')?.toISOString()).toBe('2027-05-04T18:15:00.000Z')
    expect(fromLocalInput('', 'UTC')).toBeNull()
  })

  it('finds the next occurrence of a weekday and hour in a zone', () => {
    const now = new Date('2027-03-10T12:00:00Z') // a Wednesday
    expect(nextSlot(now, 4, 18, 'Europe/Paris').toISOString()).toBe('2027-03-12T17:00:00.000Z') // Friday 18:00
    expect(nextSlot(now, 2, 9, 'UTC').toISOString()).toBe('2027-03-17T09:00:00.000Z') // today's 09:00 is past
    expect(nextSlot(now, 2, 13, 'UTC').toISOString()).toBe('2027-03-10T13:00:00.000Z')
  })
})
