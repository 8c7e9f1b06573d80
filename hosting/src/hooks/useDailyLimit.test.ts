import { describe, expect, it } from 'vitest'
import { readDailyLimit } from './useDailyLimit'

const usage = (overrides: Record<string, unknown> = {}) =>
  ({
    role: 'free',
    day: '2026-11-24',
    videos_today: 1,
    daily_limit: 3,
    remaining_today: 2,
    active_generations: 0,
    max_concurrent: 1,
    retention_days: 30,
    can_schedule: false,
    can_use_ai_suggestions: false,
    resets_at: '2026-11-25T00:00:00Z',
    ...overrides,
  }) as Parameters<typeof readDailyLimit>[0]

describe('readDailyLimit', () => {
  it('is null until auth-me has loaded', () => {
    expect(readDailyLimit(undefined)).toBeNull()
  })
  it('reads the limit, today’s count and what is left', () => {
    expect(readDailyLimit(usage())).toEqual({ limit: 3, used: 1, remaining: 2, resetsAt: '2026-11-25T00:00:00Z' })
  })
  it('computes what is left when the server leaves it out, never below zero', () => {
    expect(readDailyLimit(usage({ remaining_today: null, videos_today: 5 }))?.remaining).toBe(0)
  })
  it('reports unlimited plans as no limit', () => {
    expect(readDailyLimit(usage({ daily_limit: null, remaining_today: null }))).toMatchObject({ limit: null, remaining: null })
  })
})
