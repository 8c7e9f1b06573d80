"""Security headers: one source for the API, the local gateway and `firebase.json`.

- Every API answer (the router adds them) is JSON that no browser should
  render, frame or sniff: `default-src 'none'`, `nosniff`, `DENY`.
- The web app runs under a Content-Security-Policy with no inline script
  (`hosting/index.html` loads `/theme-init.js`; the build emits only external
  module scripts, checked by `tests/deploy/test_security_headers.py`). Styles
  allow `'unsafe-inline'`: UI libraries set element styles at run time.
- Google sign-in is allowed: the popup loads `apis.google.com` and frames
  `<project>.firebaseapp.com`; tokens are fetched from identitytoolkit /
  securetoken. Locally the Auth emulator's origin is added (connect, frame):
  local sign-in talks only to it, "Continue with Google" against the emulator
  still loads Google's popup script.
- Signed URLs for videos and thumbnails point at Cloud Storage in production
  and at the gateway itself locally.

Caching of the web app (Hosting and the gateway alike): the build's hashed
files under `/assets/` are `CACHE_IMMUTABLE` (a new build has new names);
`index.html`, which every SPA path serves, and the other unhashed files are
`CACHE_REVALIDATE`, so a deploy reaches a returning browser at once. The API
answers `no-store` (the router sets it).
"""

from __future__ import annotations

API_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"
CACHE_NO_STORE = "no-store"

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)

GOOGLE_SIGN_IN = {
    "script": ("https://apis.google.com", "https://www.gstatic.com"),
    "connect": (
        "https://identitytoolkit.googleapis.com",
        "https://securetoken.googleapis.com",
        "https://www.googleapis.com",
        "https://apis.google.com",
    ),
    "frame": (
        "https://*.firebaseapp.com",
        "https://accounts.google.com",
        "https://apis.google.com",
    ),
}
CLOUD_STORAGE = "https://storage.googleapis.com"
AVATARS = "https://*.googleusercontent.com"


def web_csp(*, auth_emulator_url: str | None = None, extra_origins: tuple[str, ...] = ()) -> str:
    """The web app's Content-Security-Policy.

    `auth_emulator_url` set (local mode): the emulator may be reached and framed.
    `extra_origins`: where signed blob URLs point when that is not Cloud Storage.
    """
    media = ("'self'", "blob:", *extra_origins, CLOUD_STORAGE)
    script: tuple[str, ...] = ("'self'", *GOOGLE_SIGN_IN["script"])
    connect: tuple[str, ...] = ("'self'", *GOOGLE_SIGN_IN["connect"])
    frame: tuple[str, ...] = GOOGLE_SIGN_IN["frame"]
    if auth_emulator_url:
        # local sign-in talks to the emulator; its Google popup still loads gapi
        connect = ("'self'", auth_emulator_url, *GOOGLE_SIGN_IN["connect"])
        frame = (auth_emulator_url, *GOOGLE_SIGN_IN["frame"])
    directives = {
        "default-src": ("'self'",),
        "script-src": script,
        "style-src": ("'self'", "'unsafe-inline'"),
        "img-src": (*media, "data:", AVATARS),
        "media-src": media,
        "font-src": ("'self'", "data:"),
        "connect-src": connect,
        "frame-src": frame,
        "frame-ancestors": ("'none'",),
        "base-uri": ("'self'",),
        "form-action": ("'self'",),
        "object-src": ("'none'",),
    }
    return "; ".join(
        f"{name} {' '.join(dict.fromkeys(values))}" for name, values in directives.items()
    )


def web_headers(
    *, auth_emulator_url: str | None = None, extra_origins: tuple[str, ...] = ()
) -> dict[str, str]:
    """Headers for every response of the web app (HTML, scripts, assets)."""
    return {
        "Content-Security-Policy": web_csp(
            auth_emulator_url=auth_emulator_url, extra_origins=extra_origins
        ),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        # the Google sign-in popup reports back to its opener
        "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
    }
