"""The integrations service as the pipeline and operators use it: choosing an
integration for a step, marking it used, rotating the master key."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from typing import Any

import pytest

from synthora.errors import NotFound, ServiceUnavailable
from synthora.platform import Platform, get_platform, set_platform
from synthora.ports.tasks import TaskQueueError
from synthora.security.crypto import EncryptedSecret, MasterKeyring, decrypt_secret
from synthora.services import integrations as svc
from synthora.services.key_rotation import main as rotation_main
from synthora.services.key_rotation import rotate_integration_secrets
from synthora.settings import reset_settings_cache

OPENAI_KEY = "sk-test-0123456789abcdefghijABCD"
ELEVEN_KEY = "el_0123456789abcdef0123456789abcdef"
PEXELS_KEY = "pexels0123456789abcdef0123456789abcdef012345"


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


K1 = f"k1:{_key()}"
K2 = f"k2:{_key()}"


def _set(platform: Platform, uid: str, iid: str, **updates: Any) -> None:
    platform.documents.document(f"users/{uid}/integrations/{iid}").update(updates)


def _add(platform: Platform, uid: str, provider: str, key: str | None) -> str:
    return svc.add_integration(
        platform=platform,
        uid=uid,
        request=svc.AddIntegrationRequest(provider=provider, api_key=key),  # type: ignore[arg-type]
    ).id


def _use_keys(monkeypatch: pytest.MonkeyPatch, value: str) -> Platform:
    monkeypatch.setenv("SYNTHORA_MASTER_KEYS", value)
    reset_settings_cache()
    set_platform(None)
    return get_platform()


# --------------------------------------------------------------------------- pipeline API


def test_no_integration_means_offline(platform: Platform) -> None:
    assert svc.active_integration_for(platform=platform, uid="u1", category="script") is None
    readiness = svc.integration_readiness(platform=platform, uid="u1")
    assert readiness.can_generate is True
    assert [s.source for s in readiness.steps] == [
        "offline",
        "offline",
        "offline",
        "none",
        "offline",
    ]


def test_resolves_the_decrypted_key_preferring_valid_and_primary(platform: Platform) -> None:
    openai = _add(platform, "u1", "openai", OPENAI_KEY)
    eleven = _add(platform, "u1", "elevenlabs", ELEVEN_KEY)

    # both pending: ElevenLabs wins voice because voice is its primary category
    got = svc.active_integration_for(platform=platform, uid="u1", category="voice")
    assert got is not None
    assert (got.integration_id, got.provider, got.api_key) == (eleven, "elevenlabs", ELEVEN_KEY)
    assert got.validation_status == "pending"
    assert OPENAI_KEY not in repr(
        svc.active_integration_for(platform=platform, uid="u1", category="script")
    )  # the key stays out of reprs (and so out of logs)

    # a valid OpenAI beats a still-pending ElevenLabs
    _set(platform, "u1", openai, **{"validation.status": "valid"})
    got = svc.active_integration_for(platform=platform, uid="u1", category="voice")
    assert got is not None and got.integration_id == openai and got.api_key == OPENAI_KEY

    # an invalid key is never chosen; a provider filter narrows the choice
    _set(platform, "u1", openai, **{"validation.status": "invalid"})
    got = svc.active_integration_for(platform=platform, uid="u1", category="voice")
    assert got is not None and got.integration_id == eleven
    assert (
        svc.active_integration_for(platform=platform, uid="u1", category="voice", provider="openai")
        is None
    )
    assert svc.active_integration_for(platform=platform, uid="u1", category="script") is None
    # nobody else's integrations are considered
    assert svc.active_integration_for(platform=platform, uid="u2", category="voice") is None


def test_an_explicit_integration_must_fit_the_step(platform: Platform) -> None:
    eleven = _add(platform, "u1", "elevenlabs", ELEVEN_KEY)
    got = svc.active_integration_for(
        platform=platform, uid="u1", category="voice", integration_id=eleven
    )
    assert got is not None and got.api_key == ELEVEN_KEY
    with pytest.raises(svc.IntegrationUnavailable) as exc:
        svc.active_integration_for(
            platform=platform, uid="u1", category="script", integration_id=eleven
        )
    assert exc.value.status == 409
    with pytest.raises(NotFound):
        svc.active_integration_for(
            platform=platform, uid="u2", category="voice", integration_id=eleven
        )
    svc.set_active(platform=platform, uid="u1", integration_id=eleven, is_active=False)
    with pytest.raises(svc.IntegrationUnavailable, match="turned off"):
        svc.active_integration_for(
            platform=platform, uid="u1", category="voice", integration_id=eleven
        )
    with pytest.raises(NotFound):
        svc.active_integration_for(
            platform=platform, uid="u1", category="voice", integration_id="../../etc"
        )


def test_mark_used_records_the_time_and_ignores_missing(platform: Platform) -> None:
    iid = _add(platform, "u1", "openai", OPENAI_KEY)
    before = datetime.now(UTC)
    svc.mark_used(platform=platform, uid="u1", integration_id=iid)
    out = svc.get_integration(platform=platform, uid="u1", integration_id=iid)
    assert out.last_used_at is not None and out.last_used_at >= before
    svc.mark_used(platform=platform, uid="u1", integration_id="missing")  # no error, no doc
    assert not platform.documents.document("users/u1/integrations/missing").get().exists


def test_readiness_reports_the_chosen_integration(platform: Platform) -> None:
    iid = _add(platform, "u1", "pexels", PEXELS_KEY)
    _set(platform, "u1", iid, **{"validation.status": "valid"})
    readiness = svc.integration_readiness(platform=platform, uid="u1")
    media = next(s for s in readiness.steps if s.step == "media")
    assert (media.source, media.provider, media.integration_id) == ("integration", "pexels", iid)
    assert readiness.configured_categories == ["media"]
    assert "media" not in readiness.missing_categories


def test_a_secret_copied_to_another_record_does_not_decrypt(platform: Platform) -> None:
    a = _add(platform, "u1", "openai", OPENAI_KEY)
    b = _add(platform, "u2", "openai", "sk-other-0123456789abcdefghij")
    secret = platform.documents.document(f"users/u1/integrations/{a}").get().get("secret")
    _set(platform, "u2", b, secret=secret)  # an attacker with write access swaps ciphertexts
    with pytest.raises(svc.IntegrationUnavailable, match="cannot be decrypted"):
        svc.active_integration_for(platform=platform, uid="u2", category="script")


# --------------------------------------------------------------------------- validation task


def test_an_invalid_key_notifies_the_owner_once(platform: Platform) -> None:
    import httpx
    import respx

    from synthora.services.notifications import list_notifications, unread_counts

    iid = _add(platform, "u1", "openai", OPENAI_KEY)
    task = svc.ValidateTask(uid="u1", integration_id=iid, seq=1)
    with respx.mock(assert_all_mocked=True) as mock:
        mock.get("https://api.openai.com/v1/models").mock(
            return_value=httpx.Response(401, json={"error": {"message": "bad key"}})
        )
        first = svc.run_validation(platform=platform, task=task)
        second = svc.run_validation(platform=platform, task=task)
    assert first.outcome == "validated" and first.notified is True
    assert second.outcome == "already_done" and second.notified is False
    counts = unread_counts(platform=platform, uid="u1")
    assert counts.total == 1 and counts.by_type.get("integration_error") == 1
    page = list_notifications(platform=platform, uid="u1", limit=10, cursor=None)
    (note,) = page.items
    assert note.data["integration_id"] == iid
    assert "bad key" in note.message and "invalid" in note.message
    assert OPENAI_KEY not in repr(page)


def test_a_stale_task_does_nothing(platform: Platform) -> None:
    iid = _add(platform, "u1", "openai", OPENAI_KEY)
    svc.request_validation(platform=platform, uid="u1", integration_id=iid)  # seq 2
    result = svc.run_validation(
        platform=platform, task=svc.ValidateTask(uid="u1", integration_id=iid, seq=1)
    )
    assert result.outcome == "stale"
    out = svc.get_integration(platform=platform, uid="u1", integration_id=iid)
    assert out.validation.status == "pending" and out.validation.seq == 2


# --------------------------------------------------------------------------- key rotation


def test_rotation_rewraps_every_secret_under_the_new_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = _use_keys(monkeypatch, K1)
    ids = [(f"u{i}", _add(platform, f"u{i}", "openai", f"{OPENAI_KEY}{i}")) for i in range(5)]
    ids.append(("u0", _add(platform, "u0", "ffmpeg", None)))

    platform = _use_keys(monkeypatch, f"{K2},{K1}")  # new key first, old one kept
    dry = rotate_integration_secrets(platform=platform, dry_run=True, batch_size=2)
    assert (dry.scanned, dry.rewrapped, dry.without_secret, dry.remaining_old) == (6, 5, 1, 5)
    assert dry.by_key_before == {"k1": 5}

    report = rotate_integration_secrets(platform=platform, batch_size=2)
    assert (report.scanned, report.rewrapped, report.already_current, report.failed) == (
        6,
        5,
        0,
        0,
    )
    assert report.remaining_old == 0

    again = rotate_integration_secrets(platform=platform, batch_size=2)
    assert (again.rewrapped, again.already_current) == (0, 5)  # idempotent

    # only the new key is needed now
    only_new = MasterKeyring.from_config(K2)
    for i, (uid, iid) in enumerate(ids[:5]):
        path = f"users/{uid}/integrations/{iid}"
        raw = platform.documents.document(path).get().get("secret")
        secret = EncryptedSecret.model_validate(raw)
        assert secret.key_id == "k2"
        assert decrypt_secret(secret=secret, keyring=only_new, aad=path) == f"{OPENAI_KEY}{i}"
    platform = _use_keys(monkeypatch, K2)
    got = svc.active_integration_for(platform=platform, uid="u3", category="script")
    assert got is not None and got.api_key == f"{OPENAI_KEY}3"


def test_rotation_reports_secrets_it_cannot_unwrap(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    platform = _use_keys(monkeypatch, K1)
    _add(platform, "u1", "openai", OPENAI_KEY)
    _use_keys(monkeypatch, K2)  # the old key was dropped too early
    code = rotation_main([])
    out = capsys.readouterr().out
    assert code == 1
    assert '"failed": 1' in out and "k1" in out
    assert OPENAI_KEY not in out


def test_a_queue_outage_keeps_the_key_and_refuses_on_demand_checks(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_: Any) -> None:
        raise TaskQueueError("queue unavailable")

    monkeypatch.setattr(platform.tasks, "enqueue", refuse)
    iid = _add(platform, "u1", "openai", OPENAI_KEY)  # saved; its check stays pending
    assert svc.get_integration(
        platform=platform, uid="u1", integration_id=iid
    ).validation.status == ("pending")
    with pytest.raises(ServiceUnavailable) as exc:
        svc.request_validation(platform=platform, uid="u1", integration_id=iid)
    assert exc.value.status == 503
