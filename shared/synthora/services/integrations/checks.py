"""Key checks: queued (the `integration_validate` task) or inline, and their results."""

from __future__ import annotations

from typing import Any

from synthora.errors import (
    ServiceUnavailable,
)
from synthora.logs import fields, get_logger
from synthora.platform import Platform
from synthora.ports.documents import (
    Transaction,
)
from synthora.ports.tasks import TaskQueueError, task_name
from synthora.providers import registry
from synthora.providers.base import ProviderDeclaration
from synthora.providers.keycheck import ValidationResult
from synthora.providers.registry import get_provider
from synthora.security.crypto import (
    SecretDecryptionError,
)
from synthora.services.integrations.models import (
    BAD_STATUSES,
    VALIDATE_FUNCTION,
    ValidateOutcome,
    ValidateTask,
    ValidateTaskResult,
    ValidationState,
)
from synthora.services.integrations.store import decrypt, get_integration, integration_ref, mutate
from synthora.services.notifications import notify_integration_error

log = get_logger(__name__)


def enqueue_validation(
    platform: Platform, *, uid: str, integration_id: str, seq: int, required: bool = False
) -> str | None:
    """Queue the key check; the task name makes a repeated enqueue a no-op.

    When the queue refuses, the saved key stays saved with its check `pending`
    (the user can ask again) unless the caller `required` the enqueue (503).
    """
    name = task_name("integration-validate", integration_id, seq)
    try:
        platform.tasks.enqueue(
            function=VALIDATE_FUNCTION,
            payload=ValidateTask(uid=uid, integration_id=integration_id, seq=seq),
            name=name,
        )
    except TaskQueueError as exc:
        log.warning(
            "key check could not be queued",
            extra=fields(uid=uid, integration_id=integration_id, reason=str(exc)),
        )
        if required:
            raise ServiceUnavailable(
                "the key check could not be queued; try again, or use ?sync=true",
                code="queue_unavailable",
            ) from None
        return None
    return name


def pending(seq: int, key_version: int) -> dict[str, Any]:
    return ValidationState(seq=seq, key_version=key_version).model_dump()


def request_validation(
    *, platform: Platform, uid: str, integration_id: str, sync: bool = False
) -> ValidateOutcome:
    """Check the key again: queued (default) or inline (`sync`), returning the state."""

    def change(current: dict[str, Any]) -> dict[str, Any]:
        seq = int(current.get("validation_seq", 0)) + 1
        key_version = int(current.get("key_version", 0))
        return {"validation_seq": seq, "validation": pending(seq, key_version)}

    seq = int(mutate(platform, uid, integration_id, change)["validation_seq"])
    if sync:
        run_validation(
            platform=platform, task=ValidateTask(uid=uid, integration_id=integration_id, seq=seq)
        )
        out = get_integration(platform=platform, uid=uid, integration_id=integration_id)
        return ValidateOutcome(integration=out, mode="inline")
    name = enqueue_validation(
        platform, uid=uid, integration_id=integration_id, seq=seq, required=True
    )
    out = get_integration(platform=platform, uid=uid, integration_id=integration_id)
    return ValidateOutcome(integration=out, mode="queued", task=name)


def _result_state(result: ValidationResult, *, seq: int, key_version: int) -> dict[str, Any]:
    return ValidationState(
        status=result.status,
        valid=result.valid,
        message=result.message,
        http_status=result.http_status,
        retry_after_s=result.retry_after_s,
        checked_at=result.checked_at,
        details=result.details,
        seq=seq,
        key_version=key_version,
    ).model_dump()


def run_validation(*, platform: Platform, task: ValidateTask) -> ValidateTaskResult:
    """Check the key and store the result; safe to run again for the same task.

    A delivery for a request that is no longer the latest (the key changed, or
    a newer check was asked for) does nothing: the newer task does the work.
    A delivery whose result is already stored does nothing either, so a
    duplicate never calls the provider or notifies twice.
    """
    ref = integration_ref(platform, task.uid, task.integration_id)
    snap = ref.get()
    if not snap.exists:
        return ValidateTaskResult(outcome="missing")
    if int(snap.get("validation_seq", 0)) != task.seq:
        return ValidateTaskResult(outcome="stale")
    if (
        int(snap.get("validation.seq", 0)) == task.seq
        and snap.get("validation.status") != "pending"
    ):
        return ValidateTaskResult(outcome="already_done", status=snap.get("validation.status"))
    key_version = int(snap.get("key_version", 0))
    info = get_provider(snap.get("provider"))
    try:
        api_key = decrypt(platform, snap)
    except SecretDecryptionError as exc:
        result = ValidationResult(
            provider=info.id,
            valid=False,
            status="invalid",
            message=f"the stored key cannot be decrypted ({exc}); enter it again",
        )
    else:
        result = registry.check_key(
            provider=info.id, api_key=api_key, options=dict(snap.get("options") or {})
        )
    state = _result_state(result, seq=task.seq, key_version=key_version)

    def store(tx: Transaction) -> bool:
        current = tx.get(ref)
        # Written only if no newer request arrived while the provider answered.
        if not current.exists or int(current.get("validation_seq", 0)) != task.seq:
            return False
        tx.update(ref, {"validation": state})
        return True

    stored = platform.documents.run_transaction(store)
    if not stored:
        return ValidateTaskResult(outcome="stale")
    log.info(
        "integration checked",
        extra=fields(
            uid=task.uid,
            integration_id=task.integration_id,
            provider=info.id,
            status=result.status,
        ),
    )
    notified = False
    if result.status in BAD_STATUSES:
        notified = _notify_invalid(platform, task=task, info=info, result=result)
    return ValidateTaskResult(outcome="validated", status=result.status, notified=notified)


def _notify_invalid(
    platform: Platform, *, task: ValidateTask, info: ProviderDeclaration, result: ValidationResult
) -> bool:
    """Tell the user their key stopped working (the one call site for notifications)."""
    try:
        notify_integration_error(
            platform=platform,
            uid=task.uid,
            integration_id=task.integration_id,
            provider=info.display_name,
            error=f"{info.display_name} rejected the key ({result.status}): {result.message}",
            idempotency_key=f"integration-{task.integration_id}-{task.seq}",
        )
    except Exception:
        # The verdict is stored and shown in the app either way; a failed
        # notification must not make the queue re-run a finished check.
        log.exception(
            "integration_error notification failed",
            extra=fields(uid=task.uid, integration_id=task.integration_id),
        )
        return False
    return True
