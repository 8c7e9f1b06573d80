/** Number formats for analytics figures, in the UI language. */

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value)
}

export function formatCompact(value: number, language: string): string {
  return new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
}

export function formatPercent(ratio: number, language: string, digits = 1): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: digits }).format(ratio)
}

/** Seconds of watch time as hours (or minutes under an hour). */
export function formatDuration(seconds: number, language: string): string {
  if (Math.abs(seconds) >= 3600)
    return new Intl.NumberFormat(language, { style: 'unit', unit: 'hour', maximumFractionDigits: 1 }).format(seconds / 3600)
  return new Intl.NumberFormat(language, { style: 'unit', unit: 'minute', maximumFractionDigits: 0 }).format(seconds / 60)
}

/** One metric's value the way people read it: rates as %, watch time as hours, the rest as counts. */
export function formatMetric(metric: string, value: number, language: string): string {
  if (metric === 'engagement_rate') return formatPercent(value, language, 2)
  if (metric === 'watch_time_s') return formatDuration(value, language)
  return formatCount(value, language)
}

/** "Dec 3" for a YYYY-MM-DD day (a calendar day: no time-zone shift). */
export function formatDay(day: string, language: string): string {
  const [y = 1970, m = 1, d = 1] = day.split('-').map(Number)
  return new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  )
}

export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}
