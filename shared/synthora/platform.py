"""The platform: which adapter serves each port, built lazily from settings.

This is the platform wiring: the only place adapters are built (each adapter
module's `create_adapter(platform)`, one signature for all).

Functions call `get_platform()` and use `.documents`, `.tasks`, `.blobs`; no
adapter is created (and nothing touches the network or disk) until first use.
Embedded adapters are the default; Google Cloud adapters are chosen when
`GOOGLE_CLOUD_PROJECT` (production) or an emulator host variable is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import Any

from synthora.manifest import Manifest, get_manifest
from synthora.ports.blobs import BlobStore
from synthora.ports.documents import DocumentStore
from synthora.ports.tasks import TaskQueue
from synthora.settings import ConfigurationError, Settings, get_settings


class Platform:
    """Holds the adapters of one process."""

    def __init__(self, settings: Settings, manifest: Manifest | None = None) -> None:
        self.settings = settings
        self._manifest = manifest

    @cached_property
    def manifest(self) -> Manifest:
        return self._manifest or get_manifest(self.settings.manifest_file)

    # which adapter each port uses -------------------------------------------------

    def adapter_names(self) -> dict[str, str]:
        s = self.settings
        cloud = s.environment == "production"
        return {
            "documents": "firestore" if (cloud or s.firestore_emulator_host) else "sqlite",
            "tasks": "cloud-tasks" if (cloud or s.cloud_tasks_emulator_host) else "sqlite-queue",
            "blobs": "cloud-storage" if (cloud or s.storage_emulator_host) else "local-folder",
            "scheduler": "cloud-scheduler" if cloud else "gateway-cron",
            "auth": "firebase-auth-emulator" if s.firebase_auth_emulator_host else "firebase-auth",
        }

    @cached_property
    def documents(self) -> DocumentStore:
        return _build("documents", self)  # type: ignore[no-any-return]

    @cached_property
    def tasks(self) -> TaskQueue:
        return _build("tasks", self)  # type: ignore[no-any-return]

    @cached_property
    def blobs(self) -> BlobStore:
        return _build("blobs", self)  # type: ignore[no-any-return]

    # start-up check ------------------------------------------------------------

    def verify(self, *, find_credentials: Callable[[], Any] | None = None) -> dict[str, str]:
        """Fail fast, with a clear message, when the chosen adapters cannot work.

        Embedded adapters and emulators need nothing. A real Google Cloud
        adapter needs Application Default Credentials (the runtime service
        account on Cloud Run, `gcloud auth application-default login` or
        `GOOGLE_APPLICATION_CREDENTIALS` elsewhere) and the queue needs the
        service account its OIDC tokens are signed as. Returns the adapter names.
        `find_credentials` replaces `google.auth.default` (tests).
        """
        names = self.adapter_names()
        s = self.settings
        emulated = {
            "documents": bool(s.firestore_emulator_host),
            "tasks": bool(s.cloud_tasks_emulator_host),
            "blobs": bool(s.storage_emulator_host),
        }
        real = [
            port
            for port, adapter in names.items()
            if adapter in _CLOUD_ADAPTERS and not emulated.get(port, False)
        ]
        problems: list[str] = []
        if real:
            if not s.google_cloud_project:
                problems.append("GOOGLE_CLOUD_PROJECT is not set")
            finder = find_credentials or _default_credentials
            try:
                finder()
            except Exception as exc:  # google.auth raises DefaultCredentialsError
                problems.append(
                    f"no Google Cloud credentials for {', '.join(real)} ({exc}); on Cloud Run "
                    "the function's service account provides them, elsewhere run `gcloud auth "
                    "application-default login` or set GOOGLE_APPLICATION_CREDENTIALS"
                )
        if "tasks" in real and not s.tasks_service_account:
            problems.append(
                "SYNTHORA_TASKS_SERVICE_ACCOUNT is not set (Cloud Tasks signs OIDC tokens as it)"
            )
        if problems:
            raise ConfigurationError(
                "cannot start with the Google Cloud adapters "
                f"({', '.join(f'{p}={names[p]}' for p in real) or 'emulators'}): "
                + "; ".join(problems)
            )
        return names

    def close(self) -> None:
        for attr in ("documents", "tasks"):
            adapter = self.__dict__.get(attr)
            if adapter is not None:
                adapter.close()


_CLOUD_ADAPTERS = frozenset({"firestore", "cloud-tasks", "cloud-storage"})


def _default_credentials() -> Any:
    import google.auth

    return google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])


#: The module of each adapter; every one exposes `create_adapter(platform)`.
ADAPTER_MODULES: dict[str, str] = {
    "sqlite": "synthora.adapters.sqlite_documents",
    "firestore": "synthora.adapters.firestore_documents",
    "sqlite-queue": "synthora.adapters.sqlite_tasks",
    "cloud-tasks": "synthora.adapters.cloud_tasks",
    "local-folder": "synthora.adapters.local_blobs",
    "cloud-storage": "synthora.adapters.cloud_storage",
}


def _build(port: str, platform: Platform) -> Any:
    """Build the adapter `adapter_names()` chose for `port`; fail clearly when it cannot."""
    import importlib

    name = platform.adapter_names()[port]
    module_name = ADAPTER_MODULES[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(
            f"the {name} adapter for {port} ({module_name}) is not available: {exc}"
        ) from exc
    return module.create_adapter(platform)


_platform: Platform | None = None
_lock = threading.Lock()


def get_platform() -> Platform:
    """The process's platform; in production it is verified once before first use."""
    global _platform
    if _platform is None:
        with _lock:
            if _platform is None:
                platform = Platform(get_settings())
                if platform.settings.environment == "production":
                    platform.verify()
                _platform = platform
    return _platform


def set_platform(platform: Platform | None) -> None:
    """Install a platform (tests, the gateway); None resets to settings on next use."""
    global _platform
    with _lock:
        if _platform is not None and _platform is not platform:
            _platform.close()
        _platform = platform
