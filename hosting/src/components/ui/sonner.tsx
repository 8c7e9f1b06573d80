import { useSyncExternalStore } from 'react'
import { Toaster as Sonner, toast, type ToasterProps } from 'sonner'
import { useTheme } from '@/contexts/theme'

/** Phones: dialogs put their buttons at the bottom, where toasts would cover them. */
export const PHONE_QUERY = '(max-width: 639px)'

/** Where toasts appear: at the top on a phone (clear of dialog buttons), bottom-right elsewhere. */
export function toastPosition(phone: boolean): NonNullable<ToasterProps['position']> {
  return phone ? 'top-center' : 'bottom-right'
}

function subscribe(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {}
  const query = window.matchMedia(PHONE_QUERY)
  query.addEventListener('change', onChange)
  return () => query.removeEventListener('change', onChange)
}

function isPhone(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(PHONE_QUERY).matches
}

/** App-wide toaster that follows the theme. Call `toast(...)` from anywhere. */
export function Toaster() {
  const { resolvedTheme } = useTheme()
  const phone = useSyncExternalStore(subscribe, isPhone, () => false)
  return (
    <Sonner
      theme={resolvedTheme}
      position={toastPosition(phone)}
      richColors
      closeButton
      toastOptions={{ classNames: { toast: 'border bg-popover text-popover-foreground shadow-xl' } }}
    />
  )
}

export { toast }
