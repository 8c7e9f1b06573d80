import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { Video } from '@/api/types'
import { renderWithProviders } from '@/test/render'
import { StepFallbacks } from './StepFallbacks'

type StepOut = Video['steps'][number]

const step = (name: StepOut['step'], fallback: StepOut['fallback'] = null): StepOut => ({
  step: name,
  status: 'done',
  provider: null,
  attempts: 1,
  started_at: null,
  finished_at: null,
  error: null,
  note: null,
  fallback,
  progress: null,
})

const fromOpenAI = {
  from_provider: 'openai',
  from_name: 'OpenAI',
  from_integration_id: 'i1',
  to_provider: 'offline',
  to_integration_id: null,
  message: 'OpenAI could not be reached',
  at: null,
}

describe('StepFallbacks', () => {
  it('says which step left which provider, why, and for what', () => {
    renderWithProviders(
      <StepFallbacks
        steps={[
          step('script', { ...fromOpenAI, to_name: 'template writer', reason: 'unreachable', source_step: null }),
          step('voice', { ...fromOpenAI, to_name: 'piper/espeak-ng', reason: 'failed_earlier', source_step: 'script' }),
          step('media'),
        ]}
      />,
    )
    const items = screen.getAllByRole('listitem').map((li) => li.textContent)
    expect(items).toEqual([
      'Script: OpenAI unreachable → template writer',
      'Voice: OpenAI failed in the Script step → piper/espeak-ng',
    ])
    expect(screen.getByRole('heading', { name: 'Provider fallbacks' })).toBeInTheDocument()
  })

  it('renders nothing when no step fell back', () => {
    const { container } = renderWithProviders(<StepFallbacks steps={[step('script'), step('voice')]} />)
    expect(container).toBeEmptyDOMElement()
  })
})
