import type { ParseKeys } from 'i18next'
import type { Role } from '@/contexts/auth'

export const ROLE_LABEL_KEYS = {
  free: 'roles.free',
  premium: 'roles.premium',
  admin: 'roles.admin',
} as const satisfies Record<Role, ParseKeys>
