import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mockApi } from '@/test/api-mock'
import { makeAuth, makeUser, renderWithProviders } from '@/test/render'
import { AdminTemplatesPage } from './AdminTemplatesPage'

const me = makeUser({ uid: 'admin-1', role: 'admin' })

const template = (overrides: Record<string, unknown> = {}) => ({
  id: 'tpl-explainer',
  name: 'Explainer',
  description: 'Short explainers',
  category: 'educational',
  tags: [],
  platforms: ['tiktok'],
  owner_id: null,
  is_system: true,
  is_public: true,
  config: { video_structure: { num_scenes: 5 } },
  version: 3,
  usage_count: 4,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-07T00:00:00Z',
  can_edit: true,
  retired: false,
  ...overrides,
})

const version = (n: number, current = false) => ({
  version: n,
  name: n === 1 ? 'Explainer (first)' : 'Explainer',
  description: '',
  tags: [],
  platforms: [],
  config: {},
  saved_at: '2026-12-07T00:00:00Z',
  saved_by: n === 1 ? null : 'admin-1',
  note: null,
  current,
})

afterEach(() => vi.unstubAllGlobals())

function renderPage() {
  return renderWithProviders(
    <MemoryRouter>
      <AdminTemplatesPage />
    </MemoryRouter>,
    { auth: makeAuth({ status: 'signed-in', user: me }) },
  )
}

describe('AdminTemplatesPage', () => {
  it('retires a system template and brings it back', async () => {
    let retired = false
    const { calls } = mockApi({
      'GET /api/v1/admin/templates': () => ({ items: [template({ retired })] }),
      'POST /api/v1/admin/templates/tpl-explainer/retire': async (req) => {
        retired = ((await req.json()) as { retired: boolean }).retired
        return template({ retired })
      },
    })
    renderPage()
    const card = await screen.findByTestId('system-template-tpl-explainer')
    expect(within(card).getByText('v3')).toBeInTheDocument()
    await userEvent.click(within(card).getByRole('button', { name: 'Retire' }))
    expect(await within(card).findByText('Retired')).toBeInTheDocument()
    await userEvent.click(within(card).getByRole('button', { name: 'Bring back' }))
    await waitFor(() => expect(within(card).queryByText('Retired')).not.toBeInTheDocument())
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ retired: true }, { retired: false }])
  })

  it('shows the version history, previews a version and restores it', async () => {
    const { calls } = mockApi({
      'GET /api/v1/admin/templates': () => ({ items: [template()] }),
      'GET /api/v1/admin/templates/tpl-explainer/versions': () => ({
        template_id: 'tpl-explainer',
        current_version: 3,
        items: [version(3, true), version(2), version(1)],
      }),
      'GET /api/v1/admin/templates/tpl-explainer/preview': (_r, url) => ({
        template_id: 'tpl-explainer',
        version: Number(url.searchParams.get('version') ?? 3),
        config: { video_structure: { num_scenes: 4 } },
        seconds_per_scene: 7.5,
        filled_by_default: ['text_style.font'],
        differs_from_current: ['video_structure.num_scenes'],
      }),
      'POST /api/v1/admin/templates/tpl-explainer/versions/1/restore': () => template({ version: 4 }),
    })
    renderPage()
    await userEvent.click(await screen.findByRole('button', { name: 'History of Explainer (its versions)' }))
    const dialog = await screen.findByRole('dialog')
    const versions = await within(dialog).findByRole('list', { name: 'Versions' })
    const rows = within(versions).getAllByRole('listitem')
    expect(rows).toHaveLength(3)
    const row = (i: number): HTMLElement => {
      const found = rows[i]
      if (!found) throw new Error(`no version row ${i}`)
      return found
    }
    expect(within(row(0)).getByText('Current')).toBeInTheDocument()
    expect(within(row(0)).queryByRole('button', { name: 'Restore' })).not.toBeInTheDocument()

    await userEvent.click(within(row(2)).getByRole('button', { name: 'View' }))
    const preview = await within(dialog).findByTestId('config-preview')
    expect(preview).toHaveTextContent('Version 1: 4 scenes, about 7.5 s each.')
    expect(preview).toHaveTextContent('video_structure.num_scenes')

    await userEvent.click(within(row(2)).getByRole('button', { name: 'Restore' }))
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/versions/1/restore'))).toBe(true))
  })

  it('links back to the dashboard and offers a new system template', async () => {
    mockApi({ 'GET /api/v1/admin/templates': () => ({ items: [] }) })
    renderPage()
    expect(await screen.findByText('No system templates')).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'Admin dashboard' })).toHaveAttribute('href', '/admin')
    await userEvent.click(screen.getByRole('button', { name: 'New system template' }))
    expect(await screen.findByTestId('template-form')).toBeInTheDocument()
  })
})
