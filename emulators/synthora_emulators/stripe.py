"""Stripe emulator: the subset of the Stripe API Synthora's billing uses, test mode only.

Mounted at `/stripe`; Synthora's `stripe` client (stripe-python through its
HTTPX client) points its `api` base address at `http://127.0.0.1:<port>/stripe`
and speaks form-encoded `/v1/...` requests to it unchanged.

Covered (shapes in `stripe_shapes`, which cites each documentation page):

- Products and Prices with lookup keys: create, retrieve, update, list (filters
  `lookup_keys[]`, `active`, `product`, `type`, `expand[]=data.product`),
  `GET /v1/prices/search?query=lookup_key:'…'`; a lookup key already taken is
  refused unless `transfer_lookup_key=true`.
- Customers: create, retrieve, update, list (`email`), delete.
- Checkout Sessions in `subscription` mode: create, retrieve, list, expire, and
  a plain local checkout page (`url`) labelled "Emulated (local) checkout" that
  takes Stripe's documented test cards (https://docs.stripe.com/testing):
  4242 4242 4242 4242 (and any other valid number) pays; 4000 0000 0000 0002
  is declined (`card_declined`/`generic_decline`); 4000 0000 0000 9995 is
  declined for `insufficient_funds`; 4000 0025 0000 3155 needs authentication
  (an extra confirm step; later off-session renewals need none);
  4000 0000 0000 0341 attaches but every charge fails (so it can only be added
  through the portal's "update card", and the next renewal fails). The
  subscription is created only after payment, as since Basil.
- Billing Portal sessions with a page: cancel (at period end), renew (undo the
  cancellation), change plan (prorated), update card (pays open invoices).
- Subscriptions: retrieve, list, update (`items`, `proration_behavior`
  create_prorations|always_invoice|none, `proration_date`, `cancel_at_period_end`,
  `metadata`, `default_payment_method`), cancel now (`DELETE`). Changing the
  interval resets the billing cycle and invoices at once, with credit for
  unused time; a same-interval change prorates onto the next invoice unless
  `always_invoice` (https://docs.stripe.com/billing/subscriptions/prorations).
- Invoices: list (`customer`, `subscription`, `status`), retrieve, a hosted
  page and a PDF, and `POST /v1/invoices/create_preview` (next renewal, or the
  proration of `subscription_details[items]`).
- Events: list and retrieve; webhook delivery to one endpoint configured over
  the control API, signed exactly as Stripe signs
  (https://docs.stripe.com/webhooks#verify-manually), retried after 60 s,
  5 min and 30 min of emulated time on a non-2xx answer or a connection error.
- Idempotency (https://docs.stripe.com/api/idempotent_requests): a POST with an
  `Idempotency-Key` saves its status and body; the same key with the same
  parameters replays them (`Idempotent-Replayed: true`), with other parameters
  it is refused with `idempotency_error`. Validation failures are not saved.
- The clock: at each item's `current_period_end` a subscription renews (a paid
  `subscription_cycle` invoice: `invoice.paid`, `invoice.payment_succeeded`,
  `customer.subscription.updated`), or, if cancelled at period end, ends
  (`customer.subscription.deleted`). A failed renewal makes it `past_due`
  (`invoice.payment_failed`), retried 3, 5 and 7 days later; after the last
  failure it is cancelled.
- Errors in Stripe's body (`{"error": {type, code, message, param, doc_url}}`)
  with Stripe's statuses: 400 invalid request, 401 bad key, 402 card error,
  404 missing resource; injected faults answer `api_error` / `rate_limit_error`.

Not covered: live mode, Connect, taxes, coupons, trials other than
`subscription_data[trial_period_days]`, payment modes other than
`subscription`, multiple webhook endpoints, portal configurations.

Control actions (`POST /_emulator/stripe/<action>`):
`webhook` {url, secret?, enabled_events?, api_version?} sets the endpoint
(returns the secret); `flush` runs the billing clock and delivers every due
webhook now (returns the attempts); `hold` {on} queues events without
delivering them; `release` {order: "fifo"|"reverse"} delivers what was held
(reverse = out of order); `duplicate` {count} delivers each of the next
`count` events twice; `redeliver` {event_id} sends one event again.
`GET /_emulator/stripe` shows the endpoint, every delivery attempt with the
answer it got, and object counts.
"""

from __future__ import annotations

import calendar
import copy
import hashlib
import html
import json
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import flask
import httpx

from synthora_emulators import stripe_shapes as shapes
from synthora_emulators.clock import Clock
from synthora_emulators.core import PlatformEmulator
from synthora_emulators.faults import FaultRule, Faults

RETRY_DELAYS_S = (60, 300, 1800)
DUNNING_DELAYS_S = (3 * 86_400, 2 * 86_400, 2 * 86_400)  # retries 3, 5 and 7 days after
CHECKOUT_LIFETIME_S = 24 * 3600
MAX_DELIVERY_LOG = 500

# https://docs.stripe.com/testing
CARD_DECLINED = "4000000000000002"
CARD_INSUFFICIENT_FUNDS = "4000000000009995"
CARD_AUTHENTICATION = "4000002500003155"
CARD_CHARGES_FAIL = "4000000000000341"


