import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ConfigContext, type PublicConfig } from '@/contexts/config'
import { AnnouncementBanner } from './AnnouncementBanner'

const BASE: PublicConfig = {
  firebase: { apiKey: 'k', authDomain: 'demo.firebaseapp.com', projectId: 'demo-synthora' },
  auth_emulator_url: null,
  version: '1.2.3',
  environment: 'local',
  announcement: null,
}

function renderWith(config: PublicConfig) {
  return render(
    <ConfigContext.Provider value={config}>
      <AnnouncementBanner />
    </ConfigContext.Provider>,
  )
}

describe('AnnouncementBanner', () => {
  it('shows nothing without an announcement', () => {
    const { container } = renderWith(BASE)
    expect(container).toBeEmptyDOMElement()
  })

  it('shows the message politely, and a critical one as an alert', () => {
    const { unmount } = renderWith({ ...BASE, announcement: { message: 'Maintenance at 22:00', level: 'warning' } })
    expect(screen.getByRole('status', { name: 'Announcement' })).toHaveTextContent('Maintenance at 22:00')
    unmount()
    renderWith({ ...BASE, announcement: { message: 'Sign-ups paused', level: 'critical' } })
    expect(screen.getByRole('alert', { name: 'Announcement' })).toHaveTextContent('Sign-ups paused')
  })
})
