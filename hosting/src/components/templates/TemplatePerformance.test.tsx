import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Attribution } from '@/hooks/useSuggestions'
import { renderWithProviders } from '@/test/render'
import { TemplatePerformance, templateStat } from './TemplatePerformance'

const basis = { posts: 30, videos: 24, platforms: ['tiktok'], start: null, end: null, summary: '30 measured posts' }

function stat(value: string, ratio: number, videos: number, confidence_label: 'low' | 'medium' | 'high') {
  return {
    dimension: 'template',
    value,
    label: `template ${value}`,
    posts: videos + 2,
    videos,
    ratio,
    above_median: 5,
    confidence: 0.9,
    confidence_label,
    video_ids: [],
    evidence: `template ${value}: ${ratio.toFixed(1)}x your median views, ${videos} videos`,
  }
}

const attribution: Attribution = {
  status: 'ok',
  message: null,
  basis,
  dimensions: [
    {
      dimension: 'template',
      name: 'template',
      values: [stat('Viral Hook', 1.43, 9, 'high'), stat('tpl-old', 0.62, 6, 'medium')],
      best: null,
      worst: null,
      message: null,
    },
  ],
}

describe('TemplatePerformance', () => {
  it("shows the template's ratio to my median views and its videos", () => {
    renderWithProviders(<TemplatePerformance template={{ id: 'tpl-1', name: 'Viral Hook' }} attribution={attribution} />)
    expect(screen.getByTestId('template-performance')).toHaveTextContent('1.4x your median views · 9 videos · high confidence')
  })

  it('says "not enough data" for a template without enough measured videos', () => {
    renderWithProviders(<TemplatePerformance template={{ id: 'tpl-2', name: 'Calm Explainer' }} attribution={attribution} />)
    expect(screen.getByTestId('template-performance')).toHaveTextContent('Not enough data yet: a template needs 5 measured videos')
  })

  it('says "not enough data" when the whole history is too thin', () => {
    renderWithProviders(
      <TemplatePerformance
        template={{ id: 'tpl-1', name: 'Viral Hook' }}
        attribution={{ status: 'insufficient_data', message: 'Not enough data yet: 3 measured posts', basis, dimensions: [] }}
      />,
    )
    expect(screen.getByTestId('template-performance')).toHaveTextContent('Not enough data yet')
  })

  it('matches a template by name, else by id (videos whose template had no name)', () => {
    expect(templateStat(attribution, { id: 'tpl-old', name: 'Renamed' })?.ratio).toBe(0.62)
    expect(templateStat(attribution, { id: 'x', name: 'Viral Hook' })?.videos).toBe(9)
    expect(templateStat(undefined, { id: 'x', name: 'Viral Hook' })).toBeNull()
  })
})
