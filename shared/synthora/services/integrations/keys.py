"""Revealing a stored key to its owner: audited and rate limited."""

from __future__ import annotations

from synthora.errors import (
    ApiError,
    NotFound,
    RateLimited,
)
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.providers.registry import get_provider
from synthora.security.crypto import (
    SecretDecryptionError,
)
from synthora.services.integrations.models import (
    AUDIT_REVEAL_ACTION,
    REVEAL_LIMIT,
    REVEAL_WINDOW,
    RevealedKey,
)
from synthora.services.integrations.store import decrypt, load_owned, utc_now

log = get_logger(__name__)


def reveal_key(
    *,
    platform: Platform,
    uid: str,
    integration_id: str,
    client_ip: str | None,
    user_agent: str | None,
) -> RevealedKey:
    """The plaintext key, for its owner only; audited and rate limited."""
    snap = load_owned(platform, uid, integration_id)
    info = get_provider(snap.get("provider"))
    if not info.needs_key:
        raise NotFound(f"{info.display_name} has no key to reveal", code="no_key")
    audit = platform.documents.collection(f"users/{uid}/audit")
    now = utc_now()
    recent = (
        audit.where("action", "==", AUDIT_REVEAL_ACTION)
        .where("at", ">=", now - REVEAL_WINDOW)
        .count()
    )
    if recent >= REVEAL_LIMIT:
        retry_s = int(REVEAL_WINDOW.total_seconds())
        raise RateLimited(
            f"at most {REVEAL_LIMIT} keys can be revealed per hour; try again later",
            details={"limit": REVEAL_LIMIT, "window_s": retry_s},
            headers={"Retry-After": str(retry_s)},
        )
    try:
        api_key = decrypt(platform, snap)
    except SecretDecryptionError as exc:
        log.error(
            "stored key cannot be decrypted",
            extra=fields(uid=uid, integration_id=integration_id, reason=str(exc)),
        )
        raise ApiError(
            "the stored key cannot be decrypted; enter it again with PATCH",
            code="secret_unreadable",
            status=409,
        ) from None
    # The audit record is written before the key is returned: no record, no key.
    audit.document().set(
        {
            "action": AUDIT_REVEAL_ACTION,
            "at": now,
            "actor_uid": uid,
            "integration_id": integration_id,
            "provider": info.id,
            "client_ip": client_ip,
            "user_agent": (user_agent or "")[:500] or None,
        }
    )
    log.info(
        "integration key revealed",
        extra=fields(uid=uid, integration_id=integration_id, client_ip=client_ip),
    )
    return RevealedKey(id=snap.id, provider=info.id, api_key=api_key)
