import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import { meQueryKey } from '@/api/queries'

export const subscriptionKeys = {
  all: ['subscriptions'] as const,
  plans: ['subscriptions', 'plans'] as const,
  status: ['subscriptions', 'status'] as const,
  invoices: ['subscriptions', 'invoices'] as const,
  upcoming: ['subscriptions', 'upcoming'] as const,
}

export type PlanId = 'monthly' | 'annual'

/** Free, monthly and annual, with prices, features and whether payments are emulated. */
export function usePlans() {
  return useQuery({ queryKey: subscriptionKeys.plans, queryFn: () => unwrap(api.GET('/api/v1/subscriptions/plans')) })
}

/** My plan, role and subscription state. */
export function useSubscriptionStatus() {
  return useQuery({ queryKey: subscriptionKeys.status, queryFn: () => unwrap(api.GET('/api/v1/subscriptions/status')) })
}

export function useInvoices(enabled: boolean) {
  return useQuery({
    queryKey: subscriptionKeys.invoices,
    queryFn: () => unwrap(api.GET('/api/v1/subscriptions/invoices', { params: { query: { limit: 12 } } })),
    enabled,
  })
}

export function useUpcomingInvoice(enabled: boolean) {
  return useQuery({
    queryKey: subscriptionKeys.upcoming,
    queryFn: () => unwrap(api.GET('/api/v1/subscriptions/invoices/upcoming', { params: { query: {} } })),
    enabled,
  })
}

function useRefresh() {
  const queryClient = useQueryClient()
  return () => {
    void queryClient.invalidateQueries({ queryKey: subscriptionKeys.all })
    void queryClient.invalidateQueries({ queryKey: meQueryKey })
  }
}

/** Start Stripe Checkout (or the local emulated checkout) and go there. */
export function useCheckout() {
  return useMutation({
    mutationFn: (plan: PlanId) => unwrap(api.POST('/api/v1/subscriptions/checkout', { body: { plan } })),
    onSuccess: (session) => window.location.assign(session.url),
  })
}

/** Open the billing portal (card, invoices, plan). */
export function usePortal() {
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/subscriptions/portal')),
    onSuccess: (session) => window.location.assign(session.url),
  })
}

export function useCancelSubscription() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/subscriptions/cancel', { body: { at_period_end: true } })),
    onSuccess: refresh,
  })
}

export function useReactivateSubscription() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/subscriptions/reactivate')),
    onSuccess: refresh,
  })
}

export function useChangePlan() {
  const refresh = useRefresh()
  return useMutation({
    mutationFn: (plan: PlanId) => unwrap(api.POST('/api/v1/subscriptions/change-plan', { body: { plan } })),
    onSuccess: refresh,
  })
}
