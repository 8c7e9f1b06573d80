import { act, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { renderWithProviders } from '@/test/render'
import { PHONE_QUERY, Toaster, toast, toastPosition } from './sonner'

describe('Toaster', () => {
  afterEach(() => {
    toast.dismiss()
  })

  it('puts toasts at the top on a phone, clear of the dialog buttons at the bottom', async () => {
    expect(toastPosition(true)).toBe('top-center')
    expect(toastPosition(false)).toBe('bottom-right')
    const original = window.matchMedia
    onTestFinished(() => {
      window.matchMedia = original
    })
    window.matchMedia = vi.fn(
      (query: string) =>
        ({
          matches: query === PHONE_QUERY,
          media: query,
          onchange: null,
          addEventListener: () => {},
          removeEventListener: () => {},
          addListener: () => {},
          removeListener: () => {},
          dispatchEvent: () => false,
        }) as MediaQueryList,
    )
    renderWithProviders(<Toaster />)
    act(() => {
      toast('Saved')
    })
    await screen.findByText('Saved')
    const list = document.querySelector('[data-sonner-toaster]')
    expect(list).toHaveAttribute('data-y-position', 'top')
    expect(list).toHaveAttribute('data-x-position', 'center')
  })

  it('keeps them bottom-right on a wider screen', async () => {
    renderWithProviders(<Toaster />)
    act(() => {
      toast('Done')
    })
    await screen.findByText('Done')
    expect(document.querySelector('[data-sonner-toaster]')).toHaveAttribute('data-y-position', 'bottom')
  })
})
