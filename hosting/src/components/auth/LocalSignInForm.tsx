import { useId, useState, type FormEvent } from 'react'
import { LogIn } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ParseKeys } from 'i18next'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { DISPLAY_NAME_MAX, validateLocalSignIn, type LocalSignInErrors } from '@/lib/local-identity'

const ERROR_KEYS = {
  email: { required: 'auth.local.errors.emailRequired', invalid: 'auth.local.errors.emailInvalid' },
  displayName: { required: 'auth.local.errors.nameRequired', tooLong: 'auth.local.errors.nameTooLong' },
} as const satisfies {
  email: Record<NonNullable<LocalSignInErrors['email']>, ParseKeys>
  displayName: Record<NonNullable<LocalSignInErrors['displayName']>, ParseKeys>
}

/**
 * Emulator-only sign-in: email + display name, no Google round trip, so the
 * local platform works offline. The same email always signs in the same user.
 */
export function LocalSignInForm({
  onSubmit,
  disabled = false,
}: {
  onSubmit: (email: string, displayName: string) => Promise<void>
  disabled?: boolean
}) {
  const { t } = useTranslation()
  const id = useId()
  const [email, setEmail] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [errors, setErrors] = useState<LocalSignInErrors>({})
  const [pending, setPending] = useState(false)

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const found = validateLocalSignIn(email, displayName)
    setErrors(found)
    if (found.email || found.displayName) return
    setPending(true)
    try {
      await onSubmit(email.trim(), displayName.trim())
    } finally {
      setPending(false)
    }
  }

  const emailError = errors.email ? t(ERROR_KEYS.email[errors.email]) : undefined
  const nameError = errors.displayName ? t(ERROR_KEYS.displayName[errors.displayName], { max: DISPLAY_NAME_MAX }) : undefined

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)} className="flex flex-col gap-4" aria-label={t('auth.local.title')}>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-email`}>{t('auth.local.email')}</Label>
        <Input
          id={`${id}-email`}
          type="email"
          autoComplete="email"
          inputMode="email"
          placeholder={t('auth.local.emailPlaceholder')}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? `${id}-email-error` : undefined}
        />
        {emailError && (
          <p id={`${id}-email-error`} className="text-xs font-medium text-destructive">
            {emailError}
          </p>
        )}
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-name`}>{t('auth.local.displayName')}</Label>
        <Input
          id={`${id}-name`}
          autoComplete="name"
          placeholder={t('auth.local.displayNamePlaceholder')}
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-error` : undefined}
        />
        {nameError && (
          <p id={`${id}-name-error`} className="text-xs font-medium text-destructive">
            {nameError}
          </p>
        )}
      </div>
      <Button type="submit" variant="secondary" disabled={disabled || pending} className="w-full">
        <LogIn aria-hidden />
        {pending ? t('auth.signingIn') : t('auth.local.submit')}
      </Button>
    </form>
  )
}
