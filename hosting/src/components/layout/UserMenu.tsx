import { LogOut, Settings } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Avatar, AvatarFallback, AvatarImage } from '@/components/ui/avatar'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { toast } from '@/components/ui/sonner'
import { useAuth } from '@/contexts/auth'
import { ROLE_LABEL_KEYS } from '@/lib/roles'
import { initials } from '@/lib/utils'

export function UserMenu() {
  const { t } = useTranslation()
  const { user, signOut } = useAuth()
  if (!user) return null
  const name = user.display_name || user.email || user.uid
  const onSignOut = async () => {
    try {
      await signOut()
    } catch {
      toast.error(t('auth.errors.signOutFailed'))
    }
  }
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full">
          {/* named by its text, not aria-label: the initials it shows are decoration (axe label-content-name-mismatch) */}
          <span className="sr-only">{t('userMenu.open')}</span>
          <Avatar className="size-8" aria-hidden>
            {user.photo_url && <AvatarImage src={user.photo_url} alt="" referrerPolicy="no-referrer" />}
            <AvatarFallback>{initials(user.display_name, user.email)}</AvatarFallback>
          </Avatar>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="flex flex-col gap-1 font-normal">
          <span className="truncate text-sm font-semibold">{name}</span>
          <span className="truncate text-xs text-muted-foreground">{user.email}</span>
          <Badge variant={user.role === 'free' ? 'secondary' : 'brand'} className="mt-1 w-fit">
            {t(ROLE_LABEL_KEYS[user.role])}
          </Badge>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/settings">
            <Settings aria-hidden />
            {t('nav.settings')}
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void onSignOut()}>
          <LogOut aria-hidden />
          {t('auth.signOut')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
