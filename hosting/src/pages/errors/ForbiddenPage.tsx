import { ShieldX } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { StatusMessage } from './StatusMessage'

export function ForbiddenPage() {
  const { t } = useTranslation()
  return (
    <StatusMessage
      code="403"
      icon={ShieldX}
      title={t('errors.forbidden.title')}
      description={t('errors.forbidden.description')}
      actions={
        <Button asChild variant="brand">
          <Link to="/">{t('errors.backToDashboard')}</Link>
        </Button>
      }
    />
  )
}
