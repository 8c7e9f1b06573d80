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

const compatible = {
  ...openai,
  id: 'openai_compatible',
  display_name: 'OpenAI-compatible (Ollama, LM Studio, vLLM, OpenRouter)',
  categories: ['script'],
  used_for: 'Scripts with your own model server',
  key_format: null,
  key_optional: true,
  option_specs: [
    { name: 'base_url', values: [], free_text: true, required: true, description: 'The server base URL.', example: 'http://localhost:11434/v1' },
    { name: 'model', values: [], free_text: true, required: true, description: 'The model name.', example: 'llama3.2' },
  ],
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

  it('takes a base URL and a model as text, with the key optional, and shows the server refusal under the field', async () => {
    const { calls } = mockApi({
      'GET /api/v1/integrations/available': () => ({ items: [compatible] }),
      'POST /api/v1/integrations': () =>
        errorResponse(422, 'validation_failed', 'the options are not valid for this provider', [
          { field: 'body.options.base_url', message: 'the base URL must start with http:// or https://' },
        ]),
    })
    renderWithProviders(<AddIntegrationDialog open onOpenChange={() => {}} category="script" />)
    const user = userEvent.setup({ delay: null })
    await user.click(await screen.findByRole('radio', { name: /OpenAI-compatible/ }))
    expect(screen.getByText(/need no key/)).toBeInTheDocument()
    const base = screen.getByLabelText('Base URL')
    expect(base).toHaveAttribute('placeholder', 'http://localhost:11434/v1')
    await user.type(base, 'localhost:11434')
    await user.type(screen.getByLabelText('Model'), 'llama3.2')
    expect(screen.getByTestId('integration-submit')).toBeEnabled() // no key needed
    await user.click(screen.getByTestId('integration-submit'))
    expect(await screen.findByText('the base URL must start with http:// or https://')).toBeInTheDocument()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      provider: 'openai_compatible',
      api_key: null,
      options: { base_url: 'localhost:11434', model: 'llama3.2' },
    })
  }, 30_000)
})
