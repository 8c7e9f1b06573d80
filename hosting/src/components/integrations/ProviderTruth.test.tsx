import { screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Integration } from '@/api/types'
import { mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { IntegrationCard } from './IntegrationCard'
import { ReadinessCard } from './ReadinessCard'

// Provider ids and reasons here are test data standing in for what the API sends.
function integration(overrides: Partial<Integration>): Integration {
  return {
    id: 'i1',
    provider: 'runway',
    display_name: 'Runway',
    category: 'video_ai',
    categories: ['video_ai'],
    is_active: true,
    masked_key: 'key_...abcd',
    options: {},
    validation: { status: 'valid', valid: true, message: 'The key works.', http_status: 200, retry_after_s: null, checked_at: null, details: {}, seq: 1, key_version: 1 },
    key_version: 1,
    created_at: '2026-11-24T10:00:00Z',
    updated_at: '2026-11-24T10:00:00Z',
    last_used_at: null,
    provider_status: 'active',
    provider_status_reason: null,
    ...overrides,
  } as Integration
}

describe('the web app says what a stored key really does', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('marks a retired provider’s key with the API’s reason', () => {
    renderWithProviders(
      <IntegrationCard
        integration={integration({
          provider: 'sora',
          display_name: 'OpenAI Sora',
          provider_status: 'retired',
          provider_status_reason: 'OpenAI shut down the Sora Videos API on 24 September 2026; a Sora key can no longer make videos.',
        })}
        onDelete={() => {}}
      />,
    )
    const status = screen.getByTestId('integration-provider-status')
    expect(status).toHaveAttribute('data-status', 'retired')
    expect(screen.getByText('Retired')).toBeInTheDocument()
    expect(screen.getByText(/shut down the Sora Videos API/)).toBeInTheDocument()
  })

  it('marks a key-check-only provider and shows nothing for an active one', () => {
    const { unmount } = renderWithProviders(
      <IntegrationCard
        integration={integration({ provider: 'hailuo', display_name: 'Hailuo (MiniMax)', provider_status: 'key_check_only', provider_status_reason: 'No client yet.' })}
        onDelete={() => {}}
      />,
    )
    expect(screen.getByText('Key check only')).toBeInTheDocument()
    unmount()
    renderWithProviders(<IntegrationCard integration={integration({})} onDelete={() => {}} />)
    expect(screen.queryByTestId('integration-provider-status')).not.toBeInTheDocument()
  })

  it('lists the stored keys a step does not use, with the reason', async () => {
    mockApi({
      'GET /api/v1/integrations/status': () => ({
        can_generate: true,
        configured_categories: ['video_ai'],
        missing_categories: [],
        steps: [
          {
            step: 'video_ai',
            source: 'integration',
            provider: 'runway',
            provider_name: 'Runway',
            integration_id: 'i1',
            validation_status: 'pending',
            available: true,
            note: 'key check pending',
            not_used: [{ integration_id: 'i2', provider: 'hailuo', provider_name: 'Hailuo (MiniMax)', reason: 'key check only: no client yet' }],
          },
        ],
      }),
    })
    renderWithProviders(<ReadinessCard />)
    expect(await screen.findByText('Runway')).toBeInTheDocument()
    const notUsed = screen.getByTestId('readiness-not-used')
    expect(notUsed).toHaveAttribute('data-provider', 'hailuo')
    expect(notUsed).toHaveTextContent('Hailuo (MiniMax) is not used: key check only: no client yet')
  })
})
