import { vi } from 'vitest'

type Handler = (request: Request, url: URL) => unknown | Response | Promise<unknown | Response>

/**
 * Stub `fetch` for the generated client: `routes` maps "METHOD /path" (exact
 * pathname) to a handler returning a JSON body, or a Response. Unmatched
 * requests fail the test with a 599.
 */
export function mockApi(routes: Record<string, Handler>) {
  const calls: { method: string; path: string; body: unknown }[] = []
  const fetchMock = vi.fn(async (request: Request) => {
    const url = new URL(request.url)
    const text = request.method === 'GET' ? '' : await request.clone().text()
    calls.push({ method: request.method, path: url.pathname, body: text ? JSON.parse(text) : undefined })
    const handler = routes[`${request.method} ${url.pathname}`]
    if (!handler) return new Response(JSON.stringify({ error: { code: 'unmocked', message: url.pathname } }), { status: 599 })
    const result = await handler(request, url)
    if (result instanceof Response) return result
    return new Response(JSON.stringify(result), { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { fetchMock, calls }
}

export function errorResponse(status: number, code: string, message: string, details?: unknown): Response {
  return new Response(JSON.stringify({ error: { code, message, details } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}
