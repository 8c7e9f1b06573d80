"""The SMTP provider: one module, any provider that speaks SMTP (RFC 5321).

Amazon SES, SendGrid, Mailgun, Postmark, Gmail/Workspace relays and a local
mail catcher all accept the same conversation, so the client is Python's
`smtplib` with the host, port, security and credentials from settings:
`starttls` (submission, port 587, RFC 3207), `ssl` (implicit TLS, port 465,
RFC 8314) or `none` (loopback only, the local mail catcher).

The connection is opened lazily on the first send and reused while the
process lives; a server that closed it is reconnected once. Failures are
sorted the way RFC 5321 section 4.2.1 sorts replies: 4xx and connection
problems are temporary (`EmailTemporaryError`: the task is retried by the
queue), 5xx are permanent (`EmailPermanentError`: retrying cannot help).

References: https://docs.python.org/3/library/smtplib.html,
https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1,
https://www.rfc-editor.org/rfc/rfc8058 (one-click List-Unsubscribe).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formatdate
from typing import Literal

from pydantic import BaseModel, SecretStr

from synthora.logs import fields, get_logger
from synthora.settings import Settings

log = get_logger(__name__)


class EmailTemporaryError(Exception):
    """The server could not take the message now (4xx, connection): retry later."""


class EmailPermanentError(Exception):
    """The server refused the message for good (5xx): retrying cannot help."""


class SmtpConfig(BaseModel):
    host: str
    port: int
    security: Literal["starttls", "ssl", "none"]
    username: str | None = None
    password: SecretStr | None = None
    from_address: str
    timeout_s: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        if not settings.smtp_host:
            raise ValueError("SYNTHORA_SMTP_HOST is not set: email is off")
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password,
            from_address=settings.smtp_from,
            timeout_s=settings.smtp_timeout_s,
        )


class OutgoingEmail(BaseModel):
    to: str
    subject: str
    text: str
    html: str
    message_id: str
    headers: dict[str, str] = {}


class SentEmail(BaseModel):
    message_id: str
    to: str


def build_message(email: OutgoingEmail, *, from_address: str) -> EmailMessage:
    """A multipart/alternative message: the plain-text part first, then the HTML one."""
    msg = EmailMessage()
    msg["From"] = from_address
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = email.message_id
    for name, value in email.headers.items():
        msg[name] = value
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    return msg


def _is_temporary(code: int) -> bool:
    return 400 <= code < 500


class SmtpSender:
    """Sends messages over one lazily opened, reused SMTP connection."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._client: smtplib.SMTP | None = None
        self._lock = threading.Lock()

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        client: smtplib.SMTP
        if c.security == "ssl":
            client = smtplib.SMTP_SSL(
                c.host, c.port, timeout=c.timeout_s, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
            if c.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        client.ehlo_or_helo_if_needed()
        if c.username and c.password is not None:
            client.login(c.username, c.password.get_secret_value())
        return client

    def _client_or_connect(self) -> smtplib.SMTP:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()

    def send(self, email: OutgoingEmail) -> SentEmail:
        msg = build_message(email, from_address=self.config.from_address)
        with self._lock:
            for attempt in (1, 2):
                try:
                    refused = self._client_or_connect().send_message(msg)
                    break
                except smtplib.SMTPServerDisconnected as exc:
                    # A reused connection the server closed: reconnect once.
                    self._drop()
                    if attempt == 2:
                        raise EmailTemporaryError(f"SMTP server disconnected: {exc}") from exc
                except smtplib.SMTPAuthenticationError as exc:
                    self._drop()
                    raise EmailPermanentError(
                        f"SMTP login refused ({exc.smtp_code}): check SYNTHORA_SMTP_USERNAME "
                        "and the SYNTHORA_SMTP_PASSWORD secret"
                    ) from exc
                except smtplib.SMTPRecipientsRefused as exc:
                    codes = [code for code, _ in exc.recipients.values()]
                    if all(_is_temporary(code) for code in codes):
                        raise EmailTemporaryError(f"recipient deferred: {codes}") from exc
                    raise EmailPermanentError(f"recipient refused: {codes}") from exc
                except smtplib.SMTPResponseException as exc:
                    self._drop()
                    if _is_temporary(exc.smtp_code):
                        raise EmailTemporaryError(
                            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
                        ) from exc
                    raise EmailPermanentError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
                except (smtplib.SMTPException, OSError) as exc:
                    self._drop()
                    raise EmailTemporaryError(f"SMTP connection failed: {exc}") from exc
        if refused:
            raise EmailPermanentError(f"recipient refused: {sorted(refused)}")
        log.info("email sent", extra=fields(message_id=email.message_id))
        return SentEmail(message_id=email.message_id, to=email.to)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    self._client.quit()
            self._drop()


_sender: SmtpSender | None = None
_sender_lock = threading.Lock()


def get_sender(settings: Settings) -> SmtpSender:
    """The process's sender for these settings (created on first use)."""
    global _sender
    config = SmtpConfig.from_settings(settings)
    with _sender_lock:
        if _sender is None or _sender.config != config:
            if _sender is not None:
                _sender.close()
            _sender = SmtpSender(config)
        return _sender
