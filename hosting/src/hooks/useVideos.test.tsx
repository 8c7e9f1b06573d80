import type { ReactNode } from 'react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { POLL_INTERVAL_MS, statusRefetchInterval, useVideoStatus, videoKeys } from './useVideos'

function statusBody(status: string, progress: number) {
  return { id: 'v1', status, progress, current_step: status === 'completed' ? null : 'voice', steps: [], error: null, updated_at: null }
}

describe('statusRefetchInterval', () => {
  it('polls while queued or processing and stops once finished or failed', () => {
    expect(statusRefetchInterval(undefined)).toBe(POLL_INTERVAL_MS)
    expect(statusRefetchInterval({ status: 'queued' })).toBe(POLL_INTERVAL_MS)
    expect(statusRefetchInterval({ status: 'processing' })).toBe(POLL_INTERVAL_MS)
    expect(statusRefetchInterval({ status: 'completed' })).toBe(false)
    expect(statusRefetchInterval({ status: 'failed' })).toBe(false)
  })
})

describe('useVideoStatus', () => {
  beforeEach(() => vi.useFakeTimers({ shouldAdvanceTime: true }))
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('polls every ~2 s until the video completes, then stops and refreshes the video', async () => {
    const answers = [statusBody('processing', 20), statusBody('processing', 60), statusBody('completed', 100)]
    const fetchMock = vi.fn(async (request: Request) => {
      expect(new URL(request.url).pathname).toBe('/api/v1/videos/v1/status')
      const body = answers.shift() ?? statusBody('completed', 100)
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
    })
    vi.stubGlobal('fetch', fetchMock)
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    queryClient.setQueryData(videoKeys.detail('v1'), { id: 'v1', status: 'processing' })
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries')
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    const { result } = renderHook(() => useVideoStatus('v1'), { wrapper })

    await waitFor(() => expect(result.current.data?.progress).toBe(20))
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS))
    await waitFor(() => expect(result.current.data?.progress).toBe(60))
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS))
    await waitFor(() => expect(result.current.data?.status).toBe('completed'))
    expect(invalidate).toHaveBeenCalledWith({ queryKey: videoKeys.detail('v1') })

    const calls = fetchMock.mock.calls.length
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 5))
    expect(fetchMock.mock.calls.length).toBe(calls)
  })

  it('keeps polling when a read still says review after Continue made the video processing', async () => {
    const answers = [statusBody('review', 0), statusBody('processing', 40), statusBody('completed', 100)]
    const fetchMock = vi.fn(async () => {
      const body = answers.shift() ?? statusBody('completed', 100)
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
    })
    vi.stubGlobal('fetch', fetchMock)
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
    queryClient.setQueryData(videoKeys.detail('v1'), { id: 'v1', status: 'processing' })
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries')
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    const { result } = renderHook(() => useVideoStatus('v1'), { wrapper })

    await waitFor(() => expect(result.current.data?.status).toBe('review'))
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS))
    await waitFor(() => expect(result.current.data?.progress).toBe(40))
    await act(() => vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS))
    await waitFor(() => expect(result.current.data?.status).toBe('completed'))
    expect(invalidate).toHaveBeenCalledWith({ queryKey: videoKeys.detail('v1') })
  })
})
