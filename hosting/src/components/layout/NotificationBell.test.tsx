import { screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { describe, expect, it, vi } from 'vitest'
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

describe('NotificationBell list', () => {
  it('lists notifications and marks one read', async () => {
    const { default: userEvent } = await import('@testing-library/user-event')
    const onMarkRead = vi.fn()
    renderWithProviders(
      <MemoryRouter>
        <NotificationBell
          unreadCount={1}
          items={[
            { id: 'n1', title: 'Video ready', message: 'Octopus facts is done', is_read: false, created_at: new Date().toISOString() },
            { id: 'n2', title: 'Welcome', is_read: true },
          ]}
          onMarkRead={onMarkRead}
        />
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Notifications, 1 unread' }))
    expect(await screen.findByText('Octopus facts is done')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Mark “Video ready” as read' }))
    expect(onMarkRead).toHaveBeenCalledWith('n1')
    expect(screen.queryByRole('button', { name: 'Mark “Welcome” as read' })).toBeNull()
  })
})
