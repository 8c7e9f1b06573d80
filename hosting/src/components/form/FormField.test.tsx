import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useMutation } from '@tanstack/react-query'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/errors'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Switch } from '@/components/ui/switch'
import { renderWithProviders } from '@/test/render'
import { DeleteConfirmDialog, FormField, serverFieldErrors, useDeleteConfirm } from '.'

const refused = new ApiError({
  code: 'validation_failed',
  message: 'invalid',
  status: 422,
  details: [
    { field: 'body.name', message: 'too short' },
    { field: 'body.colour', message: 'not a colour' },
  ],
})

describe('FormField', () => {
  it('labels its control and links the hint', () => {
    renderWithProviders(
      <FormField id="f-name" label="Name" hint="What people see">
        <Input />
      </FormField>,
    )
    const input = screen.getByLabelText('Name')
    expect(input).toHaveAttribute('id', 'f-name')
    expect(input).not.toHaveAttribute('aria-invalid')
    expect(input).toHaveAccessibleDescription('What people see')
  })

  it('shows the error instead of the hint and marks the control invalid', () => {
    renderWithProviders(
      <FormField id="f-name" label="Name" hint="What people see" error="too short">
        <Input />
      </FormField>,
    )
    const input = screen.getByLabelText('Name')
    expect(input).toHaveAttribute('aria-invalid', 'true')
    expect(input).toHaveAccessibleDescription('too short')
    expect(screen.queryByText('What people see')).toBeNull()
  })

  it('passes the control props to a render function, and captions a group', () => {
    renderWithProviders(
      <FormField id="f-platforms" label="Platforms" error="pick one" group>
        {(control) => (
          <div role="group" {...control}>
            <button type="button">TikTok</button>
          </div>
        )}
      </FormField>,
    )
    const group = screen.getByRole('group', { name: 'Platforms' })
    expect(group).toHaveAttribute('aria-invalid', 'true')
    expect(group).toHaveAccessibleDescription('pick one')
  })

  it('puts a switch beside its label', () => {
    renderWithProviders(
      <FormField id="f-public" label="Public" hint="Anyone can use it" layout="switch">
        <Switch />
      </FormField>,
    )
    expect(screen.getByRole('switch', { name: 'Public' })).toHaveAccessibleDescription('Anyone can use it')
  })
})

describe('serverFieldErrors', () => {
  it('maps a 422 onto field names and keeps the ones the form does not show', () => {
    const { errors, unplaced, count } = serverFieldErrors(refused, { placed: ['name'] })
    expect(errors).toEqual({ name: 'too short', colour: 'not a colour' })
    expect(unplaced).toEqual([['colour', 'not a colour']])
    expect(count).toBe(2)
  })

  it('is empty for any other error', () => {
    expect(serverFieldErrors(new ApiError({ code: 'x', message: 'y', status: 500 })).errors).toEqual({})
  })
})

function Things({ remove }: { remove: (id: string) => Promise<void> }) {
  const confirm = useDeleteConfirm<{ id: string; name: string }>()
  const mutation = useMutation({ mutationFn: remove })
  return (
    <>
      {[
        { id: 'a', name: 'Alpha' },
        { id: 'b', name: 'Beta' },
      ].map((thing) => (
        <Button key={thing.id} onClick={() => confirm.ask(thing)}>
          Delete {thing.name}
        </Button>
      ))}
      <DeleteConfirmDialog
        confirm={confirm}
        mutation={mutation}
        variables={(thing) => thing.id}
        title="Delete this thing?"
        description={(thing) => `${thing.name} goes for good.`}
        done={(thing) => `${thing.name} deleted`}
      />
    </>
  )
}

describe('DeleteConfirmDialog', () => {
  it('deletes only after confirmation, shows a refusal, and does not carry it to the next item', async () => {
    const user = userEvent.setup()
    const remove = vi.fn(async (id: string) => {
      if (id === 'a') throw new ApiError({ code: 'in_use', message: 'Alpha is in use', status: 409 })
    })
    renderWithProviders(<Things remove={remove} />)
    await user.click(screen.getByRole('button', { name: 'Delete Alpha' }))
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Alpha goes for good.')
    expect(remove).not.toHaveBeenCalled()
    await user.click(screen.getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText('Alpha is in use')).toBeInTheDocument()
    expect(remove).toHaveBeenCalledWith('a', expect.anything())
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    await user.click(screen.getByRole('button', { name: 'Delete Beta' }))
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Beta goes for good.')
    expect(screen.queryByText('Alpha is in use')).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Delete' }))
    expect(remove).toHaveBeenLastCalledWith('b', expect.anything())
    await vi.waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull())
  })
})
