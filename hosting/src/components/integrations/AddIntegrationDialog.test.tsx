import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { AddIntegrationDialog } from './AddIntegrationDialog'

const openai = {
  id: 'openai', display_name: 'OpenAI', category: 'script', categories: ['script', 'voice'], auth_method: 'api_key',
  needs_key: true, docs_url: null, keys_url: null, used_for: 'Scripts and voice', key_format: 'sk-…',
  options: {}, offline_fallback: null, configured: false, integration_id: null, is_active: null, validation_status: null,
  status: 'active', status_reason: null,
}

describe('AddIntegrationDialog', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('says honestly that keys can be revealed, and keeps the format hint beside the error', async () => {
    mockApi({
      'GET /api/v1/integrations/available': () => ({ items: [openai] }),
      'POST /api/v1/integrations': () =>
        errorResponse(422, 'validation_failed', 'invalid key', [{ field: 'body.api_key', message: 'This does not look like an OpenAI key.' }]),
    })
    renderWithProviders(<AddIntegrationDialog open onOpenChange={() => {}} category={null} />)
    const dialog = await screen.findByRole('dialog')
    expect(dialog).toHaveTextContent('shown masked; only you can reveal yours, with the eye button')
    expect(dialog).not.toHaveTextContent('only ever shown masked')
    const user = userEvent.setup({ delay: null })
    await user.click(await screen.findByRole('radio', { name: /OpenAI/ }))
    expect(screen.getByText('Expected format: sk-…')).toBeInTheDocument()
    await user.type(screen.getByLabelText('API key'), 'sk-bad')
    await user.click(screen.getByTestId('integration-submit'))
    expect(await screen.findByText('This does not look like an OpenAI key.')).toBeInTheDocument()
    expect(screen.getByText('Expected format: sk-…')).toBeInTheDocument()
    expect(screen.getByLabelText('API key')).toHaveAttribute('aria-describedby', 'integration-key-msg integration-key-hint')
  }, 30_000)
})
