import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './locales/en.json'

export const defaultNS = 'translation'
export const resources = { en: { translation: en } } as const

// English is bundled (no network request for strings); more languages can be
// added as lazily imported JSON files next to en.json.
void i18n.use(initReactI18next).init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  defaultNS,
  interpolation: { escapeValue: false },
  returnNull: false,
})

export default i18n
