import { ArrowRight, Clapperboard, LayoutTemplate, Plug, Sparkles, type LucideIcon } from 'lucide-react'
import type { ParseKeys } from 'i18next'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { PageHeader } from '@/components/PageHeader'
import { Button } from '@/components/ui/button'
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { useAuth } from '@/contexts/auth'

const QUICK_LINKS: { to: string; icon: LucideIcon; titleKey: ParseKeys; descriptionKey: ParseKeys }[] = [
  { to: '/templates', icon: LayoutTemplate, titleKey: 'pages.dashboard.quick.templatesTitle', descriptionKey: 'pages.dashboard.quick.templatesDescription' },
  { to: '/videos', icon: Clapperboard, titleKey: 'pages.dashboard.quick.videosTitle', descriptionKey: 'pages.dashboard.quick.videosDescription' },
  { to: '/integrations', icon: Plug, titleKey: 'pages.dashboard.quick.integrationsTitle', descriptionKey: 'pages.dashboard.quick.integrationsDescription' },
]

/** Page shell: stats and recent activity arrive with the videos/analytics features. */
export function DashboardPage() {
  const { t } = useTranslation()
  const { user } = useAuth()
  const name = user?.display_name?.split(' ')[0] || user?.email.split('@')[0] || ''
  return (
    <>
      <PageHeader title={t('pages.dashboard.greeting', { name })} description={t('pages.dashboard.description')} />
      <Card className="relative mb-6 overflow-hidden border-0 bg-brand-gradient p-px shadow-xl shadow-brand-violet/20">
        <div className="relative flex flex-col gap-4 rounded-[calc(var(--radius)+3px)] bg-card/90 p-6 sm:flex-row sm:items-center sm:justify-between sm:p-8">
          <div>
            <h2 className="text-xl font-semibold sm:text-2xl">{t('pages.dashboard.heroTitle')}</h2>
            <p className="mt-1.5 max-w-xl text-sm text-muted-foreground">{t('pages.dashboard.heroDescription')}</p>
          </div>
          <Button asChild variant="brand" size="lg">
            <Link to="/create">
              <Sparkles aria-hidden />
              {t('pages.dashboard.heroAction')}
            </Link>
          </Button>
        </div>
      </Card>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {QUICK_LINKS.map((link) => (
          <Link key={link.to} to={link.to} className="group rounded-xl focus-visible:outline-none">
            <Card className="h-full transition-colors group-hover:border-primary/50 group-focus-visible:ring-2 group-focus-visible:ring-ring">
              <CardHeader>
                <link.icon className="mb-2 size-5 text-primary" aria-hidden />
                <CardTitle className="flex items-center gap-2 text-base">
                  {t(link.titleKey)}
                  <ArrowRight className="size-4 opacity-0 transition-opacity group-hover:opacity-100" aria-hidden />
                </CardTitle>
                <CardDescription>{t(link.descriptionKey)}</CardDescription>
              </CardHeader>
            </Card>
          </Link>
        ))}
      </div>
    </>
  )
}
