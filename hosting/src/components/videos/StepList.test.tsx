import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { VideoStep } from '@/api/types'
import { renderWithProviders } from '@/test/render'
import { StepList } from './StepList'

const step = (overrides: Partial<VideoStep>): VideoStep => ({
  step: 'assembly',
  status: 'running',
  provider: 'ffmpeg',
  attempts: 1,
  started_at: null,
  finished_at: null,
  error: null,
  note: null,
  progress: null,
  fallback: null,
  ...overrides,
})

describe('StepList', () => {
  it('shows the frames a running assembly has done and the estimate', () => {
    renderWithProviders(
      <StepList steps={[step({ progress: { fraction: 0.4, done: 360, total: 900, unit: 'frames', eta_s: 11.2 } })]} />,
    )
    expect(screen.getByTestId('step-progress')).toHaveTextContent('360 of 900 frames · about 12 s left')
  })

  it('shows no frames once the step is done', () => {
    renderWithProviders(
      <StepList steps={[step({ status: 'done', progress: { fraction: 1, done: 900, total: 900, unit: 'frames', eta_s: 0 } })]} />,
    )
    expect(screen.queryByTestId('step-progress')).toBeNull()
  })
})
