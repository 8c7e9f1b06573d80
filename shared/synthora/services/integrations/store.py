"""Access to `users/{uid}/integrations/{id}` documents: load, decrypt, mutate, show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from synthora.errors import (
    NotFound,
)
from synthora.logs import get_logger
from synthora.platform import Platform
from synthora.ports.documents import (
    CollectionRef,
    DocumentRef,
    Snapshot,
    Transaction,
    is_document_id,
)
from synthora.providers.registry import get_provider
from synthora.security.crypto import (
    EncryptedSecret,
    MasterKeyring,
    decrypt_secret,
)
from synthora.services.integrations.models import IntegrationOut, ValidationState

log = get_logger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def integrations_of(platform: Platform, uid: str) -> CollectionRef:
    return platform.documents.collection(f"users/{uid}/integrations")


def integration_ref(platform: Platform, uid: str, integration_id: str) -> DocumentRef:
    return integrations_of(platform, uid).document(integration_id)


def keyring(platform: Platform) -> MasterKeyring:
    return MasterKeyring.from_settings(platform.settings)


def load_owned(platform: Platform, uid: str, integration_id: str) -> Snapshot:
    """The caller's integration; 404 for a missing one or anybody else's (ids never leak)."""
    if not is_document_id(integration_id):
        raise NotFound("integration not found", code="integration_not_found")
    snap = integration_ref(platform, uid, integration_id).get()
    if not snap.exists:
        raise NotFound("integration not found", code="integration_not_found")
    return snap


def to_out(snap: Snapshot) -> IntegrationOut:
    """The API view of a stored integration."""
    data = snap.to_dict() or {}
    info = get_provider(data["provider"])
    return IntegrationOut(
        id=snap.id,
        provider=info.id,
        display_name=info.display_name,
        category=info.category,
        categories=list(info.categories),
        is_active=bool(data.get("is_active", True)),
        masked_key=data.get("masked_key"),
        options=dict(data.get("options") or {}),
        validation=ValidationState.model_validate(data.get("validation") or {}),
        key_version=int(data.get("key_version", 0)),
        created_at=data["created_at"],
        updated_at=data["updated_at"],
        last_used_at=data.get("last_used_at"),
        provider_status=info.status,
        provider_status_reason=info.status_reason,
    )


def get_integration(*, platform: Platform, uid: str, integration_id: str) -> IntegrationOut:
    return to_out(load_owned(platform, uid, integration_id))


def mutate(
    platform: Platform,
    uid: str,
    integration_id: str,
    change: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, Any]:
    """Apply `change(current) -> updates` in a transaction; 404 when missing."""
    load_owned(platform, uid, integration_id)  # 404 early, before any work
    ref = integration_ref(platform, uid, integration_id)

    def run(tx: Transaction) -> dict[str, Any]:
        snap = tx.get(ref)
        if not snap.exists:
            raise NotFound("integration not found", code="integration_not_found")
        updates = change(snap.to_dict() or {})
        if updates:
            tx.update(ref, updates)
        return updates

    return platform.documents.run_transaction(run)


def decrypt(platform: Platform, snap: Snapshot) -> str:
    raw = snap.get("secret")
    if raw is None:
        return ""
    return decrypt_secret(
        secret=EncryptedSecret.model_validate(raw),
        keyring=keyring(platform),
        aad=snap.reference.path,
    )
