import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { ConfirmDialog } from '@/components/ConfirmDialog'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import {
  useCancelSubscription,
  useChangePlan,
  useCheckout,
  useInvoices,
  usePlans,
  usePortal,
  useReactivateSubscription,
  useSubscriptionStatus,
  useUpcomingInvoice,
  type PlanId,
} from '@/hooks/useSubscription'

const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused']

function money(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100)
}

function day(value: string | null | undefined, locale: string): string {
  return value ? new Date(value).toLocaleDateString(locale, { dateStyle: 'medium' }) : ''
}

/** Settings › Subscription: my plan and period, upgrade, portal, cancel, reactivate, invoices. */
export function SubscriptionSettings() {
  const { t, i18n } = useTranslation()
  const locale = i18n.language
  const [params] = useSearchParams()
  const plans = usePlans()
  const status = useSubscriptionStatus()
  const live = Boolean(status.data?.status && LIVE.includes(status.data.status))
  const invoices = useInvoices(Boolean(status.data))
  const upcoming = useUpcomingInvoice(live)
  const checkout = useCheckout()
  const portal = usePortal()
  const cancel = useCancelSubscription()
  const reactivate = useReactivateSubscription()
  const changePlan = useChangePlan()
  const [confirmCancel, setConfirmCancel] = useState(false)

  if (plans.error || status.error) return <ErrorAlert error={plans.error ?? status.error} />
  if (!plans.data || !status.data) {
    return (
      <div className="flex flex-col gap-3" aria-busy="true">
        <Skeleton className="h-32 w-full" />
        <Skeleton className="h-32 w-full" />
      </div>
    )
  }
  const current = status.data
  const paid = plans.data.plans.filter((p) => p.id !== 'free')
  const otherPlan: PlanId | null = current.plan === 'monthly' ? 'annual' : current.plan === 'annual' ? 'monthly' : null
  const actionError = checkout.error ?? portal.error ?? reactivate.error ?? changePlan.error

  return (
    <div className="flex flex-col gap-4">
      {params.get('checkout') === 'success' ? (
        <p role="status" className="rounded-lg bg-success/15 px-3 py-2 text-sm text-success">
          {t('settings.subscription.checkoutSuccess')}
        </p>
      ) : null}
      {params.get('checkout') === 'cancelled' ? (
        <p role="status" className="rounded-lg bg-muted px-3 py-2 text-sm">
          {t('settings.subscription.checkoutCancelled')}
        </p>
      ) : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      <Card>
        <CardHeader>
          <CardTitle className="flex flex-wrap items-center gap-2">
            {t('settings.subscription.title')}
            {plans.data.emulated ? <Badge variant="warning">{t('settings.subscription.emulated')}</Badge> : null}
          </CardTitle>
          <CardDescription>{t('settings.subscription.description')}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          <p className="text-sm">
            <span className="font-medium">{t('settings.subscription.currentPlan')}</span>{' '}
            <Badge variant={current.is_premium ? 'brand' : 'secondary'}>
              {current.plan === 'annual'
                ? t('settings.subscription.plans.annual')
                : current.plan === 'monthly'
                  ? t('settings.subscription.plans.monthly')
                  : current.source === 'admin_grant' || current.source === 'admin'
                    ? t('settings.subscription.plans.granted')
                    : t('settings.subscription.plans.free')}
            </Badge>
          </p>
          {live && current.current_period_end ? (
            <p className="text-sm text-muted-foreground">
              {current.cancel_at_period_end
                ? t('settings.subscription.endsOn', { date: day(current.current_period_end, locale) })
                : t('settings.subscription.renewsOn', { date: day(current.current_period_end, locale) })}
            </p>
          ) : null}
          {current.status === 'past_due' ? (
            <p role="alert" className="text-sm text-destructive">
              {t('settings.subscription.pastDue', { date: day(current.grace_until, locale) })}
            </p>
          ) : null}
          {!plans.data.billing_enabled ? (
            <p className="text-sm text-muted-foreground">{t('settings.subscription.billingOff')}</p>
          ) : live ? (
            <div className="flex flex-wrap gap-2">
              <Button variant="outline" onClick={() => portal.mutate()} disabled={portal.isPending}>
                {t('settings.subscription.manage')}
              </Button>
              {otherPlan ? (
                <Button variant="outline" onClick={() => changePlan.mutate(otherPlan)} disabled={changePlan.isPending}>
                  {otherPlan === 'annual'
                    ? t('settings.subscription.switchAnnual')
                    : t('settings.subscription.switchMonthly')}
                </Button>
              ) : null}
              {current.cancel_at_period_end ? (
                <Button onClick={() => reactivate.mutate()} disabled={reactivate.isPending}>
                  {t('settings.subscription.reactivate')}
                </Button>
              ) : (
                <Button variant="destructive" onClick={() => setConfirmCancel(true)}>
                  {t('settings.subscription.cancel')}
                </Button>
              )}
            </div>
          ) : current.role !== 'admin' ? (
            <div className="grid gap-3 sm:grid-cols-2">
              {paid.map((plan) => (
                <div key={plan.id} className="flex flex-col gap-2 rounded-lg border p-4">
                  <p className="font-medium">
                    {plan.id === 'annual' ? t('settings.subscription.plans.annual') : t('settings.subscription.plans.monthly')}
                  </p>
                  <p className="text-2xl font-semibold">
                    {money(plan.amount, plan.currency, locale)}
                    <span className="text-sm font-normal text-muted-foreground">
                      {plan.interval === 'year' ? t('settings.subscription.perYear') : t('settings.subscription.perMonth')}
                    </span>
                  </p>
                  <Button
                    variant="brand"
                    onClick={() => checkout.mutate(plan.id as PlanId)}
                    disabled={checkout.isPending}
                  >
                    {plan.id === 'annual' ? t('settings.subscription.upgradeAnnual') : t('settings.subscription.upgradeMonthly')}
                  </Button>
                </div>
              ))}
            </div>
          ) : null}
        </CardContent>
      </Card>
      {upcoming.data?.invoice ? (
        <Card>
          <CardHeader>
            <CardTitle>{t('settings.subscription.nextInvoice')}</CardTitle>
          </CardHeader>
          <CardContent className="text-sm">
            {t('settings.subscription.nextInvoiceLine', {
              amount: money(upcoming.data.invoice.amount_due, upcoming.data.invoice.currency, locale),
              date: day(upcoming.data.invoice.next_payment_attempt, locale),
            })}
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>{t('settings.subscription.invoices')}</CardTitle>
        </CardHeader>
        <CardContent>
          {invoices.error ? <ErrorAlert error={invoices.error} /> : null}
          {invoices.data && invoices.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">{t('settings.subscription.noInvoices')}</p>
          ) : null}
          <ul className="flex flex-col divide-y">
            {(invoices.data?.items ?? []).map((invoice) => (
              <li key={invoice.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  {day(invoice.created, locale)} · {invoice.number ?? invoice.id}
                </span>
                <span className="flex items-center gap-3">
                  <span>{money(invoice.amount_paid || invoice.amount_due, invoice.currency, locale)}</span>
                  <Badge variant={invoice.status === 'paid' ? 'success' : 'warning'}>{invoice.status}</Badge>
                  {invoice.invoice_pdf ? (
                    <a className="text-primary underline-offset-4 hover:underline" href={invoice.invoice_pdf}>
                      {t('settings.subscription.pdf')}
                    </a>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title={t('settings.subscription.cancelTitle')}
        description={t('settings.subscription.cancelDescription', { date: day(current.current_period_end, locale) })}
        confirmLabel={t('settings.subscription.cancelConfirm')}
        pendingLabel={t('settings.subscription.cancelling')}
        onConfirm={() => cancel.mutate(undefined, { onSuccess: () => setConfirmCancel(false) })}
        pending={cancel.isPending}
        error={cancel.error}
      />
    </div>
  )
}
