import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Post } from '@/api/types'
import { ErrorAlert } from '@/components/ErrorAlert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useReschedule } from '@/hooks/usePostSchedule'
import { fromLocalInput, toLocalInput } from '@/lib/zoned-time'

/**
 * The keyboard way to move a post (the calendar also takes drag and drop): a time
 * in the calendar's zone; the server refuses while a target is publishing.
 */
export function RescheduleDialog({
  post,
  timeZone,
  onOpenChange,
}: {
  post: Post | null
  timeZone: string
  onOpenChange: (open: boolean) => void
}) {
  const { t, i18n } = useTranslation()
  const reschedule = useReschedule()
  const [value, setValue] = useState('')
  const { reset } = reschedule
  useEffect(() => {
    if (post) setValue(toLocalInput(new Date(post.scheduled_at), timeZone))
    reset()
  }, [post, timeZone, reset])
  const at = value ? fromLocalInput(value, timeZone) : null
  const past = at !== null && at.getTime() <= Date.now()
  const movable = post?.status === 'scheduled'
  const when = post
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(post.scheduled_at))
    : ''
  return (
    <Dialog open={post !== null} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')} data-testid="reschedule-dialog">
        <DialogHeader>
          <DialogTitle>{post?.video_title ?? post?.video_id}</DialogTitle>
          <DialogDescription>{t('calendar.currently', { when, timezone: timeZone })}</DialogDescription>
        </DialogHeader>
        {movable ? (
          <div className="space-y-1">
            <Label htmlFor="reschedule-when">{t('calendar.newTime', { timezone: timeZone })}</Label>
            <Input id="reschedule-when" type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} />
            {past && <p className="text-destructive text-sm">{t('calendar.pastSlot')}</p>}
          </div>
        ) : (
          <p className="text-muted-foreground text-sm">{t('calendar.notMovable')}</p>
        )}
        {reschedule.isError && <ErrorAlert error={reschedule.error} />}
        <DialogFooter>
          {movable && (
            <Button
              variant="brand"
              disabled={!at || past || reschedule.isPending}
              onClick={() =>
                post &&
                at &&
                reschedule.mutate(
                  { id: post.id, at },
                  {
                    onSuccess: () => {
                      toast.success(t('calendar.moved'))
                      onOpenChange(false)
                    },
                  },
                )
              }
            >
              {t('calendar.move')}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  )
}
