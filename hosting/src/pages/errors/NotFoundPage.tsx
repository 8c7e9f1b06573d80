import { Compass } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { StatusMessage } from './StatusMessage'

export function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <StatusMessage
      code="404"
      icon={Compass}
      title={t('errors.notFound.title')}
      description={t('errors.notFound.description')}
      actions={
        <Button asChild variant="brand">
          <Link to="/">{t('errors.backToDashboard')}</Link>
        </Button>
      }
    />
  )
}
