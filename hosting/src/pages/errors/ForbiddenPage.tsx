import { ShieldX } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { StatusMessage } from './StatusMessage'

/** 403: an admin page for a non-admin, or the API refusing access (`description` then says what it said). */
export function ForbiddenPage({ description }: { description?: string }) {
  const { t } = useTranslation()
  return (
    <StatusMessage
      code="403"
      icon={ShieldX}
      title={t('errors.forbidden.title')}
      description={description ?? t('errors.forbidden.description')}
      actions={
        <Button asChild variant="brand">
          <Link to="/">{t('errors.backToDashboard')}</Link>
        </Button>
      }
    />
  )
}
