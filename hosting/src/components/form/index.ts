/** Forms done once: see docs/decisions/0008-forms-done-once.md. */
export { FieldMessage, FormField, fieldMessageId, type FieldControlProps } from './FormField'
export { DeleteConfirmDialog, useDeleteConfirm, type ConfirmableMutation, type DeleteConfirmState } from './DeleteConfirm'
export { serverFieldErrors, useFocusFirstInvalid } from './server-errors'
