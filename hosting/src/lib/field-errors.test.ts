import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/errors'
import { fieldErrorsOf, mapFieldErrors } from './field-errors'

const invalid = (details: unknown) => new ApiError({ code: 'validation_failed', message: 'invalid', status: 422, details })

describe('mapFieldErrors', () => {
  it('maps body.config.* paths to config field names', () => {
    const error = invalid([
      { field: 'body.config.audio.voice_speed', message: 'must be at most 2', min: 0.5, max: 2 },
      { field: 'body.name', message: 'too short' },
    ])
    expect(mapFieldErrors(error, ['body.config.', 'body.'])).toEqual({
      'audio.voice_speed': 'must be at most 2 (0.5–2)',
      name: 'too short',
    })
  })

  it('lists the allowed values of an enum', () => {
    const error = invalid([{ field: 'body.config.visual_style.transitions', message: 'not allowed', allowed: ['fade', 'none'] }])
    expect(mapFieldErrors(error, ['body.config.'])).toEqual({ 'visual_style.transitions': 'not allowed (fade, none)' })
  })

  it('reports a list item on its list too, and joins several errors on one field', () => {
    const error = invalid([
      { field: 'body.config.platform.suggested_hashtags.2', message: 'bad tag' },
      { field: 'body.config.platform.suggested_hashtags.4', message: 'also bad' },
    ])
    const mapped = mapFieldErrors(error, ['body.config.'])
    expect(mapped['platform.suggested_hashtags']).toBe('bad tag also bad')
    expect(mapped['platform.suggested_hashtags.2']).toBe('bad tag')
  })

  it('ignores anything but a 422 with a details list', () => {
    expect(mapFieldErrors(new ApiError({ code: 'x', message: 'x', status: 409, details: [{ field: 'a', message: 'b' }] }))).toEqual({})
    expect(mapFieldErrors(invalid({ field: 'a' }))).toEqual({})
    expect(mapFieldErrors(new Error('boom'))).toEqual({})
    expect(fieldErrorsOf(invalid([{ nope: true }, { field: 'body.a', message: 'm' }]))).toHaveLength(1)
  })
})
