"""Master-key rotation: re-wrap every stored integration secret under the active key.

    python -m synthora.services.key_rotation [--dry-run] [--batch-size 200]

Rotation (see `docs/integrations.md`): put the new master key first in
`SYNTHORA_MASTER_KEYS` (keeping the old one after it), deploy, run this
command until it reports `failed: 0` and `remaining_old: 0`, then drop the old
key. Only the wrapped data key changes (`secret.key_id`, `secret.wrapped_key`);
the ciphertext and the plaintext never move, and nothing is decrypted beyond
the 32-byte data key.

The run is idempotent: a secret already under the active key is counted as
`already_current` and left alone, so an interrupted run is simply started
again. Each batch is one transaction that re-reads its documents, so a key
replaced by the user while the rotation runs is never overwritten with the
old one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from synthora.logs import fields, get_logger
from synthora.platform import Platform, get_platform
from synthora.ports.documents import Transaction
from synthora.security.crypto import (
    EncryptedSecret,
    MasterKeyring,
    SecretDecryptionError,
    rewrap,
)

log = get_logger(__name__)

COLLECTION_GROUP = "integrations"
DEFAULT_BATCH = 200  # well under Firestore's 500 writes per transaction


@dataclass(frozen=True)
class _Outcome:
    path: str
    key_id: str | None
    kind: str  # without_secret | already_current | rewrapped | failed
    error: str = ""


class RotationFailure(BaseModel):
    path: str
    error: str


class RotationReport(BaseModel):
    """What a rotation run found and did."""

    active_key_id: str
    dry_run: bool
    scanned: int = 0
    rewrapped: int = 0
    already_current: int = 0
    without_secret: int = 0
    failed: int = 0
    remaining_old: int = Field(
        default=0, description="Secrets still under another key after the run (dry run: to do)."
    )
    by_key_before: dict[str, int] = Field(default_factory=dict)
    failures: list[RotationFailure] = Field(default_factory=list)


def rotate_integration_secrets(
    *,
    platform: Platform,
    keyring: MasterKeyring | None = None,
    batch_size: int = DEFAULT_BATCH,
    dry_run: bool = False,
) -> RotationReport:
    """Re-wrap every `users/*/integrations/*` secret under `keyring`'s active key."""
    if not 1 <= batch_size <= 500:
        raise ValueError("batch_size must be between 1 and 500")
    keyring = keyring or MasterKeyring.from_settings(platform.settings)
    report = RotationReport(active_key_id=keyring.active_key_id, dry_run=dry_run)
    before: Counter[str] = Counter()
    store = platform.documents
    # A collection-group query with no filter or order needs no index.
    paths = [s.reference.path for s in store.collection_group(COLLECTION_GROUP).stream()]
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]

        def run(tx: Transaction, chunk: Sequence[str] = chunk) -> list[_Outcome]:
            outcomes: list[_Outcome] = []
            updates: list[tuple[Any, dict[str, Any]]] = []
            for path in chunk:
                ref = store.document(path)
                snap = tx.get(ref)  # re-read inside the transaction: the latest secret
                raw = snap.get("secret") if snap.exists else None
                if not snap.exists:
                    continue  # deleted since the scan
                if raw is None:
                    outcomes.append(_Outcome(path, None, "without_secret"))
                    continue
                try:
                    secret = EncryptedSecret.model_validate(raw)
                except ValidationError:
                    outcomes.append(_Outcome(path, None, "failed", "stored secret is malformed"))
                    continue
                if secret.key_id == keyring.active_key_id:
                    outcomes.append(_Outcome(path, secret.key_id, "already_current"))
                    continue
                try:
                    new = rewrap(secret=secret, keyring=keyring)
                except SecretDecryptionError as exc:
                    outcomes.append(_Outcome(path, secret.key_id, "failed", str(exc)))
                    continue
                outcomes.append(_Outcome(path, secret.key_id, "rewrapped"))
                updates.append((ref, {"secret": new.model_dump()}))
            if not dry_run:
                for ref, data in updates:
                    tx.update(ref, data)
            return outcomes

        for outcome in store.run_transaction(run):
            report.scanned += 1
            if outcome.key_id is not None:
                before[outcome.key_id] += 1
            if outcome.kind == "without_secret":
                report.without_secret += 1
            elif outcome.kind == "already_current":
                report.already_current += 1
            elif outcome.kind == "rewrapped":
                report.rewrapped += 1
            else:
                report.failed += 1
                report.failures.append(RotationFailure(path=outcome.path, error=outcome.error))
    report.by_key_before = dict(sorted(before.items()))
    report.remaining_old = report.failed if not dry_run else report.rewrapped + report.failed
    log.info(
        "master key rotation finished",
        extra=fields(**report.model_dump(exclude={"failures", "by_key_before"})),
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: prints the report as JSON; exit 1 when a secret failed."""
    parser = argparse.ArgumentParser(
        prog="python -m synthora.services.key_rotation",
        description="Re-wrap every stored integration secret under the active master key "
        "(the first entry of SYNTHORA_MASTER_KEYS).",
    )
    parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="1-500.")
    args = parser.parse_args(argv)
    report = rotate_integration_secrets(
        platform=get_platform(), batch_size=args.batch_size, dry_run=args.dry_run
    )
    sys.stdout.write(json.dumps(report.model_dump(), indent=2) + "\n")
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
