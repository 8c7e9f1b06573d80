"""Local emulators of the outside services Synthora talks to.

YouTube (Google OAuth, Data API v3, Analytics), TikTok (Login Kit v2, Content
Posting API, Display API), Meta (Facebook Login, Graph API for Pages and
Instagram) and a Stripe subset, all in one loopback-only process:

    python -m synthora_emulators          # SYNTHORA_EMULATOR_PORT, default 8090

Each platform is one module exposing a `PlatformEmulator` (a Flask blueprint
mounted under its own prefix, its state, and its control hooks). Synthora's real
clients reach a platform by switching their base URL to
`http://127.0.0.1:<port>/<prefix>`; nothing else changes.

This package is never deployed and is never imported by `synthora`: the local
gateway and the tests start it as a separate process. See docs/emulators.md.
"""
