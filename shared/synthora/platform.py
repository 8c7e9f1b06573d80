"""The platform: which adapter serves each port, built lazily from settings.

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
        name = self.adapter_names()["documents"]
        if name == "sqlite":
            from synthora.adapters.sqlite_documents import SqliteDocumentStore

            return SqliteDocumentStore(
                path=self.settings.sqlite_path, indexes_file=self.settings.indexes_file
            )
        return _cloud_adapter("documents", self)

    @cached_property
    def tasks(self) -> TaskQueue:
        name = self.adapter_names()["tasks"]
        if name == "sqlite-queue":
            from synthora.adapters.sqlite_tasks import SqliteTaskQueue

            return SqliteTaskQueue(path=self.settings.sqlite_path, manifest=self.manifest)
        return _cloud_adapter("tasks", self)

    @cached_property
    def blobs(self) -> BlobStore:
        name = self.adapter_names()["blobs"]
        if name == "local-folder":
            from synthora.adapters.local_blobs import LocalBlobStore

            return LocalBlobStore(
                root=self.settings.blob_dir,
                base_url=self.settings.public_url,
                signing_key=self.settings.secret("blob_signing_key"),
            )
        return _cloud_adapter("blobs", self)

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


def _cloud_adapter(port: str, platform: Platform) -> Any:
    """Import the Google Cloud adapter for `port`; fail clearly when it cannot start."""
    import importlib

    module_name = {
        "documents": "synthora.adapters.firestore_documents",
        "tasks": "synthora.adapters.cloud_tasks",
        "blobs": "synthora.adapters.cloud_storage",
    }[port]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(
            f"the Google Cloud adapter for {port} ({module_name}) is not available: {exc}"
        ) from exc
    factory = module.create_adapter
    return factory(platform)


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
