import createClient, { type Middleware } from 'openapi-fetch'
import type { operations, paths } from './schema'
import { ApiError, CLIENT_ERROR_CODES, apiErrorFromResponse } from './errors'

export { ApiError } from './errors'

/**
 * The JSON body of an operation's 200 (or 201) response, by operationId. Types are
 * derived from operation ids (a stable contract) rather than from component
 * schema names, which are the backend's internal model names.
 */
type JsonBody<R> = R extends { content: { 'application/json': infer T } } ? T : never
export type OperationData<Op extends keyof operations> = operations[Op]['responses'] extends infer R
  ? R extends { 200: infer Ok }
    ? JsonBody<Ok>
    : R extends { 201: infer Created }
      ? JsonBody<Created>
      : never
  : never

/** Returns the current Firebase ID token, or null when signed out. */
export type IdTokenGetter = () => Promise<string | null>

let currentTokenGetter: IdTokenGetter = async () => null

/** The auth layer registers how to get a fresh ID token (Firebase refreshes it as needed). */
export function setIdTokenGetter(getter: IdTokenGetter): void {
  currentTokenGetter = getter
}

/** Adds `Authorization: Bearer <ID token>` when signed in. */
export function authMiddleware(getToken: IdTokenGetter): Middleware {
  return {
    async onRequest({ request }) {
      const token = await getToken()
      if (token) request.headers.set('Authorization', `Bearer ${token}`)
      return request
    },
  }
}

/**
 * Turns every failure into an ApiError: the backend's error body on 4xx/5xx,
 * `network_error` when fetch itself failed, `invalid_response` when a 2xx is
 * not JSON (e.g. an HTML page from a static host that has no API behind it).
 */
export const errorMiddleware: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await apiErrorFromResponse(response)
    const type = response.headers.get('Content-Type') ?? ''
    if (response.status !== 204 && response.headers.get('Content-Length') !== '0' && !type.includes('json')) {
      throw new ApiError({
        code: CLIENT_ERROR_CODES.invalidResponse,
        message: `Expected JSON from the API, got ${type || 'no content type'}`,
        status: response.status,
      })
    }
    return response
  },
  onError({ error }) {
    if (error instanceof ApiError) return error
    return new ApiError({
      code: CLIENT_ERROR_CODES.network,
      message: error instanceof Error ? error.message : 'Network error',
      status: 0,
      cause: error,
    })
  },
}

export interface ApiClientOptions {
  baseUrl?: string
  fetch?: typeof globalThis.fetch
  getToken?: IdTokenGetter
}

/** Typed client for the Synthora API (paths from `src/api/schema.d.ts`). */
export function createApiClient(options: ApiClientOptions = {}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? (typeof window === 'undefined' ? '' : window.location.origin),
    // Resolve fetch lazily so tests that stub globalThis.fetch after import still work.
    fetch: options.fetch ?? ((input: Request) => globalThis.fetch(input)),
  })
  client.use(authMiddleware(options.getToken ?? (() => currentTokenGetter())))
  client.use(errorMiddleware)
  return client
}

export type ApiClient = ReturnType<typeof createApiClient>

/** The app-wide client. The API is same-origin (Firebase Hosting rewrites / local gateway). */
export const api = createApiClient()

/**
 * Unwraps an openapi-fetch result. The middleware already throws ApiError on
 * failure, so a result here is a success; this narrows `data` for callers.
 */
export async function unwrap<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call
  return data as T
}

/**
 * A non-JSON download (the schedule's CSV) with the client's sign-in and error
 * handling: the backend's error body becomes an ApiError, as for JSON calls.
 */
export async function fetchText(path: string, query: Record<string, string> = {}): Promise<string> {
  const url = new URL(path, typeof window === 'undefined' ? 'http://localhost' : window.location.origin)
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value)
  const headers = new Headers()
  const token = await currentTokenGetter()
  if (token) headers.set('Authorization', `Bearer ${token}`)
  let response: Response
  try {
    response = await globalThis.fetch(new Request(url, { headers }))
  } catch (error) {
    throw new ApiError({
      code: CLIENT_ERROR_CODES.network,
      message: error instanceof Error ? error.message : 'Network error',
      status: 0,
      cause: error,
    })
  }
  if (!response.ok) throw await apiErrorFromResponse(response)
  return response.text()
}
