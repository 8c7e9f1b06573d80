import { Toaster as Sonner, toast } from 'sonner'
import { useTheme } from '@/contexts/theme'

/** App-wide toaster that follows the theme. Call `toast(...)` from anywhere. */
export function Toaster() {
  const { resolvedTheme } = useTheme()
  return (
    <Sonner
      theme={resolvedTheme}
      position="bottom-right"
      richColors
      closeButton
      toastOptions={{ classNames: { toast: 'border bg-popover text-popover-foreground shadow-xl' } }}
    />
  )
}

export { toast }
