import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { renderWithProviders } from '@/test/render'
import { LocalSignInForm } from './LocalSignInForm'

function setup() {
  const onSubmit = vi.fn(async (_email: string, _name: string) => {})
  renderWithProviders(<LocalSignInForm onSubmit={onSubmit} />)
  return {
    onSubmit,
    email: screen.getByLabelText('Email'),
    name: screen.getByLabelText('Display name'),
    submit: screen.getByRole('button', { name: 'Sign in locally' }),
  }
}

describe('LocalSignInForm', () => {
  it('requires an email and a display name', async () => {
    const { onSubmit, submit, email, name } = setup()
    await userEvent.click(submit)
    expect(screen.getByText('Enter your email address.')).toBeInTheDocument()
    expect(screen.getByText('Enter the name to show on your account.')).toBeInTheDocument()
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription('Enter your email address.')
    expect(name).toHaveAttribute('aria-invalid', 'true')
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('rejects a malformed email', async () => {
    const { onSubmit, submit, email, name } = setup()
    await userEvent.type(email, 'ada-at-example')
    await userEvent.type(name, 'Ada')
    await userEvent.click(submit)
    expect(screen.getByText('Enter a valid email address, like you@example.com.')).toBeInTheDocument()
    expect(name).not.toHaveAttribute('aria-invalid')
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('rejects an overlong display name', async () => {
    const { onSubmit, submit, email, name } = setup()
    await userEvent.type(email, 'ada@example.com')
    await userEvent.type(name, 'x'.repeat(65))
    await userEvent.click(submit)
    expect(screen.getByText('Use at most 64 characters.')).toBeInTheDocument()
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('submits trimmed values when valid', async () => {
    const { onSubmit, submit, email, name } = setup()
    await userEvent.type(email, '  ada@example.com ')
    await userEvent.type(name, ' Ada Lovelace ')
    await userEvent.click(submit)
    expect(onSubmit).toHaveBeenCalledWith('ada@example.com', 'Ada Lovelace')
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })
})
