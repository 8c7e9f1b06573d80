import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { ConfirmDialog } from '@/components/ConfirmDialog'

/** The part of a TanStack Query mutation a confirmation drives. */
export interface ConfirmableMutation<V> {
  mutate: (variables: V, options?: { onSuccess?: () => void }) => void
  reset: () => void
  isPending: boolean
  error: unknown
}

/**
 * "Delete this?" done once: the item being confirmed, the dialog, the call.
 *
 *   const confirm = useDeleteConfirm<Template>()
 *   // the row's delete button: onClick={() => confirm.ask(template)}
 *   <DeleteConfirmDialog
 *     confirm={confirm}
 *     mutation={remove}
 *     variables={(tpl) => tpl.id}
 *     title={t('templates.deleteTitle')}
 *     description={(tpl) => t('templates.deleteDescription', { name: tpl.name })}
 *     done={() => t('templates.deleted')}
 *   />
 *
 * Asking again clears the previous attempt's error (a failed delete of one item
 * does not show on the next); the dialog stays open with the API's message when
 * the call fails, and closes with a toast when it succeeds. The description
 * keeps naming the item while the dialog animates closed.
 */
export function useDeleteConfirm<T>() {
  const [state, setState] = useState<{ target: T | null; shown: T | null }>({ target: null, shown: null })
  return {
    /** The item being confirmed (null when the dialog is closed). */
    target: state.target,
    /** The last item asked about: what the dialog names while it closes. */
    shown: state.shown,
    ask: (item: T) => setState({ target: item, shown: item }),
    close: () => setState((s) => ({ ...s, target: null })),
  }
}

export type DeleteConfirmState<T> = ReturnType<typeof useDeleteConfirm<T>>

export function DeleteConfirmDialog<T, V>({
  confirm,
  mutation,
  variables,
  title,
  description,
  done,
  confirmLabel,
  pendingLabel,
}: {
  confirm: DeleteConfirmState<T>
  mutation: ConfirmableMutation<V>
  variables: (item: T) => V
  title: string
  description: (item: T) => string
  /** The toast after success (none when omitted). */
  done?: (item: T) => string
  confirmLabel?: string
  pendingLabel?: string
}) {
  const { t } = useTranslation()
  const item = confirm.shown
  return (
    <ConfirmDialog
      open={confirm.target !== null}
      onOpenChange={(open) => {
        if (!open) {
          confirm.close()
          mutation.reset()
        }
      }}
      title={title}
      description={item !== null ? description(item) : ''}
      confirmLabel={confirmLabel ?? t('common.delete')}
      pendingLabel={pendingLabel ?? t('common.deleting')}
      pending={mutation.isPending}
      error={confirm.target !== null ? mutation.error : null}
      onConfirm={() => {
        const current = confirm.target
        if (current === null) return
        mutation.mutate(variables(current), {
          onSuccess: () => {
            if (done) toast.success(done(current))
            confirm.close()
          },
        })
      }}
    />
  )
}
