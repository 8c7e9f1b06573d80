import { useQuery } from '@tanstack/react-query'
import { Crown, KeyRound, Rocket } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Navigate, useLocation } from 'react-router'
import { setupStatusQuery } from '@/api/queries'
import { SignInOptions } from '@/components/auth/SignInOptions'
import { FullPageLoader } from '@/components/FullPageLoader'
import { Badge } from '@/components/ui/badge'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'

const STEPS = [
  { icon: KeyRound, key: 'setup.steps.signIn' },
  { icon: Crown, key: 'setup.steps.admin' },
  { icon: Rocket, key: 'setup.steps.invite' },
] as const

/** First run: no admin exists yet, and the first account to sign in becomes the admin. */
export function SetupPage() {
  const { t } = useTranslation()
  const location = useLocation()
  const setup = useQuery(setupStatusQuery)
  if (setup.isPending) return <FullPageLoader inline />
  if (!setup.data?.setup_required) return <Navigate to={`/sign-in${location.search}`} replace />
  return (
    <Card className="w-full max-w-lg border-border/60 bg-card/80 shadow-2xl shadow-black/20 backdrop-blur-xl animate-slide-up">
      <CardHeader className="items-center pb-4 text-center">
        <Badge variant="brand" className="mb-2">
          {t('setup.badge')}
        </Badge>
        <CardTitle className="text-2xl">{t('setup.title')}</CardTitle>
        <CardDescription>{t('setup.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <ol className="flex flex-col gap-3">
          {STEPS.map((step, index) => (
            <li key={step.key} className="flex items-start gap-3 rounded-lg border bg-background/40 p-3 text-sm">
              <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-brand-gradient text-white">
                <step.icon className="size-4" aria-hidden />
              </span>
              <span>
                <span className="sr-only">{t('setup.stepNumber', { number: index + 1 })} </span>
                {t(step.key)}
              </span>
            </li>
          ))}
        </ol>
        <SignInOptions />
      </CardContent>
    </Card>
  )
}
