import { clsx, type ClassValue } from 'clsx'
import { twMerge } from 'tailwind-merge'

/** Merge Tailwind class names, later ones winning (shadcn/ui convention). */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs))
}

/** Up to two initials for an avatar fallback. */
export function initials(name: string | null | undefined, email?: string | null): string {
  const source = (name ?? '').trim() || (email ?? '').split('@')[0] || ''
  const parts = source.split(/[\s._-]+/).filter(Boolean)
  const letters = parts.length > 1 ? [parts[0]?.[0], parts[1]?.[0]] : [source[0], source[1]]
  return letters.filter(Boolean).join('').toUpperCase() || '?'
}
