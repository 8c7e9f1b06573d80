import { describe, expect, it, vi } from 'vitest'
import { ApiError, createApiClient } from './client'

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

function setup(fetchImpl: (request: Request) => Promise<Response>, token: string | null = 'id-token-123') {
  const fetchMock = vi.fn(fetchImpl)
  const client = createApiClient({
    baseUrl: 'http://synthora.test',
    fetch: fetchMock as unknown as typeof fetch,
    getToken: async () => token,
  })
  return { client, fetchMock }
}

const ME = {
  user: { uid: 'u1', email: 'ada@example.com', display_name: 'Ada', photo_url: null, role: 'admin', is_active: true },
  limits: {},
  features: {},
}

describe('API client', () => {
  it('adds the Firebase ID token as a bearer token', async () => {
    const { client, fetchMock } = setup(async () => jsonResponse(ME))
    const { data } = await client.GET('/api/v1/auth/me')
    expect(data?.user.email).toBe('ada@example.com')
    const request = fetchMock.mock.calls[0]?.[0] as Request
    expect(request.url).toBe('http://synthora.test/api/v1/auth/me')
    expect(request.headers.get('Authorization')).toBe('Bearer id-token-123')
  })

  it('sends no Authorization header when signed out', async () => {
    const { client, fetchMock } = setup(async () => jsonResponse({ setup_required: true, message: 'x' }), null)
    await client.GET('/api/v1/auth/setup-status')
    const request = fetchMock.mock.calls[0]?.[0] as Request
    expect(request.headers.has('Authorization')).toBe(false)
  })

  it('sends typed JSON bodies', async () => {
    const { client, fetchMock } = setup(async () =>
      jsonResponse({ user: ME, is_new_user: true, setup_required: false }),
    )
    const { data } = await client.POST('/api/v1/auth/login', { body: { id_token: 'tok' } })
    expect(data?.is_new_user).toBe(true)
    const request = fetchMock.mock.calls[0]?.[0] as Request
    expect(request.method).toBe('POST')
    expect(await request.json()).toEqual({ id_token: 'tok' })
  })

  it('turns the error body into a typed ApiError', async () => {
    const { client } = setup(async () =>
      jsonResponse({ error: { code: 'account_disabled', message: 'This account is deactivated', details: { uid: 'u1' } } }, 403),
    )
    const error = await client.GET('/api/v1/auth/me').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'account_disabled',
      message: 'This account is deactivated',
      status: 403,
      details: { uid: 'u1' },
    })
    expect((error as ApiError).isUnreachable).toBe(false)
  })

  it('reports an error without our body as http_error', async () => {
    const { client } = setup(async () => new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }))
    const error = await client.GET('/api/v1/health').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'http_error', status: 502 })
    expect((error as ApiError).isUnreachable).toBe(true)
  })

  it('reports a failed fetch as network_error', async () => {
    const { client } = setup(async () => {
      throw new TypeError('Failed to fetch')
    })
    const error = await client.GET('/api/v1/config').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'network_error', status: 0, message: 'Failed to fetch' })
    expect((error as ApiError).isUnreachable).toBe(true)
  })

  it('refuses a 200 that is not JSON (an SPA fallback page instead of the API)', async () => {
    const { client } = setup(async () => new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html' } }))
    const error = await client.GET('/api/v1/config').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('accepts an empty 204', async () => {
    const { client } = setup(async () => new Response(null, { status: 204 }))
    const { response } = await client.POST('/api/v1/auth/logout')
    expect(response.status).toBe(204)
  })
})
