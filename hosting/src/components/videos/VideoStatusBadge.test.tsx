import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderWithProviders } from '@/test/render'
import { VIDEO_STATUS_BADGE, isActive } from '@/lib/video-status'
import { VideoStatusBadge } from './VideoStatusBadge'

describe('VideoStatusBadge', () => {
  it.each([
    ['queued', 'Queued', 'secondary'],
    ['processing', 'Generating', 'warning'],
    ['completed', 'Ready', 'success'],
    ['failed', 'Failed', 'destructive'],
  ] as const)('maps %s to "%s" (%s)', (status, label, variant) => {
    renderWithProviders(<VideoStatusBadge status={status} />)
    const badge = screen.getByText(label)
    expect(badge).toHaveAttribute('data-status', status)
    expect(VIDEO_STATUS_BADGE[status].variant).toBe(variant)
  })

  it('treats queued and processing as active', () => {
    expect(isActive('queued')).toBe(true)
    expect(isActive('processing')).toBe(true)
    expect(isActive('completed')).toBe(false)
    expect(isActive('failed')).toBe(false)
    expect(isActive(undefined)).toBe(false)
  })
})
