import { useState } from 'react'
import { FlaskConical } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Button } from '@/components/ui/button'
import { useAuth } from '@/contexts/auth'
import { GoogleIcon } from './GoogleIcon'
import { LocalSignInForm } from './LocalSignInForm'
import { describeSignInError } from './sign-in-errors'

/** Google sign-in, plus the offline local form when the backend runs the Auth emulator. */
export function SignInOptions() {
  const { t } = useTranslation()
  const { isEmulator, signInWithGoogle, signInLocal, error: loginError } = useAuth()
  const [error, setError] = useState<unknown>(null)
  const [pending, setPending] = useState(false)

  const run = async (action: () => Promise<void>) => {
    setError(null)
    setPending(true)
    try {
      await action()
    } catch (caught) {
      setError(caught)
    } finally {
      setPending(false)
    }
  }

  const message = describeSignInError(error ?? loginError, t)

  return (
    <div className="flex flex-col gap-5">
      {message && (
        <p role="alert" className="rounded-lg border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive">
          {message}
        </p>
      )}
      <Button size="lg" variant="outline" className="w-full bg-background" disabled={pending} onClick={() => void run(signInWithGoogle)}>
        <GoogleIcon className="size-5" />
        {t('auth.continueWithGoogle')}
      </Button>
      {isEmulator && (
        <>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wider text-muted-foreground">
            <span className="h-px flex-1 bg-border" />
            {t('auth.local.divider')}
            <span className="h-px flex-1 bg-border" />
          </div>
          <div className="flex items-start gap-2 rounded-lg border border-brand-cyan/30 bg-brand-cyan/5 px-3 py-2 text-xs text-muted-foreground">
            <FlaskConical className="mt-0.5 size-4 shrink-0 text-brand-cyan" aria-hidden />
            <p>{t('auth.local.notice')}</p>
          </div>
          <LocalSignInForm disabled={pending} onSubmit={(email, name) => run(() => signInLocal(email, name))} />
        </>
      )}
    </div>
  )
}
