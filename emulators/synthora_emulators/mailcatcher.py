"""A local mail catcher: an SMTP server that keeps every message, and a web inbox.

`python -m synthora_emulators.mailcatcher` (started by `make dev`) listens on
loopback only:

    SMTP   127.0.0.1:$SYNTHORA_MAIL_SMTP_PORT (default 1025), no TLS, no auth
    web    http://127.0.0.1:$SYNTHORA_MAIL_WEB_PORT (default 8025)

Nothing is relayed anywhere: the messages stay in memory (the newest
`MAX_MESSAGES`) until the process stops or `DELETE /api/messages` clears them.

The SMTP side is a small server on asyncio speaking the subset of RFC 5321
that a client such as `smtplib` uses (EHLO/HELO, MAIL, RCPT, DATA with dot
un-stuffing, RSET, NOOP, VRFY, QUIT); the web side is a werkzeug app:

    GET    /                      the inbox (HTML), newest first
    GET    /messages/<id>         one message: headers, plain-text part, HTML part
    GET    /api/messages          JSON list (`?to=<address>` filters by recipient)
    GET    /api/messages/<id>     JSON: headers, text, html, raw
    DELETE /api/messages          empty the inbox
    GET    /_mail/health          {"service": "synthora-mailcatcher"}

Tests start it in-process with `MailCatcher().start()` (ports chosen by the OS).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import threading
import uuid
from collections import deque
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

log = logging.getLogger("synthora_emulators.mailcatcher")

DEFAULT_SMTP_PORT = 1025
DEFAULT_WEB_PORT = 8025
MAX_MESSAGES = 500
MAX_MESSAGE_BYTES = 10 * 1024 * 1024
HEALTH_SERVICE = "synthora-mailcatcher"


class Inbox:
    """The messages received, newest last (thread-safe)."""

    def __init__(self, limit: int = MAX_MESSAGES) -> None:
        self._messages: deque[dict[str, Any]] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def add(self, *, mail_from: str, rcpt_to: list[str], raw: bytes) -> dict[str, Any]:
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        text_part = parsed.get_body(preferencelist=("plain",))
        html_part = parsed.get_body(preferencelist=("html",))
        record = {
            "id": uuid.uuid4().hex[:16],
            "received_at": datetime.now(UTC).isoformat(),
            "mail_from": mail_from,
            "to": rcpt_to,
            "subject": str(parsed.get("Subject", "")),
            "from": str(parsed.get("From", "")),
            "headers": {k: str(v).strip() for k, v in parsed.items()},
            "text": text_part.get_content() if text_part is not None else None,
            "html": html_part.get_content() if html_part is not None else None,
            "raw": raw.decode("utf-8", errors="replace"),
        }
        with self._lock:
            self._messages.append(record)
        return record

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._messages)

    def get(self, message_id: str) -> dict[str, Any] | None:
        return next((m for m in self.all() if m["id"] == message_id), None)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


# --------------------------------------------------------------------------- SMTP


class _Session:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.mail_from: str | None = None
        self.rcpt_to: list[str] = []


def _address(arg: str, prefix: str) -> str | None:
    """`FROM:<a@b> SIZE=1` -> `a@b`; None when malformed."""
    if not arg.upper().startswith(prefix):
        return None
    rest = arg[len(prefix) :].strip()
    if not rest.startswith("<") or ">" not in rest:
        return None
    return rest[1 : rest.index(">")]


async def _handle_smtp(
    inbox: Inbox, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    async def reply(line: str) -> None:
        writer.write((line + "\r\n").encode())
        await writer.drain()

    session = _Session()
    await reply("220 synthora-mailcatcher ESMTP ready")
    try:
        while True:
            raw_line = await reader.readline()
            if not raw_line:
                return
            line = raw_line.decode("utf-8", errors="replace").rstrip("\r\n")
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                writer.write(b"250-synthora-mailcatcher\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n")
                await reply(f"250 SIZE {MAX_MESSAGE_BYTES}")
            elif verb == "HELO":
                await reply("250 synthora-mailcatcher")
            elif verb == "MAIL":
                address = _address(arg, "FROM:")
                if address is None:
                    await reply("501 syntax: MAIL FROM:<address>")
                    continue
                session.reset()
                session.mail_from = address
                await reply("250 OK")
            elif verb == "RCPT":
                address = _address(arg, "TO:")
                if session.mail_from is None:
                    await reply("503 MAIL first")
                elif not address:
                    await reply("501 syntax: RCPT TO:<address>")
                else:
                    session.rcpt_to.append(address)
                    await reply("250 OK")
            elif verb == "DATA":
                if not session.rcpt_to or session.mail_from is None:
                    await reply("503 RCPT first")
                    continue
                await reply("354 end data with <CR><LF>.<CR><LF>")
                lines: list[bytes] = []
                size = 0
                while True:
                    data_line = await reader.readline()
                    if not data_line:
                        return
                    if data_line in (b".\r\n", b".\n"):
                        break
                    if data_line.startswith(b".."):
                        data_line = data_line[1:]  # dot un-stuffing (RFC 5321 4.5.2)
                    size += len(data_line)
                    lines.append(data_line)
                if size > MAX_MESSAGE_BYTES:
                    await reply("552 message too large")
                else:
                    record = inbox.add(
                        mail_from=session.mail_from, rcpt_to=session.rcpt_to, raw=b"".join(lines)
                    )
                    await reply(f"250 OK queued as {record['id']}")
                session.reset()
            elif verb == "RSET":
                session.reset()
                await reply("250 OK")
            elif verb == "NOOP":
                await reply("250 OK")
            elif verb == "VRFY":
                await reply("252 cannot verify, will accept")
            elif verb == "QUIT":
                await reply("221 bye")
                return
            else:
                await reply("502 command not implemented")
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
        return
    finally:
        writer.close()


# --------------------------------------------------------------------------- web

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;background:#f6f6f8;color:#111}"
    "header{background:#1f1147;color:#fff;padding:12px 20px}main{padding:16px 20px}"
    "table{border-collapse:collapse;width:100%;background:#fff}"
    "td,th{padding:8px;border-bottom:1px solid #ddd;text-align:left;font-size:14px}"
    "pre{white-space:pre-wrap;background:#fff;padding:12px;border:1px solid #ddd}"
    "iframe{width:100%;height:480px;border:1px solid #ddd;background:#fff}a{color:#4b2bd6}"
)


def _page(title: str, body: str) -> Response:
    doc = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f'</title><meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<style>{_STYLE}</style></head><body><header><strong>Synthora mail catcher</strong>"
        f' · <a style="color:#fff" href="/">Inbox</a></header><main>{body}</main></body></html>'
    )
    return Response(doc, mimetype="text/html")


def _summary(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m[k] for k in ("id", "received_at", "mail_from", "to", "subject", "from")}


def make_web_app(inbox: Inbox) -> Any:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        path = request.path.rstrip("/") or "/"
        response: Response
        if path == "/_mail/health":
            response = Response(
                json.dumps({"service": HEALTH_SERVICE}), mimetype="application/json"
            )
        elif path == "/api/messages" and request.method == "DELETE":
            inbox.clear()
            response = Response(status=204)
        elif path == "/api/messages":
            to = (request.args.get("to") or "").lower()
            items = [
                _summary(m)
                for m in reversed(inbox.all())
                if not to or to in [t.lower() for t in m["to"]]
            ]
            response = Response(json.dumps({"items": items}), mimetype="application/json")
        elif path.startswith("/api/messages/"):
            found = inbox.get(path.removeprefix("/api/messages/"))
            response = (
                Response(json.dumps(found), mimetype="application/json")
                if found
                else Response(json.dumps({"error": "no such message"}), status=404)
            )
        elif path == "/":
            rows = "".join(
                f'<tr><td><a href="/messages/{m["id"]}">{html.escape(m["subject"] or "(none)")}'
                f"</a></td><td>{html.escape(', '.join(m['to']))}</td>"
                f"<td>{html.escape(m['received_at'])}</td></tr>"
                for m in reversed(inbox.all())
            )
            table = (
                "<table><thead><tr><th>Subject</th><th>To</th><th>Received</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
                if rows
                else "<p>No messages yet.</p>"
            )
            response = _page("Inbox", f"<h1>Inbox</h1>{table}")
        elif path.startswith("/messages/"):
            found = inbox.get(path.removeprefix("/messages/"))
            if not found:
                response = _page("Not found", "<h1>No such message</h1>")
                response.status_code = 404
            else:
                heads = "".join(
                    f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                    for k, v in found["headers"].items()
                )
                parts = f"<h2>Plain text</h2><pre>{html.escape(found['text'] or '')}</pre>"
                if found["html"]:
                    parts += (
                        '<h2>HTML</h2><iframe title="HTML part" sandbox="allow-popups" '
                        f'srcdoc="{html.escape(found["html"], quote=True)}"></iframe>'
                    )
                response = _page(
                    found["subject"],
                    f"<h1>{html.escape(found['subject'])}</h1><table>{heads}</table>{parts}",
                )
        else:
            response = Response(json.dumps({"error": "not found"}), status=404)
        return response(environ, start_response)

    return app


# --------------------------------------------------------------------------- running


class MailCatcher:
    """SMTP + web inbox in background threads (for tests and `main`)."""

    def __init__(self, *, smtp_port: int = 0, web_port: int = 0, host: str = "127.0.0.1") -> None:
        self.host = host
        self.inbox = Inbox()
        self._smtp_port = smtp_port
        self._web_port = web_port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._web: BaseWSGIServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def smtp_port(self) -> int:
        assert self._server is not None, "not started"
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def web_url(self) -> str:
        assert self._web is not None, "not started"
        return f"http://{self.host}:{self._web.server_port}"

    def start(self, *, web: bool = True) -> MailCatcher:
        ready = threading.Event()

        def run_smtp() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop

            async def serve() -> None:
                self._server = await asyncio.start_server(
                    lambda r, w: _handle_smtp(self.inbox, r, w), self.host, self._smtp_port
                )
                ready.set()

            loop.run_until_complete(serve())
            loop.run_forever()
            # Stopped: end the conversations still open, then close the loop.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

        smtp_thread = threading.Thread(target=run_smtp, name="mailcatcher-smtp", daemon=True)
        smtp_thread.start()
        self._threads.append(smtp_thread)
        if not ready.wait(10):
            raise RuntimeError("the mail catcher's SMTP server did not start")
        if web:
            self._web = make_server(
                self.host, self._web_port, make_web_app(self.inbox), threaded=True
            )
            web_thread = threading.Thread(
                target=self._web.serve_forever, name="mailcatcher-web", daemon=True
            )
            web_thread.start()
            self._threads.append(web_thread)
        return self

    def stop(self) -> None:
        if self._web is not None:
            self._web.shutdown()
            self._web.server_close()
        loop, server = self._loop, self._server
        if loop is not None and server is not None:

            def close() -> None:
                server.close()
                loop.stop()

            loop.call_soon_threadsafe(close)
        for thread in self._threads:
            thread.join(timeout=5)


def main() -> None:
    smtp_port = int(os.environ.get("SYNTHORA_MAIL_SMTP_PORT", DEFAULT_SMTP_PORT))
    web_port = int(os.environ.get("SYNTHORA_MAIL_WEB_PORT", DEFAULT_WEB_PORT))
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    catcher = MailCatcher(smtp_port=smtp_port, web_port=web_port).start(web=False)
    web = make_server("127.0.0.1", web_port, make_web_app(catcher.inbox), threaded=True)
    log.warning(
        '{"severity": "NOTICE", "message": "mail catcher listening", "smtp_port": %d, '
        '"web_port": %d}',
        smtp_port,
        web_port,
    )
    try:
        web.serve_forever()
    except KeyboardInterrupt:  # the gateway stops us with SIGINT
        pass
    finally:
        web.server_close()
        catcher.stop()


if __name__ == "__main__":
    main()
