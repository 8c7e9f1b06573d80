"""Adding, changing, removing and switching integrations."""

from __future__ import annotations

from typing import Any

from synthora.errors import (
    Conflict,
    ValidationFailed,
)
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import (
    Transaction,
    auto_id,
)
from synthora.providers.registry import get_provider
from synthora.security.crypto import (
    encrypt_secret,
    mask_secret,
)
from synthora.services.integrations.catalogue import check_key, check_options
from synthora.services.integrations.checks import enqueue_validation, pending
from synthora.services.integrations.models import (
    AddIntegrationRequest,
    IntegrationOut,
    UpdateIntegrationRequest,
)
from synthora.services.integrations.store import (
    get_integration,
    integration_ref,
    integrations_of,
    keyring,
    load_owned,
    mutate,
    to_out,
    utc_now,
)

log = get_logger(__name__)


def add_integration(
    *, platform: Platform, uid: str, request: AddIntegrationRequest
) -> IntegrationOut:
    """Store a new integration (key encrypted) and queue its key check."""
    info = get_provider(request.provider)
    if info.retired is not None:
        raise ValidationFailed(
            f"{info.display_name} is retired: {info.retired.reason}",
            code="provider_retired",
            details=[
                {"field": "body.provider", "message": "retired", "source": info.retired.source}
            ],
        )
    api_key = check_key(info, request.api_key)
    options = check_options(info, request.options)
    collection = integrations_of(platform, uid)
    integration_id = auto_id()
    ref = collection.document(integration_id)
    now = utc_now()
    doc: dict[str, Any] = {
        "provider": info.id,
        "category": info.category.value,
        "categories": [c.value for c in info.categories],
        "is_active": True,
        "options": options,
        # aad = the document path: a secret copied into another record won't decrypt.
        "secret": (
            encrypt_secret(plaintext=api_key, keyring=keyring(platform), aad=ref.path).model_dump()
            if api_key is not None
            else None
        ),
        "masked_key": mask_secret(api_key) if api_key is not None else None,
        "key_version": 1,
        "validation_seq": 1,
        "validation": pending(1, 1),
        "created_at": now,
        "updated_at": now,
        "last_used_at": None,
    }

    def create(tx: Transaction) -> str | None:
        # The uniqueness check and the insert in one transaction, so two
        # concurrent adds of the same provider cannot both succeed.
        existing = tx.query(collection.where("provider", "==", info.id).limit(1))
        if existing:
            return existing[0].id
        tx.create(ref, doc)
        return None

    existing_id = platform.documents.run_transaction(create)
    if existing_id is not None:
        raise Conflict(
            f"you already connected {info.display_name}; change its key with "
            f"PATCH /api/v1/integrations/{existing_id} or delete it first",
            code="integration_exists",
            details={"integration_id": existing_id, "provider": info.id},
        )
    enqueue_validation(platform, uid=uid, integration_id=integration_id, seq=1)
    log.info(
        "integration added",
        extra=fields(uid=uid, integration_id=integration_id, provider=info.id),
    )
    return to_out(ref.get())


def update_integration(
    *, platform: Platform, uid: str, integration_id: str, request: UpdateIntegrationRequest
) -> IntegrationOut:
    """Replace the key and/or options; the key is checked again in the background."""
    if request.api_key is None and request.options is None:
        raise ValidationFailed(
            "send `api_key` and/or `options`",
            details=[{"field": "body", "message": "nothing to update"}],
        )
    snap = load_owned(platform, uid, integration_id)
    info = get_provider(snap.get("provider"))
    api_key = check_key(info, request.api_key) if request.api_key is not None else None
    options = check_options(info, request.options) if request.options is not None else None
    path = integration_ref(platform, uid, integration_id).path
    secret = (
        encrypt_secret(plaintext=api_key, keyring=keyring(platform), aad=path).model_dump()
        if api_key is not None
        else None
    )

    def change(current: dict[str, Any]) -> dict[str, Any]:
        seq = int(current.get("validation_seq", 0)) + 1
        key_version = int(current.get("key_version", 0)) + (1 if secret is not None else 0)
        updates: dict[str, Any] = {
            "updated_at": utc_now(),
            "validation_seq": seq,
            "validation": pending(seq, key_version),
        }
        if secret is not None and api_key is not None:
            updates.update(secret=secret, masked_key=mask_secret(api_key), key_version=key_version)
        if options is not None:
            updates["options"] = options
        return updates

    updates = mutate(platform, uid, integration_id, change)
    enqueue_validation(
        platform, uid=uid, integration_id=integration_id, seq=int(updates["validation_seq"])
    )
    return get_integration(platform=platform, uid=uid, integration_id=integration_id)


def delete_integration(*, platform: Platform, uid: str, integration_id: str) -> None:
    """Remove an integration (a queued check for it then finds nothing and stops)."""
    snap = load_owned(platform, uid, integration_id)
    snap.reference.delete()
    log.info("integration deleted", extra=fields(uid=uid, integration_id=integration_id))


def set_active(
    *, platform: Platform, uid: str, integration_id: str, is_active: bool | None
) -> IntegrationOut:
    """Turn an integration on or off (None flips it)."""

    def change(current: dict[str, Any]) -> dict[str, Any]:
        target = (not current.get("is_active", True)) if is_active is None else is_active
        return {"is_active": target, "updated_at": utc_now()}

    mutate(platform, uid, integration_id, change)
    return get_integration(platform=platform, uid=uid, integration_id=integration_id)
