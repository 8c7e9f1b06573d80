import { useState } from 'react'
import { Ban } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { Video } from '@/api/types'
import { ConfirmDialog } from '@/components/ConfirmDialog'
import { Button } from '@/components/ui/button'
import { useCancelVideo } from '@/hooks/useStoryboard'

/** Cancel a generation in progress (or a storyboard waiting for review), after a confirmation. */
export function CancelVideoButton({ video }: { video: Video }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const cancel = useCancelVideo(video.id)
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)} data-testid="video-cancel">
        <Ban aria-hidden />
        {t('cancelVideo.button')}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={t('cancelVideo.title')}
        description={t('cancelVideo.description')}
        confirmLabel={t('cancelVideo.confirm')}
        pendingLabel={t('cancelVideo.pending')}
        pending={cancel.isPending}
        error={cancel.error}
        onConfirm={() =>
          cancel.mutate(undefined, {
            onSuccess: () => {
              setOpen(false)
              toast.success(t('cancelVideo.done'))
            },
          })
        }
      />
    </>
  )
}
