/** The backend's stable error body: `{"error": {"code", "message", "details"}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown }
}

/** Codes the client itself produces when no error body came back. */
export const CLIENT_ERROR_CODES = {
  network: 'network_error',
  invalidResponse: 'invalid_response',
  http: 'http_error',
} as const

/** Every failed API call rejects with this. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly details: unknown
  /** The request's trace id (the API logs it with every line): what to quote when reporting a failure. */
  readonly requestId: string | null

  constructor(init: {
    code: string
    message: string
    status: number
    details?: unknown
    cause?: unknown
    requestId?: string | null
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'ApiError'
    this.code = init.code
    this.status = init.status
    this.details = init.details
    this.requestId = init.requestId ?? null
  }

  /** True when the server could not be reached at all (or answered with something that is not our API). */
  get isUnreachable(): boolean {
    return this.code === CLIENT_ERROR_CODES.network || this.code === CLIENT_ERROR_CODES.invalidResponse || this.status >= 502
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const inner = (value as { error: unknown }).error
  return (
    typeof inner === 'object' &&
    inner !== null &&
    typeof (inner as { code?: unknown }).code === 'string' &&
    typeof (inner as { message?: unknown }).message === 'string'
  )
}

/** The trace id of an answer: a 500's `details.trace_id`, else the `X-Cloud-Trace-Context` header's `<trace>/<span>;o=1`. */
export function requestIdOf(response: Response, details: unknown): string | null {
  if (typeof details === 'object' && details !== null && typeof (details as { trace_id?: unknown }).trace_id === 'string') {
    return (details as { trace_id: string }).trace_id
  }
  const header = response.headers.get('X-Cloud-Trace-Context')
  const trace = header?.split('/')[0]?.trim()
  return trace ? trace : null
}

/** Build an ApiError from a non-2xx response, reading the error body when there is one. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = undefined
  try {
    const text = await response.text()
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  if (isApiErrorBody(body)) {
    return new ApiError({ ...body.error, status: response.status, requestId: requestIdOf(response, body.error.details) })
  }
  return new ApiError({
    code: CLIENT_ERROR_CODES.http,
    message: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    details: body,
    requestId: requestIdOf(response, undefined),
  })
}
