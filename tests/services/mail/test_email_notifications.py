"""Email notifications end to end on the embedded platform, through a loopback mail catcher."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from synthora_emulators.mailcatcher import MailCatcher
from werkzeug.test import Client

from synthora.errors import BadRequest, ServiceUnavailable
from synthora.identity import INTERNAL_TOKEN_HEADER
from synthora.local.gateway import Gateway
from synthora.platform import Platform, get_platform, set_platform
from synthora.services import notifications
from synthora.services.mail import service as mail
from synthora.services.mail import smtp
from synthora.services.mail.render import NotificationEmailContext, render_notification
from synthora.services.mail.unsubscribe import make_token
from synthora.settings import reset_settings_cache


@pytest.fixture
def catcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailCatcher]:
    c = MailCatcher().start()
    monkeypatch.setenv("SYNTHORA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SYNTHORA_SMTP_PORT", str(c.smtp_port))
    monkeypatch.setenv("SYNTHORA_SMTP_SECURITY", "none")
    monkeypatch.setenv("SYNTHORA_SMTP_FROM", "Synthora <no-reply@example.test>")
    reset_settings_cache()
    set_platform(None)
    yield c
    if smtp._sender is not None:
        smtp._sender.close()
    smtp._sender = None
    c.stop()


def _user(platform: Platform, uid: str = "u1", **prefs: Any) -> None:
    platform.documents.document(f"users/{uid}").set(
        {
            "email": f"{uid}@example.test",
            "role": "free",
            "is_active": True,
            "preferences": {"notifications": {"muted_types": [], "email": True, **prefs}},
        }
    )


def _queued(platform: Platform) -> list[dict[str, Any]]:
    with sqlite3.connect(platform.settings.data_dir / "synthora.sqlite3") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "task_queue" not in tables:
            return []
        rows = conn.execute(
            "SELECT payload FROM task_queue WHERE function = 'notifications_email'"
        ).fetchall()
    return [json.loads(r[0]) for r in rows]


def _fail_video(platform: Platform, uid: str = "u1", key: str = "v1-failed") -> str:
    out = notifications.notify_video_failed(
        platform=platform,
        uid=uid,
        video_id="v1",
        title="Cats <b>& dogs</b>",
        error="the voice provider refused the key",
        idempotency_key=key,
    )
    assert out is not None
    return out.id


def test_a_failed_video_is_emailed_once_with_both_parts(catcher: MailCatcher) -> None:
    platform = get_platform()
    _user(platform)
    nid = _fail_video(platform)
    _fail_video(platform)  # the same event again (a retried step): one task, one email
    assert _queued(platform) == [{"notification_id": nid}]

    first = mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))
    again = mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))

    assert first.status == "sent" and again.status == "already_sent"
    [message] = catcher.inbox.all()
    assert message["to"] == ["u1@example.test"]
    assert message["subject"] == "Video generation failed"
    assert "the voice provider refused the key" in message["text"]
    assert "Cats <b>& dogs</b>" in message["text"]  # plain text: as written
    assert "Cats &lt;b&gt;&amp; dogs&lt;/b&gt;" in message["html"]  # HTML: escaped
    assert "/videos/v1" in message["html"]
    unsubscribe = message["headers"]["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/email/unsubscribe?token=" in unsubscribe
    assert message["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message["text"]
    stored = platform.documents.document(f"notifications/{nid}").get()
    assert stored.get("email_sent_at") is not None
    assert stored.get("email_message_id") == message["headers"]["Message-ID"]


def test_email_off_sends_nothing_even_if_a_task_was_queued(catcher: MailCatcher) -> None:
    platform = get_platform()
    _user(platform, email=False)
    nid = _fail_video(platform)
    assert _queued(platform) == []  # nothing queued while email is off
    result = mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))
    assert (result.status, result.reason) == ("skipped", "email_off")
    assert catcher.inbox.all() == []


def test_app_only_types_and_unmarked_broadcasts_are_not_emailed(catcher: MailCatcher) -> None:
    platform = get_platform()
    _user(platform)
    notifications.notify_video_completed(platform=platform, uid="u1", video_id="v", title="t")
    notifications.notify_system(platform=platform, uid="u1", title="Hi", message="m")
    assert _queued(platform) == []
    marked = notifications.notify_system(
        platform=platform, uid="u1", title="Hi", message="m", email=True, idempotency_key="b1"
    )
    assert marked is not None
    assert _queued(platform) == [{"notification_id": marked.id}]


def test_without_smtp_nothing_is_queued() -> None:
    platform = get_platform()
    _user(platform)
    _fail_video(platform)
    assert not platform.settings.email_enabled
    assert _queued(platform) == []


def test_unsubscribe_link_turns_only_that_category_off(catcher: MailCatcher) -> None:
    platform = get_platform()
    _user(platform)
    nid = _fail_video(platform)
    mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))
    link = catcher.inbox.all()[0]["headers"]["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].partition("/")[2]
    client = Client(Gateway(settings=platform.settings, manifest=platform.manifest))

    page = client.get("/" + path)  # opening the link changes nothing (mail scanners)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "failed video" in page.get_data(as_text=True)
    assert platform.documents.document("users/u1").get().get(
        "preferences.notifications.email_unsubscribed"
    ) in (None, [])

    done = client.post("/" + path, data="List-Unsubscribe=One-Click")
    assert done.status_code == 200
    assert "You are unsubscribed" in done.get_data(as_text=True)
    prefs = platform.documents.document("users/u1").get().get("preferences.notifications")
    assert prefs["email_unsubscribed"] == ["videos"] and prefs["email"] is True

    # the next failed video is not emailed; a failed post still is
    assert _fail_video(platform, key="v1-failed-again")
    assert len(_queued(platform)) == 1
    post = notifications.notify_post_failed(
        platform=platform, uid="u1", post_id="p1", social_platform="tiktok", error="quota"
    )
    assert post is not None and len(_queued(platform)) == 2


def test_a_tampered_or_foreign_token_is_refused(catcher: MailCatcher) -> None:
    platform = get_platform()
    _user(platform)
    token = make_token(settings=platform.settings, uid="u1", category="videos")
    payload, mac = token.split(".")
    other = make_token(settings=platform.settings, uid="u2", category="billing")
    forged = [
        payload + "." + mac[:-2] + ("AA" if mac[-2:] != "AA" else "BB"),
        other.split(".")[0] + "." + mac,  # another user's payload with this signature
        payload,
        "not-a-token",
        make_token(settings=platform.settings, uid="u1", category="nonsense"),
    ]
    for bad in forged:
        with pytest.raises(BadRequest) as info:
            mail.apply_unsubscribe(platform=platform, token=bad)
        assert info.value.code == "invalid_unsubscribe_token"
    client = Client(Gateway(settings=platform.settings, manifest=platform.manifest))
    r = client.post(f"/api/v1/notifications/email/unsubscribe?token={forged[0]}")
    assert r.status_code == 400
    assert r.get_json()["error"]["code"] == "invalid_unsubscribe_token"
    prefs = platform.documents.document("users/u1").get().get("preferences.notifications")
    assert prefs.get("email_unsubscribed", []) == []


def test_a_temporary_smtp_failure_is_retried_and_releases_the_claim(
    catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = get_platform()
    _user(platform)
    nid = _fail_video(platform)

    def deferred(self: smtp.SmtpSender, email: smtp.OutgoingEmail) -> smtp.SentEmail:
        raise smtp.EmailTemporaryError("451 try again later")

    with monkeypatch.context() as m:
        m.setattr(smtp.SmtpSender, "send", deferred)
        with pytest.raises(ServiceUnavailable) as info:
            mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))
    assert info.value.code == "email_deferred"
    assert platform.documents.document(f"notifications/{nid}").get().get("email_claimed_at") is None
    retried = mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))
    assert retried.status == "sent"
    assert len(catcher.inbox.all()) == 1


def test_the_task_function_answers_through_the_gateway(catcher: MailCatcher) -> None:
    platform = get_platform()
    _user(platform)
    nid = _fail_video(platform)
    client = Client(Gateway(settings=platform.settings, manifest=platform.manifest))
    headers = {INTERNAL_TOKEN_HEADER: platform.settings.secret("internal_token")}
    r = client.post("/_fn/notifications_email/", json={"notification_id": nid}, headers=headers)
    assert r.status_code == 200 and r.get_json()["status"] == "sent"
    bad = {"notification_id": "x/../y"}
    r = client.post("/_fn/notifications_email/", json=bad, headers=headers)
    assert r.status_code in (400, 422)
    assert len(catcher.inbox.all()) == 1


def test_templates_render_both_parts() -> None:
    rendered = render_notification(
        NotificationEmailContext(
            subject="Payment failed",
            title="Payment failed",
            message="Your card was declined.",
            action_url="https://app.example/billing",
            action_label="Update billing",
            category_label="billing",
            unsubscribe_url="https://app.example/u?token=a.b",
            settings_url="https://app.example/settings",
        )
    )
    for part in (rendered.text, rendered.html):
        assert "Your card was declined." in part
        assert "https://app.example/billing" in part
        assert "https://app.example/u?token=a.b" in part
    assert rendered.html.lstrip().startswith("<!doctype html>")
    assert "<" not in rendered.text.replace("<", "", 0).split("--")[0]  # plain text, no markup


def test_the_catcher_json_api_and_inbox_page(catcher: MailCatcher) -> None:
    import httpx

    platform = get_platform()
    _user(platform)
    nid = _fail_video(platform)
    mail.deliver(platform=platform, task=mail.EmailTask(notification_id=nid))
    listed = httpx.get(f"{catcher.web_url}/api/messages", params={"to": "u1@example.test"}).json()
    assert [m["subject"] for m in listed["items"]] == ["Video generation failed"]
    one = httpx.get(f"{catcher.web_url}/api/messages/{listed['items'][0]['id']}").json()
    assert one["html"] and one["text"]
    inbox = httpx.get(catcher.web_url + "/")
    assert "Video generation failed" in inbox.text
    assert httpx.get(f"{catcher.web_url}/api/messages", params={"to": "x@y"}).json() == {
        "items": []
    }
