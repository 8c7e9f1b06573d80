import type { ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { configQuery } from '@/api/queries'
import { ConfigContext, type PublicConfig } from '@/contexts/config'
import { AuthBackdrop } from '@/layouts/AuthLayout'
import { FullPageLoader } from './FullPageLoader'
import { ServerUnreachable } from './ServerUnreachable'

/**
 * Loads the public runtime config (`config-get`) before anything else: it
 * says which Firebase project to use and whether the Auth emulator is on.
 * When the API cannot be reached the app says so instead of rendering blank.
 */
export function ConfigGate({ children }: { children: (config: PublicConfig) => ReactNode }) {
  const config = useQuery(configQuery)
  if (config.isPending) return <FullPageLoader />
  if (config.isError) {
    return (
      <AuthBackdrop>
        <ServerUnreachable error={config.error} onRetry={() => void config.refetch()} retrying={config.isFetching} />
      </AuthBackdrop>
    )
  }
  return <ConfigContext.Provider value={config.data}>{children(config.data)}</ConfigContext.Provider>
}