class StripeError(Exception):
    def __init__(
        self,
        status: int,
        type: str,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        saved: bool = True,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = shapes.error(
            type=type, message=message, code=code, param=param, decline_code=decline_code
        )
        self.saved = saved  # whether an idempotency key keeps this answer


def _invalid(message: str, *, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(400, "invalid_request_error", message, code=code, param=param, saved=False)


def _missing(kind: str, id: str, param: str = "id") -> StripeError:
    return StripeError(
        404,
        "invalid_request_error",
        f"No such {kind}: '{id}'",
        code="resource_missing",
        param=param,
    )


# --------------------------------------------------------------------------- form decoding


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0][c]=v` pairs into nested dicts/lists, as Stripe's form encoding means them."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + ([p.rstrip("]") for p in ("[" + rest).split("[")[1:]] if rest else [])
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":  # `expand[]=x`
                part = str(len(node))
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        converted = {k: _lists(v) for k, v in node.items()}
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    return node


def _bool(value: Any, param: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    raise _invalid(f"Invalid boolean: {value}", param=param)


def _int(value: Any, param: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _invalid(f"Invalid integer: {value}", param=param) from None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def _metadata(value: Any, param: str = "metadata") -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise _invalid("Invalid hash", param=param)
    return {str(k): str(v) for k, v in value.items() if v != ""}


def add_interval(anchor: int, interval: str, count: int) -> int:
    """`anchor` plus `count` months or years, keeping the anchor's day (clamped), in UTC."""
    start = datetime.fromtimestamp(anchor, tz=UTC)
    if interval == "day":
        return anchor + 86_400 * count
    if interval == "week":
        return anchor + 7 * 86_400 * count
    months = count * (12 if interval == "year" else 1)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return int(start.replace(year=year, month=month, day=day).timestamp())


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in ("51", "52", "53", "54", "55") or number[:1] == "2":
        return "mastercard"
    if number[:2] in ("34", "37"):
        return "amex"
    return "unknown"


# --------------------------------------------------------------------------- the emulator


class StripeEmulator(PlatformEmulator):
    prefix = "stripe"
    title = "Stripe (test mode subset)"

    def __init__(self, *, clock: Clock, faults: Faults) -> None:
        super().__init__(clock=clock, faults=faults)
        self._deliver_lock = threading.Lock()
        self._stop = threading.Event()
        self._http = httpx.Client(timeout=10)
        self._reset_state()
        self._routes()
        self._worker = threading.Thread(target=self._run, name="stripe-webhooks", daemon=True)
        self._worker.start()

    # ------------------------------------------------------------------ state

    def _reset_state(self) -> None:
        with self.lock:
            self.objects: dict[str, dict[str, dict[str, Any]]] = {
                k: {}
                for k in (
                    "product",
                    "price",
                    "customer",
                    "payment_method",
                    "checkout.session",
                    "billing_portal.session",
                    "subscription",
                    "invoice",
                    "event",
                )
            }
            self._seq: dict[str, int] = {}
            self._counter = 0
            self._invoice_number = 0
            self.idempotency: dict[str, dict[str, Any]] = {}
            self.pending_prorations: dict[str, list[dict[str, Any]]] = {}
            self.card_numbers: dict[str, str] = {}  # payment method -> card number
            self.webhook: dict[str, Any] | None = None
            self.pending: list[dict[str, Any]] = []  # {event_id, attempt, due}
            self.held: list[str] = []
            self.hold = False
            self.duplicate_next = 0
            self.deliveries: list[dict[str, Any]] = []
            self._public_base = ""

    def reset(self) -> None:
        with self._deliver_lock:
            self._reset_state()

    def _id(self, prefix: str) -> str:
        self._counter += 1
        digest = hashlib.sha256(f"{prefix}{self._counter}{secrets.token_hex(4)}".encode())
        return f"{prefix}_{digest.hexdigest()[:24]}"

    def _now(self) -> int:
        return int(self.clock.time())

    def _store(self, obj: dict[str, Any]) -> dict[str, Any]:
        kind = obj["object"]
        self._counter += 1
        self._seq[obj["id"]] = self._counter
        self.objects[kind][obj["id"]] = obj
        return obj

    def _get(
        self, kind: str, id: Any, *, param: str = "id", label: str | None = None
    ) -> dict[str, Any]:
        obj = self.objects[kind].get(str(id)) if isinstance(id, str) else None
        if obj is None:
            raise _missing(label or kind.split(".")[-1].replace("_", " "), str(id), param)
        return obj

    # ------------------------------------------------------------------ inspect / control

    def error_body(self, rule: FaultRule) -> dict[str, Any]:
        if rule.status == 429:
            return shapes.error(
                type="rate_limit_error",
                code="rate_limit",
                message="Too many requests hit the API too quickly.",
            )
        return shapes.error(type="api_error", message="An unknown error occurred (injected).")

    def inspect(self) -> dict[str, Any]:
        with self.lock:
            endpoint = dict(self.webhook) if self.webhook else None
            return {
                "webhook": endpoint,
                "deliveries": list(self.deliveries),
                "pending": len(self.pending),
                "held": list(self.held),
                "objects": {k: len(v) for k, v in self.objects.items()},
                "events": [
                    {"id": e["id"], "type": e["type"], "created": e["created"]}
                    for e in self._sorted("event")
                ],
            }

    def control(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        if action == "webhook":
            url = payload.get("url")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                _control_error("url must be an http(s) URL")
            with self.lock:
                self.webhook = {
                    "url": url,
                    "secret": str(payload.get("secret") or "whsec_" + secrets.token_hex(24)),
                    "enabled_events": list(payload.get("enabled_events") or ["*"]),
                    "api_version": str(payload.get("api_version") or shapes.API_VERSION),
                }
                return dict(self.webhook)
        if action == "flush":
            return {"attempts": self.flush()}
        if action == "hold":
            with self.lock:
                self.hold = bool(payload.get("on", True))
                return {"hold": self.hold}
        if action == "release":
            order = payload.get("order", "fifo")
            with self.lock:
                held = list(reversed(self.held)) if order == "reverse" else list(self.held)
                self.held.clear()
                self.hold = False
                now = self._now()
                self.pending.extend({"event_id": e, "attempt": 1, "due": now} for e in held)
            return {"released": held, "attempts": self.flush(tick=False)}
        if action == "duplicate":
            with self.lock:
                self.duplicate_next = int(payload.get("count", 1))
                return {"duplicate_next": self.duplicate_next}
        if action == "redeliver":
            with self.lock:
                event_id = str(payload.get("event_id", ""))
                if event_id not in self.objects["event"]:
                    _control_error(f"no such event {event_id!r}")
                self.pending.append({"event_id": event_id, "attempt": 1, "due": self._now()})
            return {"attempts": self.flush(tick=False)}
        flask.abort(404)

    # ------------------------------------------------------------------ events and delivery

    def _emit(
        self, type: str, obj: dict[str, Any], previous_attributes: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        req = getattr(flask.g, "stripe_request", None) if flask.has_request_context() else None
        evt = shapes.event(
            id=self._id("evt"),
            type=type,
            created=self._now(),
            obj=copy.deepcopy(obj),
            previous_attributes=previous_attributes,
            api_version=(self.webhook or {}).get("api_version", shapes.API_VERSION),
            request_id=(req or {}).get("id"),
            idempotency_key=(req or {}).get("idempotency_key"),
        )
        self._store(evt)
        hook = self.webhook
        if hook and ("*" in hook["enabled_events"] or type in hook["enabled_events"]):
            copies = 1
            if self.duplicate_next > 0:
                self.duplicate_next -= 1
                copies = 2
            for _ in range(copies):
                if self.hold:
                    self.held.append(evt["id"])
                else:
                    self.pending.append({"event_id": evt["id"], "attempt": 1, "due": self._now()})
        return evt

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.flush()
            except Exception:  # keep the worker alive; the failure shows in the log
                import logging

                logging.getLogger("synthora_emulators").exception("stripe worker failed")

    def flush(self, *, tick: bool = True) -> list[dict[str, Any]]:
        """Run the billing clock, then deliver every due webhook (the worker does this too)."""
        attempts: list[dict[str, Any]] = []
        with self._deliver_lock:
            if tick:
                with self.lock:
                    self._tick()
            while True:
                with self.lock:
                    now = self._now()
                    due = [p for p in self.pending if p["due"] <= now]
                    if not due or self.webhook is None:
                        return attempts
                    item = due[0]
                    self.pending.remove(item)
                    hook = dict(self.webhook)
                    evt = self.objects["event"].get(item["event_id"])
                if evt is None:
                    continue
                attempts.append(self._deliver(hook, evt, item))

    def _deliver(
        self, hook: dict[str, Any], evt: dict[str, Any], item: dict[str, Any]
    ) -> dict[str, Any]:
        payload = shapes.webhook_payload(evt)
        header = shapes.sign(payload, secret=hook["secret"], timestamp=self._now())
        record: dict[str, Any] = {
            "event_id": evt["id"],
            "type": evt["type"],
            "attempt": item["attempt"],
            "url": hook["url"],
            "at": self._now(),
            "status": None,
            "ok": False,
            "response": None,
            "error": None,
        }
        try:
            r = self._http.post(
                hook["url"],
                content=payload,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": header,
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                },
            )
            record.update(
                status=r.status_code, ok=200 <= r.status_code < 300, response=r.text[:2000]
            )
        except httpx.HTTPError as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
        with self.lock:
            if not record["ok"] and item["attempt"] <= len(RETRY_DELAYS_S):
                record["next_retry_in_s"] = RETRY_DELAYS_S[item["attempt"] - 1]
                self.pending.append(
                    {
                        "event_id": evt["id"],
                        "attempt": item["attempt"] + 1,
                        "due": self._now() + record["next_retry_in_s"],
                    }
                )
            self.deliveries.append(record)
            del self.deliveries[:-MAX_DELIVERY_LOG]
        return record

    # ------------------------------------------------------------------ HTTP plumbing

    def _routes(self) -> None:
        bp = self.blueprint

        def api(rule: str, methods: list[str], *, idempotent: bool = True) -> Callable[..., Any]:
            def decorator(fn: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
                def view(**kwargs: Any) -> flask.Response:
                    return self._api_call(fn, kwargs, idempotent=idempotent)

                bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=methods)
                return fn

            return decorator

        # products
        api("/v1/products", ["POST"])(self.create_product)
        api("/v1/products", ["GET"])(self.list_products)
        api("/v1/products/<id>", ["GET"])(self.get_product)
        api("/v1/products/<id>", ["POST"])(self.update_product)
        # prices
        api("/v1/prices", ["POST"])(self.create_price)
        api("/v1/prices", ["GET"])(self.list_prices)
        api("/v1/prices/search", ["GET"])(self.search_prices)
        api("/v1/prices/<id>", ["GET"])(self.get_price)
        api("/v1/prices/<id>", ["POST"])(self.update_price)
        # customers
        api("/v1/customers", ["POST"])(self.create_customer)
        api("/v1/customers", ["GET"])(self.list_customers)
        api("/v1/customers/<id>", ["GET"])(self.get_customer)
        api("/v1/customers/<id>", ["POST"])(self.update_customer)
        api("/v1/customers/<id>", ["DELETE"])(self.delete_customer)
        # checkout and portal
        api("/v1/checkout/sessions", ["POST"])(self.create_checkout_session)
        api("/v1/checkout/sessions", ["GET"])(self.list_checkout_sessions)
        api("/v1/checkout/sessions/<id>", ["GET"])(self.get_checkout_session)
        api("/v1/checkout/sessions/<id>/expire", ["POST"])(self.expire_checkout_session)
        api("/v1/billing_portal/sessions", ["POST"])(self.create_portal_session)
        # subscriptions
        api("/v1/subscriptions", ["GET"])(self.list_subscriptions)
        api("/v1/subscriptions/<id>", ["GET"])(self.get_subscription)
        api("/v1/subscriptions/<id>", ["POST"])(self.update_subscription)
        api("/v1/subscriptions/<id>", ["DELETE"])(self.cancel_subscription)
        # invoices and events
        api("/v1/invoices", ["GET"])(self.list_invoices)
        api("/v1/invoices/create_preview", ["POST"])(self.create_preview)
        api("/v1/invoices/<id>", ["GET"])(self.get_invoice)
        api("/v1/events", ["GET"])(self.list_events)
        api("/v1/events/<id>", ["GET"])(self.get_event)
        api("/v1/payment_methods/<id>", ["GET"])(self.get_payment_method)

        bp.add_url_rule(
            "/v1/<path:rest>", "unknown", self._unknown, methods=["GET", "POST", "DELETE"]
        )
        # pages
        bp.add_url_rule(
            "/checkout/pay/<id>", "checkout_page", self.checkout_page, methods=["GET", "POST"]
        )
        bp.add_url_rule(
            "/checkout/pay/<id>/authenticate",
            "checkout_authenticate",
            self.checkout_authenticate,
            methods=["POST"],
        )
        bp.add_url_rule(
            "/billing_portal/p/<id>", "portal_page", self.portal_page, methods=["GET", "POST"]
        )
        bp.add_url_rule("/invoice/<id>", "invoice_page", self.invoice_page, methods=["GET"])
        bp.add_url_rule("/invoice/<id>/pdf", "invoice_pdf", self.invoice_pdf, methods=["GET"])

    def _unknown(self, rest: str) -> flask.Response:
        body = shapes.error(
            type="invalid_request_error",
            message=f"Unrecognized request URL ({flask.request.method}: "
            f"/v1/{rest}). The Stripe emulator covers a subset of the "
            "API; see docs/emulators.md.",
        )
        return self._json(body, 404)

    def _json(
        self, body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
    ) -> flask.Response:
        response = flask.Response(
            json.dumps(body, indent=2), status=status, mimetype="application/json"
        )
        response.headers["Request-Id"] = getattr(flask.g, "stripe_request", {}).get(
            "id", "req_" + secrets.token_hex(7)
        )
        response.headers["Stripe-Version"] = flask.request.headers.get(
            "Stripe-Version", shapes.API_VERSION
        )
        for k, v in (headers or {}).items():
            response.headers[k] = v
        return response

    def _authenticate(self) -> None:
        auth = flask.request.headers.get("Authorization", "")
        key = ""
        if auth.startswith("Bearer "):
            key = auth[7:].strip()
        elif flask.request.authorization is not None:
            key = flask.request.authorization.username or ""
        if not key:
            raise StripeError(
                401,
                "invalid_request_error",
                "You did not provide an API key. You need to provide your API key "
                "in the Authorization header, using Bearer auth (e.g. "
                "'Authorization: Bearer YOUR_SECRET_KEY').",
                saved=False,
            )
        if not key.startswith(("sk_test_", "rk_test_")):
            shown = key[:8] + "*" * max(0, len(key) - 12) + key[-4:]
            raise StripeError(
                401,
                "invalid_request_error",
                f"Invalid API Key provided: {shown}",
                code="api_key_invalid",
                saved=False,
            )

    def _api_call(
        self, fn: Callable[..., dict[str, Any]], kwargs: dict[str, Any], *, idempotent: bool
    ) -> flask.Response:
        request = flask.request
        key = request.headers.get("Idempotency-Key")
        flask.g.stripe_request = {"id": "req_" + secrets.token_hex(7), "idempotency_key": key}
        try:
            self._authenticate()
        except StripeError as exc:
            return self._json(exc.body, exc.status)
        if request.method == "GET":
            params = decode_form(list(request.args.items(multi=True)))
        else:
            params = decode_form(list(request.form.items(multi=True)))
        with self.lock:
            fingerprint = hashlib.sha256(
                json.dumps([request.method, request.path, params], sort_keys=True).encode()
            ).hexdigest()
            if key and request.method == "POST" and idempotent:
                if len(key) > 255:
                    return self._json(
                        shapes.error(
                            type="invalid_request_error",
                            param="Idempotency-Key",
                            message="Idempotency keys can be at most 255 characters long.",
                        ),
                        400,
                    )
                saved = self.idempotency.get(key)
                if saved is not None:
                    if saved["fingerprint"] != fingerprint:
                        return self._json(
                            shapes.error(
                                type="idempotency_error",
                                message=_idempotency_message(key),
                            ),
                            400,
                        )
                    return self._json(
                        saved["body"],
                        saved["status"],
                        {"Idempotent-Replayed": "true", "Original-Request": saved["request_id"]},
                    )
            self._base_url()
            try:
                status, body = 200, fn(params, **kwargs)
                saved_ok = True
            except StripeError as exc:
                status, body, saved_ok = exc.status, exc.body, exc.saved
            # A snapshot: the live object changes later, a replay must not.
            body = self._public(copy.deepcopy(body))
            if key and request.method == "POST" and idempotent and saved_ok:
                self.idempotency[key] = {
                    "fingerprint": fingerprint,
                    "status": status,
                    "body": body,
                    "request_id": flask.g.stripe_request["id"],
                }
        return self._json(body, status)

    def _base_url(self) -> str:
        """This emulator's URL as the caller reached it (kept for work done off-request)."""
        self._public_base = flask.request.host_url.rstrip("/") + "/" + self.prefix
        return self._public_base

    # ------------------------------------------------------------------ lists and expand

    def _sorted(self, kind: str) -> list[dict[str, Any]]:
        return sorted(
            self.objects[kind].values(),
            key=lambda o: (o.get("created", 0), self._seq.get(o["id"], 0)),
            reverse=True,
        )

    def _page(
        self, url: str, items: list[dict[str, Any]], params: dict[str, Any]
    ) -> dict[str, Any]:
        limit = _int(params.get("limit", 10), "limit")
        if not 1 <= limit <= 100:
            raise _invalid("This value must be between 1 and 100.", param="limit")
        after = params.get("starting_after")
        before = params.get("ending_before")
        ids = [o["id"] for o in items]
        if after:
            if after not in ids:
                raise _missing("object", after, "starting_after")
            items = items[ids.index(after) + 1 :]
        elif before:
            if before not in ids:
                raise _missing("object", before, "ending_before")
            items = items[: ids.index(before)][-limit:]
        page = [self._expand(o, params.get("expand"), prefix="data.") for o in items[:limit]]
        return shapes.list_object(url, page, has_more=len(items) > limit)

    _EXPANDABLE = {
        "prod_": "product",
        "price_": "price",
        "cus_": "customer",
        "sub_": "subscription",
        "in_": "invoice",
        "pm_": "payment_method",
    }

    def _expand(self, obj: dict[str, Any], expand: Any, *, prefix: str = "") -> dict[str, Any]:
        paths = [p[len(prefix) :] for p in _as_list(expand) if str(p).startswith(prefix)]
        if not paths:
            return obj
        out = copy.deepcopy(obj)
        for path in paths:
            self._expand_path(out, str(path).split("."))
        return out

    def _expand_path(self, node: Any, parts: list[str]) -> None:
        if not parts or not isinstance(node, dict):
            return
        head, rest = parts[0], parts[1:]
        if head == "data" and isinstance(node.get("data"), list):
            for item in node["data"]:
                self._expand_path(item, rest)
            return
        value = node.get(head)
        if not rest and isinstance(value, str):
            for id_prefix, kind in self._EXPANDABLE.items():
                if value.startswith(id_prefix) and value in self.objects[kind]:
                    node[head] = copy.deepcopy(self.objects[kind][value])
            return
        self._expand_path(value, rest)

    # ------------------------------------------------------------------ products and prices

    def create_product(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("name"):
            raise _invalid("Missing required param: name.", param="name", code="parameter_missing")
        return self._store(
            shapes.product(
                id=str(p.get("id") or self._id("prod")),
                name=str(p["name"]),
                created=self._now(),
                metadata=_metadata(p.get("metadata")),
                description=p.get("description"),
            )
        )

    def list_products(self, p: dict[str, Any]) -> dict[str, Any]:
        items = self._sorted("product")
        if "active" in p:
            items = [o for o in items if o["active"] == _bool(p["active"], "active")]
        return self._page("/v1/products", items, p)

    def get_product(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._get("product", id)

    def update_product(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        obj = self._get("product", id)
        for field in ("name", "description"):
            if field in p:
                obj[field] = p[field]
        if "active" in p:
            obj["active"] = _bool(p["active"], "active")
        if "metadata" in p:
            obj["metadata"].update(_metadata(p["metadata"]))
        obj["updated"] = self._now()
        return obj

    def create_price(self, p: dict[str, Any]) -> dict[str, Any]:
        for required in ("currency", "product"):
            if not p.get(required):
                raise _invalid(
                    f"Missing required param: {required}.", param=required, code="parameter_missing"
                )
        self._get("product", p["product"], param="product")
        recurring = p.get("recurring") or {}
        if not isinstance(recurring, dict) or recurring.get("interval") not in (
            "day",
            "week",
            "month",
            "year",
        ):
            raise _invalid(
                "The emulator only prices subscriptions: pass "
                "recurring[interval]=day|week|month|year.",
                param="recurring[interval]",
            )
        amount = _int(p.get("unit_amount"), "unit_amount")
        if amount < 0:
            raise _invalid("Invalid unit_amount: must be non-negative.", param="unit_amount")
        lookup_key = p.get("lookup_key") or None
        if lookup_key:
            taken = [o for o in self.objects["price"].values() if o["lookup_key"] == lookup_key]
            if taken and not _bool(p.get("transfer_lookup_key", "false"), "transfer_lookup_key"):
                raise _invalid(
                    f"A price ({taken[0]['id']}) already uses that lookup key.", param="lookup_key"
                )
            for other in taken:
                other["lookup_key"] = None
        return self._store(
            shapes.price(
                id=self._id("price"),
                product=str(p["product"]),
                unit_amount=amount,
                currency=str(p["currency"]).lower(),
                interval=str(recurring["interval"]),
                interval_count=_int(
                    recurring.get("interval_count", 1), "recurring[interval_count]"
                ),
                created=self._now(),
                lookup_key=lookup_key,
                metadata=_metadata(p.get("metadata")),
                nickname=p.get("nickname"),
            )
        )

    def _price_filter(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        items = self._sorted("price")
        keys = [str(k) for k in _as_list(p.get("lookup_keys"))]
        if keys:
            items = [o for o in items if o["lookup_key"] in keys]
        if "active" in p:
            items = [o for o in items if o["active"] == _bool(p["active"], "active")]
        if p.get("product"):
            items = [o for o in items if o["product"] == p["product"]]
        if p.get("type"):
            items = [o for o in items if o["type"] == p["type"]]
        if p.get("currency"):
            items = [o for o in items if o["currency"] == p["currency"]]
        return items

    def list_prices(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._page("/v1/prices", self._price_filter(p), p)

    def search_prices(self, p: dict[str, Any]) -> dict[str, Any]:
        """`query` with `field:'value'` clauses joined by AND (lookup_key, active, product)."""
        query = str(p.get("query") or "")
        if not query:
            raise _invalid(
                "Missing required param: query.", param="query", code="parameter_missing"
            )
        filters: dict[str, Any] = {}
        for clause in query.split(" AND "):
            field, sep, value = clause.strip().partition(":")
            value = value.strip().strip("'\"")
            if not sep or field not in ("lookup_key", "active", "product", "currency"):
                raise _invalid(
                    f"Invalid search query: {clause!r} (the emulator supports "
                    "lookup_key, active, product and currency).",
                    param="query",
                )
            filters["lookup_keys" if field == "lookup_key" else field] = value
        items = self._price_filter(filters)
        page = self._page("/v1/prices/search", items, p)
        page.update(object="search_result", next_page=None, total_count=len(items))
        return page

    def get_price(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._expand(self._get("price", id), p.get("expand"))

    def update_price(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        obj = self._get("price", id)
        if "active" in p:
            obj["active"] = _bool(p["active"], "active")
        if "metadata" in p:
            obj["metadata"].update(_metadata(p["metadata"]))
        if "nickname" in p:
            obj["nickname"] = p["nickname"] or None
        if "lookup_key" in p:
            key = p["lookup_key"] or None
            taken = [
                o
                for o in self.objects["price"].values()
                if key and o["lookup_key"] == key and o["id"] != id
            ]
            if taken and not _bool(p.get("transfer_lookup_key", "false"), "transfer_lookup_key"):
                raise _invalid(
                    f"A price ({taken[0]['id']}) already uses that lookup key.", param="lookup_key"
                )
            for other in taken:
                other["lookup_key"] = None
            obj["lookup_key"] = key
        return obj

    # ------------------------------------------------------------------ customers

    def create_customer(self, p: dict[str, Any]) -> dict[str, Any]:
        obj = self._store(
            shapes.customer(
                id=self._id("cus"),
                created=self._now(),
                email=p.get("email"),
                name=p.get("name"),
                metadata=_metadata(p.get("metadata")),
            )
        )
        self._emit("customer.created", obj)
        return obj

    def list_customers(self, p: dict[str, Any]) -> dict[str, Any]:
        items = self._sorted("customer")
        if p.get("email"):
            items = [o for o in items if o.get("email") == p["email"]]
        return self._page("/v1/customers", items, p)

    def get_customer(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._expand(self._get("customer", id), p.get("expand"))

    def update_customer(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        obj = self._get("customer", id)
        if obj.get("deleted"):
            raise _missing("customer", id)
        previous: dict[str, Any] = {}
        for field in ("email", "name", "description"):
            if field in p and obj.get(field) != p[field]:
                previous[field] = obj.get(field)
                obj[field] = p[field] or None
        if "metadata" in p:
            previous["metadata"] = dict(obj["metadata"])
            obj["metadata"].update(_metadata(p["metadata"]))
            obj["metadata"] = {k: v for k, v in obj["metadata"].items() if v}
        settings = p.get("invoice_settings")
        if isinstance(settings, dict) and "default_payment_method" in settings:
            pm = settings["default_payment_method"] or None
            if pm:
                self._get("payment_method", pm, param="invoice_settings[default_payment_method]")
            previous["invoice_settings"] = dict(obj["invoice_settings"])
            obj["invoice_settings"]["default_payment_method"] = pm
        if previous:
            self._emit("customer.updated", obj, previous)
        return obj

    def delete_customer(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        obj = self._get("customer", id)
        for sub in self.objects["subscription"].values():
            if sub["customer"] == id and sub["status"] not in ("canceled", "incomplete_expired"):
                self._end_subscription(sub, at=self._now())
        self.objects["customer"].pop(id)
        self._emit("customer.deleted", obj)
        return shapes.deleted(id=id, object="customer")

    def get_payment_method(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._get("payment_method", id, label="PaymentMethod")

    # ------------------------------------------------------------------ checkout

    def create_checkout_session(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("mode") != "subscription":
            raise _invalid("The Stripe emulator only supports mode=subscription.", param="mode")
        success_url = p.get("success_url")
        if not success_url:
            raise _invalid(
                "Missing required param: success_url.",
                param="success_url",
                code="parameter_missing",
            )
        items = _as_list(p.get("line_items"))
        if not items:
            raise _invalid(
                "Missing required param: line_items.", param="line_items", code="parameter_missing"
            )
        amount, currency = 0, "usd"
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("price"):
                raise _invalid(
                    "Missing required param: line_items[0][price].",
                    param=f"line_items[{i}][price]",
                    code="parameter_missing",
                )
            price = self._get("price", item["price"], param=f"line_items[{i}][price]")
            if not price["active"]:
                raise _invalid(
                    f"The price specified ({price['id']}) is inactive.",
                    param=f"line_items[{i}][price]",
                )
            amount += price["unit_amount"] * _int(
                item.get("quantity", 1), f"line_items[{i}][quantity]"
            )
            currency = price["currency"]
        customer = p.get("customer")
        if customer:
            cus = self._get("customer", customer, param="customer")
            if cus.get("deleted"):
                raise _missing("customer", customer, "customer")
            if p.get("customer_email"):
                raise _invalid(
                    "You may only specify one of these parameters: customer, customer_email.",
                    param="customer_email",
                )
        ref = p.get("client_reference_id")
        if ref is not None and len(str(ref)) > 200:
            raise _invalid(
                "client_reference_id must be at most 200 characters.", param="client_reference_id"
            )
        session_id = "cs_test_" + secrets.token_hex(24)
        obj = shapes.checkout_session(
            id=session_id,
            created=self._now(),
            expires_at=self._now() + CHECKOUT_LIFETIME_S,
            url=f"{self._base_url()}/checkout/pay/{session_id}",
            success_url=str(success_url),
            cancel_url=p.get("cancel_url"),
            customer=customer,
            customer_email=p.get("customer_email"),
            client_reference_id=ref,
            metadata=_metadata(p.get("metadata")),
            amount_total=amount,
            currency=currency,
        )
        sub_data = p.get("subscription_data") or {}
        obj["_line_items"] = [
            {"price": i["price"], "quantity": _int(i.get("quantity", 1), "q")} for i in items
        ]
        obj["_subscription_metadata"] = _metadata(
            sub_data.get("metadata") if isinstance(sub_data, dict) else None,
            "subscription_data[metadata]",
        )
        obj["_trial_days"] = (
            _int(sub_data.get("trial_period_days", 0), "subscription_data[trial_period_days]")
            if isinstance(sub_data, dict)
            else 0
        )
        self._store(obj)
        return self._public(obj)

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    def _session(self, id: str) -> dict[str, Any]:
        obj = self._get("checkout.session", id, label="checkout.session")
        if obj["status"] == "open" and self._now() >= obj["expires_at"]:
            obj.update(status="expired", url=None)
            self._emit("checkout.session.expired", self._public(obj))
        return obj

    def list_checkout_sessions(self, p: dict[str, Any]) -> dict[str, Any]:
        items = self._sorted("checkout.session")
        for field in ("customer", "subscription", "status"):
            if p.get(field):
                items = [o for o in items if o.get(field) == p[field]]
        return self._page("/v1/checkout/sessions", [self._public(o) for o in items], p)

    def get_checkout_session(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._expand(self._public(self._session(id)), p.get("expand"))

    def expire_checkout_session(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        obj = self._session(id)
        if obj["status"] != "open":
            raise _invalid(
                f'Only Checkout Sessions with a status in ["open"] can be expired. '
                f'This Checkout Session has a status of "{obj["status"]}".'
            )
        obj.update(status="expired", url=None)
        self._emit("checkout.session.expired", self._public(obj))
        return self._public(obj)

    def _attach_card(
        self, customer: dict[str, Any], number: str, exp_month: int, exp_year: int
    ) -> dict[str, Any]:
        pm = self._store(
            shapes.payment_method(
                id=self._id("pm"),
                created=self._now(),
                last4=number[-4:],
                brand=_brand(number),
                exp_month=exp_month,
                exp_year=exp_year,
                customer=customer["id"],
            )
        )
        self.card_numbers[pm["id"]] = number
        previous = {"invoice_settings": dict(customer["invoice_settings"])}
        customer["invoice_settings"]["default_payment_method"] = pm["id"]
        self._emit("payment_method.attached", pm)
        self._emit("customer.updated", customer, previous)
        return pm

    def _complete_checkout(
        self, session: dict[str, Any], number: str, exp: tuple[int, int]
    ) -> None:
        now = self._now()
        if session.get("customer"):
            customer = self._get("customer", session["customer"])
        else:
            customer = self.create_customer({"email": session.get("customer_email")})
            session["customer"] = customer["id"]
        pm = self._attach_card(customer, number, *exp)
        sub_id = self._id("sub")
        items = []
        trial_days = int(session.get("_trial_days") or 0)
        for line in session["_line_items"]:
            price = self.objects["price"][line["price"]]
            end = (
                now + trial_days * 86_400
                if trial_days
                else add_interval(
                    now, price["recurring"]["interval"], price["recurring"]["interval_count"]
                )
            )
            items.append(
                shapes.subscription_item(
                    id=self._id("si"),
                    subscription=sub_id,
                    price=copy.deepcopy(price),
                    created=now,
                    current_period_start=now,
                    current_period_end=end,
                    quantity=line["quantity"],
                )
            )
        sub = self._store(
            shapes.subscription(
                id=sub_id,
                customer=customer["id"],
                created=now,
                status="trialing" if trial_days else "active",
                items=items,
                billing_cycle_anchor=items[0]["current_period_end"] if trial_days else now,
                metadata=dict(session.get("_subscription_metadata") or {}),
                default_payment_method=pm["id"],
                trial_end=items[0]["current_period_end"] if trial_days else None,
                currency=session["currency"],
            )
        )
        lines = [
            self._line(
                sub,
                item,
                amount=0 if trial_days else item["price"]["unit_amount"] * item["quantity"],
            )
            for item in items
        ]
        invoice = self._new_invoice(sub, lines, billing_reason="subscription_create")
        self._mark_paid(invoice, emit=False)
        sub["latest_invoice"] = invoice["id"]
        session.update(
            status="complete",
            payment_status="paid",
            subscription=sub_id,
            invoice=invoice["id"],
            url=None,
            customer_details={"email": customer.get("email")},
        )
        self._emit("customer.subscription.created", sub)
        self._emit("invoice.paid", invoice)
        self._emit("invoice.payment_succeeded", invoice)
        self._emit("checkout.session.completed", self._public(session))

    # ------------------------------------------------------------------ portal

    def create_portal_session(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("customer"):
            raise _invalid(
                "Missing required param: customer.", param="customer", code="parameter_missing"
            )
        self._get("customer", p["customer"], param="customer")
        flow = p.get("flow_data") if isinstance(p.get("flow_data"), dict) else None
        if flow is not None and flow.get("type") not in (
            "subscription_cancel",
            "subscription_update",
            "subscription_update_confirm",
            "payment_method_update",
        ):
            raise _invalid("Invalid flow_data[type].", param="flow_data[type]")
        session_id = "bps_" + secrets.token_hex(12)
        return self._store(
            shapes.portal_session(
                id=session_id,
                created=self._now(),
                customer=str(p["customer"]),
                url=f"{self._base_url()}/billing_portal/p/{session_id}",
                return_url=p.get("return_url"),
                flow=flow,
            )
        )

    # ------------------------------------------------------------------ subscriptions

    def list_subscriptions(self, p: dict[str, Any]) -> dict[str, Any]:
        items = self._sorted("subscription")
        if p.get("customer"):
            items = [o for o in items if o["customer"] == p["customer"]]
        status = p.get("status")
        if status in (None, ""):
            items = [o for o in items if o["status"] != "canceled"]
        elif status != "all":
            items = [o for o in items if o["status"] == status]
        if p.get("price"):
            items = [
                o for o in items if any(i["price"]["id"] == p["price"] for i in o["items"]["data"])
            ]
        return self._page("/v1/subscriptions", items, p)

    def get_subscription(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._expand(self._get("subscription", id), p.get("expand"))

    def update_subscription(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        sub = self._get("subscription", id)
        if sub["status"] in ("canceled", "incomplete_expired"):
            raise _invalid(
                "A canceled subscription can only update its cancellation_details and metadata."
            )
        before = copy.deepcopy(sub)
        behavior = p.get("proration_behavior", "create_prorations")
        if behavior not in ("create_prorations", "always_invoice", "none"):
            raise _invalid("Invalid proration_behavior.", param="proration_behavior")
        if "metadata" in p:
            sub["metadata"].update(_metadata(p["metadata"]))
            sub["metadata"] = {k: v for k, v in sub["metadata"].items() if v}
        if p.get("default_payment_method"):
            self._get("payment_method", p["default_payment_method"], param="default_payment_method")
            sub["default_payment_method"] = p["default_payment_method"]
        if "cancel_at_period_end" in p:
            flag = _bool(p["cancel_at_period_end"], "cancel_at_period_end")
            sub["cancel_at_period_end"] = flag
            sub["cancel_at"] = sub["items"]["data"][0]["current_period_end"] if flag else None
            sub["canceled_at"] = self._now() if flag else None
            if flag:
                sub["cancellation_details"]["reason"] = "cancellation_requested"
            else:
                sub["cancellation_details"]["reason"] = None
        items = _as_list(p.get("items"))
        if items:
            proration_date = _int(p.get("proration_date", self._now()), "proration_date")
            self._change_items(
                sub,
                items,
                behavior,
                proration_date,
                anchor_now=p.get("billing_cycle_anchor") == "now",
            )
        previous = {k: before[k] for k in sub if k != "items" and before.get(k) != sub[k]}
        if before["items"] != sub["items"]:
            previous["items"] = before["items"]
        if previous:
            self._emit("customer.subscription.updated", sub, previous)
        return sub

    def _change_items(
        self,
        sub: dict[str, Any],
        items: list[Any],
        behavior: str,
        proration_date: int,
        *,
        anchor_now: bool,
    ) -> None:
        lines, reset = self._proration_lines(
            sub, items, behavior, proration_date, anchor_now=anchor_now, apply=True
        )
        if reset or (lines and behavior == "always_invoice"):
            invoice = self._new_invoice(sub, lines, billing_reason="subscription_update")
            self._charge(sub, invoice)
        elif lines:
            self.pending_prorations.setdefault(sub["id"], []).extend(lines)

    def _proration_lines(
        self,
        sub: dict[str, Any],
        items: list[Any],
        behavior: str,
        at: int,
        *,
        anchor_now: bool,
        apply: bool,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Lines a change of items produces, and whether the billing cycle resets.

        `apply` changes the subscription's items; otherwise it only computes (preview).
        """
        target = sub if apply else copy.deepcopy(sub)
        lines: list[dict[str, Any]] = []
        reset = False
        for i, change in enumerate(items):
            if not isinstance(change, dict):
                raise _invalid("Invalid items.", param=f"items[{i}]")
            data = target["items"]["data"]
            item = next((x for x in data if x["id"] == change.get("id")), None)
            if change.get("id") and item is None:
                raise _invalid(
                    f"No such subscription item: '{change['id']}'", param=f"items[{i}][id]"
                )
            if item is None:
                item = data[0]
            new_price = item["price"]
            if change.get("price"):
                new_price = self._get("price", change["price"], param=f"items[{i}][price]")
            quantity = _int(change.get("quantity", item["quantity"]), f"items[{i}][quantity]")
            old_price, old_qty = item["price"], item["quantity"]
            start, end = item["current_period_start"], item["current_period_end"]
            interval_changed = (
                new_price["recurring"]["interval"] != old_price["recurring"]["interval"]
                or new_price["recurring"]["interval_count"]
                != old_price["recurring"]["interval_count"]
            )
            fraction = max(0.0, min(1.0, (end - at) / max(1, end - start)))
            if interval_changed or anchor_now:
                reset = True
                new_end = add_interval(
                    at, new_price["recurring"]["interval"], new_price["recurring"]["interval_count"]
                )
                if behavior != "none" and target["status"] != "trialing":
                    credit = -round(old_price["unit_amount"] * old_qty * fraction)
                    if credit:
                        lines.append(
                            self._line(
                                target,
                                item,
                                amount=credit,
                                price=old_price,
                                period=(at, end),
                                proration=True,
                                description=f"Unused time on {self._describe(old_price)}",
                            )
                        )
                item.update(
                    price=copy.deepcopy(new_price),
                    quantity=quantity,
                    current_period_start=at,
                    current_period_end=new_end,
                )
                target["billing_cycle_anchor"] = at
                if target["cancel_at_period_end"]:
                    target["cancel_at"] = new_end
                lines.append(self._line(target, item, amount=new_price["unit_amount"] * quantity))
            else:
                if behavior != "none" and (
                    new_price["id"] != old_price["id"] or quantity != old_qty
                ):
                    credit = -round(old_price["unit_amount"] * old_qty * fraction)
                    charge = round(new_price["unit_amount"] * quantity * fraction)
                    lines.append(
                        self._line(
                            target,
                            item,
                            amount=credit,
                            price=old_price,
                            period=(at, end),
                            proration=True,
                            description=f"Unused time on {self._describe(old_price)}",
                        )
                    )
                    lines.append(
                        self._line(
                            target,
                            item,
                            amount=charge,
                            price=new_price,
                            period=(at, end),
                            proration=True,
                            description=f"Remaining time on {self._describe(new_price)}",
                        )
                    )
                item.update(price=copy.deepcopy(new_price), quantity=quantity)
        return lines, reset

    def _describe(self, price: dict[str, Any]) -> str:
        product = self.objects["product"].get(str(price["product"]), {})
        return (
            f"{product.get('name', 'product')} "
            f"({price['unit_amount'] / 100:.2f} {price['currency'].upper()}/"
            f"{price['recurring']['interval']})"
        )

    def cancel_subscription(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        sub = self._get("subscription", id)
        if sub["status"] == "canceled":
            raise _invalid(
                f"This subscription ({id}) has already been canceled.", code="resource_missing"
            )
        self._end_subscription(sub, at=self._now(), requested=True)
        return sub

    def _end_subscription(self, sub: dict[str, Any], *, at: int, requested: bool = False) -> None:
        previous = {"status": sub["status"]}
        sub.update(status="canceled", ended_at=at, canceled_at=sub["canceled_at"] or at)
        if requested and not sub["cancellation_details"]["reason"]:
            sub["cancellation_details"]["reason"] = "cancellation_requested"
        self.pending_prorations.pop(sub["id"], None)
        for inv in self.objects["invoice"].values():
            parent = inv.get("parent") or {}
            if (parent.get("subscription_details") or {}).get("subscription") == sub["id"] and inv[
                "status"
            ] == "open":
                inv.update(status="void", auto_advance=False, next_payment_attempt=None)
                inv["status_transitions"]["voided_at"] = at
        self._emit("customer.subscription.deleted", sub, previous)

    # ------------------------------------------------------------------ invoices

    def _line(
        self,
        sub: dict[str, Any],
        item: dict[str, Any],
        *,
        amount: int,
        price: dict[str, Any] | None = None,
        period: tuple[int, int] | None = None,
        proration: bool = False,
        description: str | None = None,
    ) -> dict[str, Any]:
        price = price or item["price"]
        start, end = period or (item["current_period_start"], item["current_period_end"])
        return shapes.invoice_line(
            id=self._id("il"),
            amount=amount,
            currency=price["currency"],
            description=description or f"{item['quantity']} x {self._describe(price)}",
            price=price,
            period_start=start,
            period_end=end,
            subscription=sub["id"],
            subscription_item=item["id"],
            proration=proration,
            quantity=item["quantity"],
        )

    def _new_invoice(
        self, sub: dict[str, Any], lines: list[dict[str, Any]], *, billing_reason: str
    ) -> dict[str, Any]:
        self._invoice_number += 1
        invoice_id = self._id("in")
        customer = self.objects["customer"].get(sub["customer"], {})
        base = self._base_url() if flask.has_request_context() else self._public_base
        inv = self._store(
            shapes.invoice(
                id=invoice_id,
                customer=sub["customer"],
                created=self._now(),
                currency=sub["currency"],
                lines=lines,
                status="open",
                billing_reason=billing_reason,
                subscription=sub["id"],
                period_start=min(line["period"]["start"] for line in lines),
                period_end=max(line["period"]["end"] for line in lines),
                number=f"{customer.get('invoice_prefix', 'EMU')}-{self._invoice_number:04d}",
                hosted_invoice_url=f"{base}/invoice/{invoice_id}" if base else None,
                invoice_pdf=f"{base}/invoice/{invoice_id}/pdf" if base else None,
                customer_email=customer.get("email"),
                subscription_metadata=dict(sub["metadata"]),
            )
        )
        return inv

    def _mark_paid(self, inv: dict[str, Any], *, emit: bool = True) -> None:
        inv.update(
            status="paid",
            amount_paid=inv["amount_due"],
            amount_remaining=0,
            attempt_count=inv["attempt_count"] + 1,
            attempted=True,
            auto_advance=False,
            next_payment_attempt=None,
            ending_balance=0,
        )
        inv["status_transitions"]["paid_at"] = self._now()
        if emit:
            self._emit("invoice.paid", inv)
            self._emit("invoice.payment_succeeded", inv)

    def _card_fails(self, sub: dict[str, Any]) -> bool:
        customer = self.objects["customer"].get(sub["customer"], {})
        pm = sub.get("default_payment_method") or (customer.get("invoice_settings") or {}).get(
            "default_payment_method"
        )
        number = self.card_numbers.get(pm or "")
        return number is None or number in (
            CARD_CHARGES_FAIL,
            CARD_DECLINED,
            CARD_INSUFFICIENT_FUNDS,
        )

    def _charge(self, sub: dict[str, Any], inv: dict[str, Any]) -> bool:
        """Charge an open invoice off-session; on failure the subscription goes past_due."""
        sub["latest_invoice"] = inv["id"]
        if inv["amount_due"] == 0 or not self._card_fails(sub):
            self._mark_paid(inv)
            if sub["status"] == "past_due" and not self._open_invoices(sub):
                previous = {"status": sub["status"]}
                sub["status"] = "active"
                self._emit("customer.subscription.updated", sub, previous)
            return True
        attempt = inv["attempt_count"]
        inv.update(
            attempt_count=attempt + 1,
            attempted=True,
            next_payment_attempt=(
                self._now() + DUNNING_DELAYS_S[attempt] if attempt < len(DUNNING_DELAYS_S) else None
            ),
        )
        self._emit("invoice.payment_failed", inv)
        if sub["status"] != "past_due":
            previous = {"status": sub["status"]}
            sub["status"] = "past_due"
            self._emit("customer.subscription.updated", sub, previous)
        return False

    def _open_invoices(self, sub: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            i
            for i in self.objects["invoice"].values()
            if i["status"] == "open"
            and ((i.get("parent") or {}).get("subscription_details") or {}).get("subscription")
            == sub["id"]
        ]

    def list_invoices(self, p: dict[str, Any]) -> dict[str, Any]:
        items = self._sorted("invoice")
        if p.get("customer"):
            items = [o for o in items if o["customer"] == p["customer"]]
        if p.get("subscription"):
            items = [
                o
                for o in items
                if ((o.get("parent") or {}).get("subscription_details") or {}).get("subscription")
                == p["subscription"]
            ]
        if p.get("status"):
            items = [o for o in items if o["status"] == p["status"]]
        return self._page("/v1/invoices", [self._public(o) for o in items], p)

    def get_invoice(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._expand(self._public(self._get("invoice", id)), p.get("expand"))

    def create_preview(self, p: dict[str, Any]) -> dict[str, Any]:
        details = p.get("subscription_details") or {}
        if not isinstance(details, dict):
            raise _invalid("Invalid subscription_details.", param="subscription_details")
        if not p.get("subscription"):
            if not p.get("customer"):
                raise _invalid(
                    "Missing required param: customer.", param="customer", code="parameter_missing"
                )
            raise _invalid(
                "The Stripe emulator previews existing subscriptions: pass subscription.",
                param="subscription",
            )
        sub = self._get("subscription", p["subscription"], param="subscription")
        if p.get("customer") and p["customer"] != sub["customer"]:
            raise _invalid("The subscription does not belong to this customer.", param="customer")
        if sub["status"] == "canceled":
            raise _invalid(
                f"No upcoming invoices for customer: {sub['customer']}",
                code="invoice_upcoming_none",
            )
        items = _as_list(details.get("items"))
        behavior = details.get("proration_behavior", "create_prorations")
        at = _int(
            details.get("proration_date", self._now()), "subscription_details[proration_date]"
        )
        preview_sub = copy.deepcopy(sub)
        lines: list[dict[str, Any]] = list(
            copy.deepcopy(self.pending_prorations.get(sub["id"], []))
        )
        if items:
            change, reset = self._proration_lines(
                preview_sub,
                items,
                behavior,
                at,
                anchor_now=details.get("billing_cycle_anchor") == "now",
                apply=True,
            )
            if reset:
                return self._preview(preview_sub, change, "subscription_update")
            lines.extend(change)
        cancel = details.get("cancel_at_period_end", preview_sub["cancel_at_period_end"])
        if _bool(cancel, "subscription_details[cancel_at_period_end]"):
            raise _invalid(
                f"No upcoming invoices for customer: {sub['customer']}",
                code="invoice_upcoming_none",
            )
        for item in preview_sub["items"]["data"]:
            start = item["current_period_end"]
            end = add_interval(
                start,
                item["price"]["recurring"]["interval"],
                item["price"]["recurring"]["interval_count"],
            )
            lines.append(
                self._line(
                    preview_sub,
                    item,
                    amount=item["price"]["unit_amount"] * item["quantity"],
                    period=(start, end),
                )
            )
        return self._preview(preview_sub, lines, "subscription_cycle")

    def _preview(
        self, sub: dict[str, Any], lines: list[dict[str, Any]], reason: str
    ) -> dict[str, Any]:
        customer = self.objects["customer"].get(sub["customer"], {})
        inv = shapes.invoice(
            id="upcoming_in_" + secrets.token_hex(12),
            customer=sub["customer"],
            created=self._now(),
            currency=sub["currency"],
            lines=lines,
            status="draft",
            billing_reason=reason,
            subscription=sub["id"],
            period_start=min(line["period"]["start"] for line in lines),
            period_end=max(line["period"]["end"] for line in lines),
            customer_email=customer.get("email"),
            subscription_metadata=dict(sub["metadata"]),
        )
        inv["next_payment_attempt"] = (
            min(
                line["period"]["start"]
                for line in lines
                if not line["parent"]["subscription_item_details"]["proration"]
            )
            if reason == "subscription_cycle"
            else self._now()
        )
        return inv

    def list_events(self, p: dict[str, Any]) -> dict[str, Any]:
        items = self._sorted("event")
        if p.get("type"):
            items = [o for o in items if o["type"] == p["type"]]
        return self._page("/v1/events", items, p)

    def get_event(self, p: dict[str, Any], id: str) -> dict[str, Any]:
        return self._get("event", id)

    # ------------------------------------------------------------------ the billing clock

    def _tick(self) -> None:
        """Renew, end or dun every subscription whose moment has passed (emulated time)."""
        now = self._now()
        for sub in list(self.objects["subscription"].values()):
            for _ in range(100):  # a long clock jump renews period after period
                if sub["status"] not in ("active", "trialing", "past_due"):
                    break
                end = min(i["current_period_end"] for i in sub["items"]["data"])
                if end > now:
                    break
                if sub["cancel_at_period_end"]:
                    self._end_subscription(sub, at=end)
                    break
                self._renew(sub, end)
            for inv in self._open_invoices(sub):
                due = inv.get("next_payment_attempt")
                if sub["status"] != "past_due" or due is None or due > now:
                    continue
                if not self._charge(sub, inv) and inv["next_payment_attempt"] is None:
                    self._end_subscription(sub, at=now)
                    sub["cancellation_details"]["reason"] = "payment_failed"

    def _renew(self, sub: dict[str, Any], end: int) -> None:
        before = copy.deepcopy(sub)
        if sub["status"] == "trialing":
            sub["status"] = "active"
        lines = list(self.pending_prorations.pop(sub["id"], []))
        anchor = sub["billing_cycle_anchor"]
        for item in sub["items"]["data"]:
            interval = item["price"]["recurring"]["interval"]
            count = item["price"]["recurring"]["interval_count"]
            periods = 1
            new_end = add_interval(anchor, interval, count)
            while new_end <= end:
                periods += 1
                new_end = add_interval(anchor, interval, count * periods)
            item.update(current_period_start=end, current_period_end=new_end)
            lines.append(
                self._line(sub, item, amount=item["price"]["unit_amount"] * item["quantity"])
            )
        inv = self._new_invoice(sub, lines, billing_reason="subscription_cycle")
        self._charge(sub, inv)
        self._emit(
            "customer.subscription.updated",
            sub,
            {
                "items": before["items"],
                "latest_invoice": before["latest_invoice"],
                **({"status": before["status"]} if before["status"] != sub["status"] else {}),
            },
        )

    # ------------------------------------------------------------------ pages

    def _page_html(self, title: str, body: str, status: int = 200) -> flask.Response:
        doc = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}}
.banner{{background:#fff3cd;border:1px solid #e0c36b;padding:.5rem .75rem;border-radius:4px}}
label{{display:block;margin:.6rem 0 .2rem}}input,select{{width:100%;padding:.4rem;font:inherit}}
button{{margin-top:1rem;padding:.5rem 1rem;font:inherit}}.error{{color:#b00020}}
table{{width:100%;border-collapse:collapse}}td{{padding:.2rem 0}}</style></head>
<body><p class="banner" role="note"><strong>Emulated (local)</strong>: no real charge is made;
this page is Synthora's Stripe emulator, not Stripe.</p>{body}</body></html>"""
        return flask.Response(doc, status=status, mimetype="text/html")

    def checkout_page(self, id: str) -> flask.Response:
        with self.lock:
            session = self.objects["checkout.session"].get(id)
            if session is None:
                return self._page_html("Not found", "<h1>No such checkout session</h1>", 404)
            self._session(id)
            if flask.request.method == "POST" and session["status"] == "open":
                return self._checkout_submit(session)
            return self._checkout_form(session)

    def _checkout_form(
        self, session: dict[str, Any], error: str | None = None, status: int = 200
    ) -> flask.Response:
        if session["status"] == "complete":
            return self._page_html(
                "Paid",
                "<h1>Emulated (local) checkout</h1>"
                "<p>This checkout session is already complete.</p>",
            )
        if session["status"] == "expired":
            return self._page_html(
                "Expired",
                "<h1>Emulated (local) checkout</h1><p>This checkout session has expired.</p>",
                410,
            )
        rows = []
        for line in session["_line_items"]:
            price = self.objects["price"][line["price"]]
            rows.append(
                f"<tr><td>{html.escape(self._describe(price))}</td>"
                f"<td>x {line['quantity']}</td></tr>"
            )
        email = session.get("customer_email") or (
            self.objects["customer"].get(session.get("customer") or "", {}).get("email") or ""
        )
        err = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
        cancel = (
            f'<p><a href="{html.escape(session["cancel_url"])}">Cancel and go back</a></p>'
            if session.get("cancel_url")
            else ""
        )
        body = f"""<h1>Emulated (local) checkout</h1>
<p>Subscribe: <strong>{session["amount_total"] / 100:.2f} {session["currency"].upper()}</strong>
{html.escape(email)}</p><table>{"".join(rows)}</table>{err}
<form method="post" action="">
<label for="card_number">Card number</label>
<input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number"
 placeholder="4242 4242 4242 4242" required>
<label for="card_expiry">Expiry (MM / YY)</label>
<input id="card_expiry" name="card_expiry" placeholder="12 / 34" required>
<label for="card_cvc">CVC</label>
<input id="card_cvc" name="card_cvc" inputmode="numeric" placeholder="123" required>
<label for="name">Name on card</label><input id="name" name="name" autocomplete="cc-name">
<button type="submit">Subscribe</button></form>{cancel}
<p><small>Test cards: 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined;
4000 0025 0000 3155 asks for authentication.</small></p>"""
        return self._page_html("Emulated (local) checkout", body, status)

    def _read_card(self) -> tuple[str, tuple[int, int]]:
        form = flask.request.form
        number = "".join(ch for ch in form.get("card_number", "") if ch.isdigit())
        if len(number) < 12 or not _luhn(number):
            raise StripeError(
                402,
                "card_error",
                "Your card number is invalid.",
                code="incorrect_number",
                param="number",
            )
        digits = "".join(ch for ch in form.get("card_expiry", "") if ch.isdigit())
        if len(digits) not in (4, 6):
            raise StripeError(
                402,
                "card_error",
                "Your card's expiration date is incomplete.",
                code="invalid_expiry_year",
                param="exp_year",
            )
        month, year = int(digits[:2]), int(digits[2:])
        year = 2000 + year if year < 100 else year
        now = self.clock.now()
        if not 1 <= month <= 12 or (year, month) < (now.year, now.month):
            raise StripeError(
                402,
                "card_error",
                "Your card's expiration date is in the past.",
                code="invalid_expiry_year",
                param="exp_year",
            )
        cvc = "".join(ch for ch in form.get("card_cvc", "") if ch.isdigit())
        if len(cvc) not in (3, 4):
            raise StripeError(
                402,
                "card_error",
                "Your card's security code is incomplete.",
                code="incorrect_cvc",
                param="cvc",
            )
        return number, (month, year)

    def _checkout_submit(self, session: dict[str, Any]) -> flask.Response:
        try:
            number, exp = self._read_card()
        except StripeError as exc:
            return self._checkout_form(session, exc.body["error"]["message"], 402)
        if number in (CARD_DECLINED, CARD_CHARGES_FAIL):
            return self._checkout_form(session, "Your card was declined.", 402)
        if number == CARD_INSUFFICIENT_FUNDS:
            return self._checkout_form(session, "Your card has insufficient funds.", 402)
        if number == CARD_AUTHENTICATION:
            token = secrets.token_hex(12)
            session["_auth"] = {"token": token, "number": number, "exp": list(exp)}
            body = f"""<h1>Emulated (local) checkout</h1><h2>Authentication required</h2>
<p>Your bank asks you to confirm this payment (3D Secure, emulated).</p>
<form method="post" action="{html.escape(flask.request.path)}/authenticate">
<input type="hidden" name="token" value="{token}">
<button type="submit" name="outcome" value="complete">Complete authentication</button>
<button type="submit" name="outcome" value="fail">Fail authentication</button></form>"""
            return self._page_html("Authentication required", body)
        self._complete_checkout(session, number, exp)
        return self._redirect_success(session)

    def _redirect_success(self, session: dict[str, Any]) -> flask.Response:
        target = str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session["id"])
        return flask.redirect(target, code=303)

    def checkout_authenticate(self, id: str) -> flask.Response:
        with self.lock:
            session = self.objects["checkout.session"].get(id)
            pending = (session or {}).get("_auth")
            if (
                session is None
                or session["status"] != "open"
                or not pending
                or flask.request.form.get("token") != pending["token"]
            ):
                return self._page_html("Not found", "<h1>No authentication pending</h1>", 404)
            session.pop("_auth")
            if flask.request.form.get("outcome") != "complete":
                return self._checkout_form(
                    session,
                    "We are unable to authenticate your payment method. Please choose "
                    "a different payment method and try again.",
                    402,
                )
            self._complete_checkout(session, pending["number"], tuple(pending["exp"]))
            return self._redirect_success(session)

    def portal_page(self, id: str) -> flask.Response:
        with self.lock:
            session = self.objects["billing_portal.session"].get(id)
            if session is None:
                return self._page_html("Not found", "<h1>No such portal session</h1>", 404)
            message = None
            status = 200
            if flask.request.method == "POST":
                try:
                    message = self._portal_action(session)
                except StripeError as exc:
                    message, status = exc.body["error"]["message"], exc.status
            return self._portal_view(session, message, status)

    def _portal_action(self, session: dict[str, Any]) -> str:
        form = flask.request.form
        action = form.get("action", "")
        customer = self._get("customer", session["customer"])
        if action == "update_card":
            number, exp = self._read_card()
            if number in (CARD_DECLINED, CARD_INSUFFICIENT_FUNDS):
                raise StripeError(
                    402,
                    "card_error",
                    "Your card was declined.",
                    code="card_declined",
                    decline_code="generic_decline",
                )
            pm = self._attach_card(customer, number, *exp)
            for sub in self.objects["subscription"].values():
                if sub["customer"] == customer["id"] and sub["status"] != "canceled":
                    sub["default_payment_method"] = pm["id"]
                    for inv in self._open_invoices(sub):
                        self._charge(sub, inv)
            return f"Card ending in {number[-4:]} saved."
        sub = self._get("subscription", form.get("subscription", ""))
        if sub["customer"] != customer["id"]:
            raise _missing("subscription", sub["id"])
        if action == "cancel":
            self.update_subscription({"cancel_at_period_end": "true"}, sub["id"])
            return "Your plan will be canceled at the end of the billing period."
        if action == "renew":
            self.update_subscription({"cancel_at_period_end": "false"}, sub["id"])
            return "Your plan was renewed."
        if action == "change_plan":
            price = self._get("price", form.get("price", ""), param="price")
            item = sub["items"]["data"][0]
            self.update_subscription(
                {
                    "items": [{"id": item["id"], "price": price["id"]}],
                    "proration_behavior": "create_prorations",
                },
                sub["id"],
            )
            return f"Plan changed to {self._describe(price)}."
        raise _invalid(f"Unknown portal action {action!r}.")

    def _portal_view(
        self, session: dict[str, Any], message: str | None, status: int
    ) -> flask.Response:
        customer = self.objects["customer"].get(session["customer"], {})
        subs = [
            s
            for s in self._sorted("subscription")
            if s["customer"] == session["customer"] and s["status"] != "canceled"
        ]
        prices = [p for p in self._sorted("price") if p["active"]]
        email = html.escape(customer.get("email") or "")
        parts = [f"<h1>Emulated (local) billing portal</h1><p>{email}</p>"]
        if message:
            parts.append(f'<p role="status">{html.escape(message)}</p>')
        for sub in subs:
            item = sub["items"]["data"][0]
            end = datetime.fromtimestamp(item["current_period_end"], tz=UTC).date().isoformat()
            state = f"cancels on {end}" if sub["cancel_at_period_end"] else f"renews on {end}"
            options = "".join(
                f'<option value="{p["id"]}">{html.escape(self._describe(p))}</option>'
                for p in prices
                if p["id"] != item["price"]["id"]
            )
            toggle = (
                ("renew", "Renew plan")
                if sub["cancel_at_period_end"]
                else ("cancel", "Cancel plan")
            )
            parts.append(f"""<section><h2>{html.escape(self._describe(item["price"]))}</h2>
<p>Status: {sub["status"]}, {state}</p>
<form method="post"><input type="hidden" name="subscription" value="{sub["id"]}">
<button type="submit" name="action" value="{toggle[0]}">{toggle[1]}</button></form>
<form method="post"><input type="hidden" name="subscription" value="{sub["id"]}">
<label for="price-{sub["id"]}">Change plan</label>
<select id="price-{sub["id"]}" name="price">{options}</select>
<button type="submit" name="action" value="change_plan">Change plan</button></form></section>""")
        if not subs:
            parts.append("<p>No active subscription.</p>")
        parts.append("""<section><h2>Payment method</h2><form method="post">
<label for="card_number">Card number</label><input id="card_number" name="card_number" required>
<label for="card_expiry">Expiry (MM / YY)</label><input id="card_expiry" name="card_expiry"
 required><label for="card_cvc">CVC</label><input id="card_cvc" name="card_cvc" required>
<button type="submit" name="action" value="update_card">Update card</button></form></section>""")
        if session.get("return_url"):
            parts.append(f'<p><a href="{html.escape(session["return_url"])}">Return</a></p>')
        return self._page_html("Emulated (local) billing portal", "\n".join(parts), status)

    def invoice_page(self, id: str) -> flask.Response:
        with self.lock:
            inv = self.objects["invoice"].get(id)
            if inv is None:
                return self._page_html("Not found", "<h1>No such invoice</h1>", 404)
            rows = "".join(
                f"<tr><td>{html.escape(line['description'])}</td>"
                f"<td>{line['amount'] / 100:.2f}</td></tr>"
                for line in inv["lines"]["data"]
            )
            body = (
                f"<h1>Invoice {html.escape(inv['number'] or '')}</h1>"
                f"<p>Status: {inv['status']}</p><table>{rows}</table>"
                f"<p>Total: {inv['total'] / 100:.2f} {inv['currency'].upper()}</p>"
            )
            return self._page_html(f"Invoice {inv['number']}", body)

    def invoice_pdf(self, id: str) -> flask.Response:
        with self.lock:
            inv = self.objects["invoice"].get(id)
            if inv is None:
                return self._json(
                    shapes.error(
                        type="invalid_request_error",
                        message=f"No such invoice: '{id}'",
                        code="resource_missing",
                    ),
                    404,
                )
            text = (
                f"Emulated (local) invoice {inv['number']}: {inv['total'] / 100:.2f} "
                f"{inv['currency'].upper()} {inv['status']}"
            )
        return flask.Response(
            _tiny_pdf(text),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{inv["number"]}.pdf"'},
        )


def _idempotency_message(key: str) -> str:
    return (
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request."
    )


def _control_error(message: str) -> None:
    flask.abort(
        flask.Response(
            json.dumps({"error": {"message": message}}), status=400, mimetype="application/json"
        )
    )


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF showing one line of text."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 50 750 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def query_string(params: dict[str, Any]) -> str:
    """Form-encode nested params as Stripe clients do (tests use it for raw calls)."""
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}[{k}]" if prefix else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{prefix}[{i}]", v)
        elif value is not None:
            pairs.append((prefix, str(value).lower() if isinstance(value, bool) else str(value)))

    walk("", params)
    return urlencode(pairs)
