/** localStorage access that never throws (private mode, disabled storage, SSR). */
export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

export function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value)
  } catch {
    // Storage unavailable: the preference just won't survive a reload.
  }
}

export function readStoredJson<T>(key: string, fallback: T): T {
  const raw = readStored(key)
  if (!raw) return fallback
  try {
    return JSON.parse(raw) as T
  } catch {
    return fallback
  }
}
