import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { renderWithProviders } from '@/test/render'
import { NotificationBell } from './NotificationBell'

describe('NotificationBell', () => {
  it('has no badge when there is nothing unread', () => {
    renderWithProviders(<NotificationBell />)
    expect(screen.getByRole('button', { name: 'Notifications' })).toBeInTheDocument()
  })

  it('announces and shows the unread count', () => {
    renderWithProviders(<NotificationBell unreadCount={3} />)
    const bell = screen.getByRole('button', { name: 'Notifications, 3 unread' })
    expect(bell).toHaveTextContent('3')
  })

  it('caps the badge at 99+', () => {
    renderWithProviders(<NotificationBell unreadCount={250} />)
    expect(screen.getByRole('button', { name: 'Notifications, 250 unread' })).toHaveTextContent('99+')
  })
})
