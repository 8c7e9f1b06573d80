import type { PublicConfig } from '@/contexts/config'
import { localGoogleIdToken } from './local-identity'

/** The signed-in Firebase identity the app cares about. */
export interface FirebaseIdentity {
  uid: string
  email: string | null
  displayName: string | null
  getIdToken: () => Promise<string>
}

/** What the rest of the app may do with Firebase Auth (nothing else imports the SDK). */
export interface FirebaseSession {
  readonly isEmulator: boolean
  onIdentityChanged: (callback: (identity: FirebaseIdentity | null) => void) => () => void
  getIdToken: () => Promise<string | null>
  signInWithGoogle: () => Promise<void>
  /** Emulator only: signs in with a fake Google credential, loading nothing from Google. */
  signInLocal: (email: string, displayName: string) => Promise<void>
  signOut: () => Promise<void>
}

/**
 * Initialise Firebase from the runtime config (`GET /api/v1/config`).
 * The SDK is imported lazily so it stays out of the initial bundle's critical
 * parse and loads in parallel with the config request.
 */
export async function startFirebase(config: PublicConfig): Promise<FirebaseSession> {
  const [{ initializeApp, getApps }, authModule] = await Promise.all([import('firebase/app'), import('firebase/auth')])
  const {
    initializeAuth,
    browserLocalPersistence,
    indexedDBLocalPersistence,
    browserPopupRedirectResolver,
    connectAuthEmulator,
    onIdTokenChanged,
    signInWithPopup,
    signInWithCredential,
    GoogleAuthProvider,
    signOut,
  } = authModule

  const app = getApps()[0] ?? initializeApp({ ...config.firebase })
  // No popupRedirectResolver here: it is passed only to signInWithPopup, so
  // nothing is loaded from Google until the user asks for Google sign-in.
  const auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] })
  const isEmulator = Boolean(config.auth_emulator_url)
  if (config.auth_emulator_url) connectAuthEmulator(auth, config.auth_emulator_url, { disableWarnings: true })

  return {
    isEmulator,
    onIdentityChanged(callback) {
      let lastUid: string | null | undefined = undefined
      // onIdTokenChanged also fires on token refresh; only report identity changes.
      return onIdTokenChanged(auth, (user) => {
        const uid = user?.uid ?? null
        if (uid === lastUid) return
        lastUid = uid
        callback(
          user
            ? { uid: user.uid, email: user.email, displayName: user.displayName, getIdToken: () => user.getIdToken() }
            : null,
        )
      })
    },
    async getIdToken() {
      await auth.authStateReady()
      return auth.currentUser ? auth.currentUser.getIdToken() : null
    },
    async signInWithGoogle() {
      const provider = new GoogleAuthProvider()
      provider.setCustomParameters({ prompt: 'select_account' })
      await signInWithPopup(auth, provider, browserPopupRedirectResolver)
    },
    async signInLocal(email, displayName) {
      if (!isEmulator) throw new Error('Local sign-in is only available with the Auth emulator')
      const credential = GoogleAuthProvider.credential(await localGoogleIdToken(email, displayName))
      await signInWithCredential(auth, credential)
    },
    async signOut() {
      await signOut(auth)
    },
  }
}
