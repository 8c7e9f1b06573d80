import '@testing-library/jest-dom/vitest'
import { cleanup, configure } from '@testing-library/react'
import { afterEach, beforeEach, vi } from 'vitest'
import '@/i18n'

// The machines that run the suite are shared 2-core boxes: a query that lands in
// 1.2 s under load is not a failure. findBy*/waitFor wait up to 5 s (not 1 s).
configure({ asyncUtilTimeout: 5_000 })

/** jsdom has no matchMedia; tests control `prefers-color-scheme: dark` through this flag. */
export const mediaState = { prefersDark: false }
const listeners = new Set<(event: MediaQueryListEvent) => void>()

export function setSystemPrefersDark(value: boolean): void {
  mediaState.prefersDark = value
  for (const listener of listeners) listener({ matches: value } as MediaQueryListEvent)
}

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: vi.fn((query: string) => ({
    get matches() {
      return query.includes('dark') ? mediaState.prefersDark : false
    },
    media: query,
    onchange: null,
    addEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: (event: MediaQueryListEvent) => void) => listeners.delete(listener),
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  })),
})

// Radix primitives use these; jsdom lacks them.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver
Element.prototype.scrollIntoView ??= function scrollIntoView() {}
Element.prototype.hasPointerCapture ??= () => false

beforeEach(() => {
  window.localStorage.clear()
  mediaState.prefersDark = false
  document.documentElement.className = ''
})

afterEach(() => {
  cleanup()
})
