import { createContext, useContext } from 'react'
import type { OperationData } from '@/api/client'

export type PublicConfig = OperationData<'config-get'>

export const ConfigContext = createContext<PublicConfig | null>(null)

export function useRuntimeConfig(): PublicConfig {
  const value = useContext(ConfigContext)
  if (!value) throw new Error('useRuntimeConfig must be used inside <ConfigGate>')
  return value
}
