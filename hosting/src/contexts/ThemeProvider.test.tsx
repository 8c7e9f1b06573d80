import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { setSystemPrefersDark } from '@/test/setup'
import { ThemeProvider } from './ThemeProvider'
import { THEME_STORAGE_KEY, useTheme } from './theme'

function Probe() {
  const { theme, resolvedTheme, setTheme } = useTheme()
  return (
    <div>
      <span data-testid="theme">{theme}</span>
      <span data-testid="resolved">{resolvedTheme}</span>
      <button onClick={() => setTheme('light')}>light</button>
      <button onClick={() => setTheme('system')}>system</button>
    </div>
  )
}

const renderProbe = () =>
  render(
    <ThemeProvider>
      <Probe />
    </ThemeProvider>,
  )

describe('ThemeProvider', () => {
  it('defaults to dark, even when the system prefers light', () => {
    renderProbe()
    expect(screen.getByTestId('theme')).toHaveTextContent('dark')
    expect(document.documentElement).toHaveClass('dark')
    expect(document.documentElement.style.colorScheme).toBe('dark')
  })

  it('persists the chosen theme and restores it on the next load', async () => {
    const first = renderProbe()
    await userEvent.click(screen.getByRole('button', { name: 'light' }))
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('light')
    expect(document.documentElement).not.toHaveClass('dark')
    first.unmount()

    renderProbe()
    expect(screen.getByTestId('theme')).toHaveTextContent('light')
    expect(screen.getByTestId('resolved')).toHaveTextContent('light')
  })

  it('follows the system preference in system mode, live', async () => {
    setSystemPrefersDark(false)
    renderProbe()
    await userEvent.click(screen.getByRole('button', { name: 'system' }))
    expect(screen.getByTestId('resolved')).toHaveTextContent('light')
    expect(document.documentElement).not.toHaveClass('dark')

    act(() => setSystemPrefersDark(true))
    expect(screen.getByTestId('resolved')).toHaveTextContent('dark')
    expect(document.documentElement).toHaveClass('dark')
  })

  it('ignores a corrupt stored value', () => {
    window.localStorage.setItem(THEME_STORAGE_KEY, 'purple')
    renderProbe()
    expect(screen.getByTestId('theme')).toHaveTextContent('dark')
  })
})
