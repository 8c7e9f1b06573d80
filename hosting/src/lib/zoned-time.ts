/**
 * Wall-clock times in an IANA time zone (the user's, which may differ from the
 * browser's), with nothing but Intl: the parts of an instant in a zone, and the
 * instant of a wall-clock time in a zone.
 */

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number }

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall-clock time of `instant` in `timeZone`. */
export function wallTime(instant: Date, timeZone: string): WallTime & { second: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]))
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  }
}

function offsetMs(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000
}

/**
 * The instant when the clocks of `timeZone` show `wall`. A time skipped by a
 * DST jump lands just after the jump; a repeated one takes the earlier instant.
 */
export function zonedToDate(wall: WallTime, timeZone: string): Date {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute)
  const first = guess - offsetMs(new Date(guess), timeZone)
  const second = guess - offsetMs(new Date(first), timeZone)
  if (first === second) return new Date(first)
  // Two offsets around a transition: prefer the one that maps back to the wall time, earliest.
  const candidates = [first, second].filter((t) => {
    const w = wallTime(new Date(t), timeZone)
    return w.hour === wall.hour && w.minute === wall.minute && w.day === wall.day
  })
  return new Date(candidates.length ? Math.min(...candidates) : Math.max(first, second))
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `YYYY-MM-DD` of a wall time. */
export function isoDate(w: Pick<WallTime, 'year' | 'month' | 'day'>): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`
}

/** The `datetime-local` input value of an instant in `timeZone`. */
export function toLocalInput(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone)
  return `${isoDate(w)}T${pad(w.hour)}:${pad(w.minute)}`
}

/** The instant of a `datetime-local` input value read in `timeZone` (null when empty or invalid). */
export function fromLocalInput(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value)
  if (!m) return null
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number]
  return zonedToDate({ year, month, day, hour, minute }, timeZone)
}

/** Add whole days to a calendar date (no time zone involved). */
export function addDays(w: Pick<WallTime, 'year' | 'month' | 'day'>, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** Monday = 0 … Sunday = 6 of a calendar date. */
export function weekday(w: Pick<WallTime, 'year' | 'month' | 'day'>): number {
  return (new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7
}

/**
 * The next instant after `now` when it is `weekday` (Monday = 0) at `hour`:00 in
 * `timeZone` (the best-time slots of the analytics heatmap).
 */
export function nextSlot(now: Date, weekdayIndex: number, hour: number, timeZone: string): Date {
  const today = wallTime(now, timeZone)
  for (let i = 0; i < 8; i++) {
    const day = addDays(today, i)
    if (weekday(day) !== weekdayIndex) continue
    const at = zonedToDate({ ...day, hour, minute: 0 }, timeZone)
    if (at.getTime() > now.getTime()) return at
  }
  return zonedToDate({ ...addDays(today, 7), hour, minute: 0 }, timeZone)
}
