import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Navigate, useLocation } from 'react-router'
import { setupStatusQuery } from '@/api/queries'
import { SignInOptions } from '@/components/auth/SignInOptions'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'

export function SignInPage() {
  const { t } = useTranslation()
  const location = useLocation()
  const setup = useQuery(setupStatusQuery)
  // A fresh install with no admin yet gets the first-run explanation instead.
  if (setup.data?.setup_required) return <Navigate to={`/setup${location.search}`} replace />
  return (
    <Card className="w-full max-w-md border-border/60 bg-card/80 shadow-2xl shadow-black/20 backdrop-blur-xl animate-slide-up">
      <CardHeader className="items-center pb-4 text-center">
        <CardTitle className="text-2xl">
          {t('auth.signInTitle')} <span className="text-brand-gradient">{t('app.name')}</span>
        </CardTitle>
        <CardDescription>{t('auth.signInDescription')}</CardDescription>
      </CardHeader>
      <CardContent>
        <SignInOptions />
        <p className="mt-6 text-center text-xs text-muted-foreground">{t('auth.terms')}</p>
      </CardContent>
    </Card>
  )
}
