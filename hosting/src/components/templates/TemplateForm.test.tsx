import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, mockApi } from '@/test/api-mock'
import { renderWithProviders } from '@/test/render'
import { CONFIG_SECTIONS } from '@/lib/template-config'
import openapi from '../../../openapi.json'
import { TemplateForm, splitList } from './TemplateForm'

// The form renders every config field: slow on a busy 2-core machine.
const SLOW = 60_000

describe('TemplateForm', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('has an input for every field of the backend’s TemplateConfig schema (openapi.json)', () => {
    type Schema = { $ref?: string; properties?: Record<string, Schema>; allOf?: Schema[] }
    const schemas = (openapi as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas
    const resolve = (s: Schema): Schema => (s.$ref ? resolve(schemas[s.$ref.split('/').pop() as string] as Schema) : s.allOf?.[0] ? resolve(s.allOf[0]) : s)
    const leaves = (s: Schema, prefix: string): string[] => {
      const r = resolve(s)
      if (!r.properties) return [prefix]
      return Object.entries(r.properties).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
    }
    const backend = leaves(schemas.TemplateConfig as Schema, '').sort()
    const editor = CONFIG_SECTIONS.flatMap((s) => s.fields.map((f) => f.path)).sort()
    expect(editor).toEqual(backend)
    renderWithProviders(<TemplateForm onDone={() => {}} onCancel={() => {}} />)
    for (const path of editor) expect(document.querySelector(`[data-config-field="${path}"], #cfg-${path.replace(/[^a-z0-9]+/gi, '-')}`)).not.toBeNull()
  }, SLOW)

  it('shows the API’s 422 details on the fields they name', async () => {
    const { calls } = mockApi({
      'POST /api/v1/templates': () =>
        errorResponse(422, 'validation_failed', 'invalid template config', [
          { field: 'body.config.audio.voice_speed', message: 'must be at most 2', min: 0.5, max: 2 },
          { field: 'body.config.platform.suggested_hashtags.1', message: 'item 1 (\'no way\') must be letters' },
          { field: 'body.name', message: 'String should have at least 1 character' },
        ]),
    })
    renderWithProviders(<TemplateForm onDone={() => {}} onCancel={() => {}} />)
    const user = userEvent.setup({ delay: null })
    await user.type(screen.getByLabelText('Name'), 'Mine')
    await user.clear(screen.getByLabelText('Voice speed'))
    await user.type(screen.getByLabelText('Voice speed'), '3')
    await user.type(screen.getByLabelText('Suggested hashtags'), '#ok')
    await user.click(screen.getByRole('button', { name: 'Create template' }))

    expect(await screen.findByText('must be at most 2 (0.5–2)')).toBeInTheDocument()
    expect(screen.getByLabelText('Voice speed')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Suggested hashtags')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true')
    const body = calls[0]?.body as { config: { audio: { voice_speed: number }; platform: { suggested_hashtags: string[] } } }
    expect(body.config.audio.voice_speed).toBe(3)
    expect(body.config.platform.suggested_hashtags).toEqual(['#ok'])
  }, SLOW)

  it('says what to fix in plain words, in the sticky footer, and brings the field into view', async () => {
    mockApi({
      'POST /api/v1/templates': () =>
        errorResponse(422, 'invalid_template_config', 'the template config is not valid', [
          {
            field: 'body.config.video_structure.duration.min_seconds',
            message: 'The shortest length (120 s) is longer than the longest (40 s): lower the shortest or raise the longest.',
          },
        ]),
    })
    renderWithProviders(<TemplateForm onDone={() => {}} onCancel={() => {}} />)
    const user = userEvent.setup({ delay: null })
    await user.type(screen.getByLabelText('Name'), 'Mine')
    await user.click(screen.getByRole('button', { name: 'Create template' }))

    const footer = screen.getByTestId('template-form-footer')
    const alert = await within(footer).findByRole('alert')
    expect(alert).toHaveTextContent("This template can't be saved yet: fix the highlighted field.")
    expect(alert).not.toHaveTextContent('not valid')
    const field = screen.getByLabelText('Shortest length (seconds)')
    expect(field).toHaveAttribute('aria-invalid', 'true')
    expect(field).toHaveFocus()
    expect(screen.getByText(/The shortest length \(120 s\) is longer than the longest \(40 s\)/)).toBeInTheDocument()
    expect(document.body).not.toHaveTextContent('min_seconds')
  }, SLOW)

  it('warns that editing a system template changes it for everyone, and only then', () => {
    const base = {
      id: 'sys-hook',
      name: 'Viral Hook',
      description: 'Fast and bold',
      category: 'viral' as const,
      tags: [],
      platforms: ['tiktok' as const],
      owner_id: null,
      is_public: true,
      config: {},
      version: 1,
      usage_count: 0,
      created_at: '2026-11-24T10:00:00Z',
      updated_at: '2026-11-24T10:00:00Z',
      can_edit: true,
    }
    const { unmount } = renderWithProviders(
      <TemplateForm template={{ ...base, is_system: true } as never} onDone={() => {}} onCancel={() => {}} />,
    )
    expect(screen.getByTestId('system-template-warning')).toHaveTextContent('Saving changes it for every user')
    unmount()
    renderWithProviders(<TemplateForm template={{ ...base, is_system: false, owner_id: 'me' } as never} onDone={() => {}} onCancel={() => {}} />)
    expect(screen.queryByTestId('system-template-warning')).not.toBeInTheDocument()
  }, SLOW)

  it('splits lists on spaces and commas', () => {
    expect(splitList('#a, b  #c,')).toEqual(['#a', 'b', '#c'])
    expect(splitList(['x'])).toEqual(['x'])
  })
})
