import { AlertTriangle } from 'lucide-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '@/api/errors'
import { UpgradeForError } from '@/components/billing/UpgradePrompt'
import { cn } from '@/lib/utils'

/** The message of an API (or other) error, for people: the backend's own message when it sent one. */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError || error instanceof Error) return error.message || fallback
  return fallback
}

export function ErrorAlert({ error, action, className }: { error: unknown; action?: ReactNode; className?: string }) {
  const { t } = useTranslation()
  return (
    <div
      role="alert"
      className={cn(
        'flex items-start gap-3 rounded-lg border border-destructive/40 bg-destructive/10 p-3 text-sm text-destructive',
        className,
      )}
    >
      <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p className="min-w-0 flex-1 break-words">{errorMessage(error, t('common.unknownError'))}</p>
      {action ?? <UpgradeForError error={error} />}
    </div>
  )
}
