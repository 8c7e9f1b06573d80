import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { Video } from '@/api/types'
import { renderWithProviders } from '@/test/render'
import { VideoCard, thumbnailAspect } from './VideoCard'

const base = {
  id: 'v1', template_id: 'sys-viral-hook', template_name: 'Viral Hook', instructions: null, description: null, hashtags: [],
  status: 'completed', current_step: null, progress: 100, steps: [], error: null, duration_s: 30, size_bytes: 1000,
  video_url: null, download_url: null, thumbnail_url: '/thumb.jpg', created_at: '2026-12-01T10:00:00Z', updated_at: null,
  completed_at: null, expires_at: null,
} as unknown as Video

function card(video: Partial<Video>) {
  renderWithProviders(
    <MemoryRouter>
      <VideoCard video={{ ...base, ...video } as Video} />
    </MemoryRouter>,
  )
}

describe('VideoCard', () => {
  it('shows a 16:9 thumbnail in a 16:9 box, whole (not cropped into a portrait card)', () => {
    card({ width: 1920, height: 1080, title: 'Octopus hearts', topic: 'why octopuses have three hearts' })
    expect(screen.getByTestId('video-thumbnail').style.aspectRatio).toBe('1920 / 1080')
    expect(screen.getByRole('img')).toHaveClass('object-contain')
    expect(thumbnailAspect({ width: null, height: null })).toBe('9 / 16')
  })

  it('keeps titles that start alike apart: the full title on hover and the topic under it', () => {
    const title = 'Why octopuses have three hearts and what each one of them actually does all day long'
    card({ width: 1080, height: 1920, title, topic: 'octopus hearts, the second one' })
    const heading = screen.getByRole('heading', { level: 3 })
    expect(heading).toHaveAttribute('title', title)
    expect(heading).toHaveClass('line-clamp-3')
    expect(screen.getByText('octopus hearts, the second one')).toBeInTheDocument()
    expect(screen.getByText(/Viral Hook · /)).toBeInTheDocument()
  })
})
