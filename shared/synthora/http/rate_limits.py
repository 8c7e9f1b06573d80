"""Rate limits on the expensive and sensitive routes, configured in this one table.

A route names a policy (`@router.post(..., rate_limit="generation")`); the
policy lists its limits, each counted per signed-in user, per client address
or per personal API token in a fixed window. Every request made with a personal
token also counts against that token's own `personal_token` policy (the router
applies it on every signed-in route), on top of the route's per-user limits,
which a token shares with its owner. Counters live in the documents port (`rate_limits/{id}`,
one document per key and window, incremented atomically), so every instance
of a function shares them. Over the limit, the router answers 429
`rate_limited` with `Retry-After` (seconds to the end of the window).

Cheap by design: a route without a policy costs nothing; an allowed request
costs one increment and one read per limit; once a key is over its limit, this
process remembers it until the window ends and refuses without touching the
store, so a flood costs no store operations at all.

Counter documents carry `expires_at` and are deleted by the daily cleanup
(target `rate_limits`, registered in `synthora.services.cleanup`).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from synthora.errors import RateLimited
from synthora.logs import fields, get_logger
from synthora.ports.documents import Increment

log = get_logger(__name__)

COLLECTION = "rate_limits"

Scope = Literal["user", "address", "token"]


class Limit(BaseModel):
    """At most `requests` per `window_s` seconds for one user, address or personal token."""

    per: Scope
    requests: int = Field(ge=1)
    window_s: int = Field(ge=1, le=86_400)


class Policy(BaseModel):
    name: str
    description: str
    limits: tuple[Limit, ...]


def _policy(name: str, description: str, *limits: Limit) -> Policy:
    return Policy(name=name, description=description, limits=limits)


#: Every rate limit of the API. docs/operations.md ("Rate limits") lists them too.
POLICIES: dict[str, Policy] = {
    p.name: p
    for p in (
        _policy(
            "sign_in",
            "Sign-in and token checks (`POST /auth/login`, `POST /auth/verify-token`); the web "
            "app signs in on every full page load, so the limits leave room for that.",
            Limit(per="address", requests=120, window_s=60),
            Limit(per="user", requests=60, window_s=60),
        ),
        _policy(
            "key_reveal",
            "Showing a stored provider key in full (also at most 10 per hour, audited).",
            Limit(per="user", requests=10, window_s=60),
            Limit(per="address", requests=20, window_s=60),
        ),
        _policy(
            "generation",
            "Starting or retrying a video generation (daily limits apply on top).",
            Limit(per="user", requests=10, window_s=60),
            Limit(per="address", requests=30, window_s=60),
        ),
        _policy(
            "connect_account",
            "Connecting a provider key or a social account (its consent link), or replacing a "
            "provider key.",
            Limit(per="user", requests=10, window_s=60),
            Limit(per="address", requests=30, window_s=60),
        ),
        _policy(
            "personal_token",
            "Every request made with one personal API token (scripts, agents, the MCP server), "
            "whatever the route; route limits per account apply on top.",
            Limit(per="token", requests=120, window_s=60),
        ),
        _policy(
            "create_token",
            "Creating a personal API token.",
            Limit(per="user", requests=10, window_s=60),
            Limit(per="address", requests=30, window_s=60),
        ),
        _policy(
            "checkout",
            "Starting a billing checkout (a Stripe Checkout session).",
            Limit(per="user", requests=5, window_s=60),
            Limit(per="address", requests=20, window_s=60),
        ),
    )
}


def get_policy(name: str) -> Policy:
    policy = POLICIES.get(name)
    if policy is None:
        raise ValueError(
            f"unknown rate-limit policy {name!r}; known: {', '.join(sorted(POLICIES))}"
        )
    return policy


# --------------------------------------------------------------------------- counting

#: The wall clock windows are cut from (tests pin it, so a window never ends mid-test).
clock = time.time

_blocked: dict[str, float] = {}  # counter id -> wall-clock end of its window
_blocked_lock = threading.Lock()


def clear_memory() -> None:
    """Forget which keys this process saw over their limit (tests)."""
    with _blocked_lock:
        _blocked.clear()


def _counter_id(policy: str, limit: Limit, subject: str, window_start: int) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:24]
    return f"{policy}.{limit.per}.{limit.window_s}.{digest}.{window_start}"


def _refuse(policy: Policy, limit: Limit, window_end: float, now: float) -> RateLimited:
    retry_after = max(1, math.ceil(window_end - now))
    who = {"user": "account", "address": "address", "token": "personal API token"}[limit.per]
    return RateLimited(
        f"too many requests from this {who}: at most {limit.requests} per {limit.window_s} s; "
        f"try again in {retry_after} s",
        details={
            "policy": policy.name,
            "per": limit.per,
            "limit": limit.requests,
            "window_s": limit.window_s,
            "retry_after_s": retry_after,
        },
        headers={"Retry-After": str(retry_after)},
    )


def enforce(
    *,
    documents: object,
    policy_name: str,
    per: Scope,
    subject: str | None,
    now: float | None = None,
) -> None:
    """Count one request against the policy's `per` limits; raise `RateLimited` when over."""
    from synthora.ports.documents import DocumentStore

    if not subject:
        return
    assert isinstance(documents, DocumentStore)
    policy = get_policy(policy_name)
    now = clock() if now is None else now
    for limit in policy.limits:
        if limit.per != per:
            continue
        window_start = int(now // limit.window_s) * limit.window_s
        window_end = float(window_start + limit.window_s)
        counter = _counter_id(policy.name, limit, subject, window_start)
        with _blocked_lock:
            until = _blocked.get(counter)
        if until is not None and now < until:
            raise _refuse(policy, limit, until, now)
        ref = documents.collection(COLLECTION).document(counter)
        ref.set(
            {
                "count": Increment(1),
                "policy": policy.name,
                "per": limit.per,
                "expires_at": datetime.fromtimestamp(window_end, UTC) + timedelta(minutes=5),
            },
            merge=True,
        )
        count = ref.get().get("count") or 0
        if count > limit.requests:
            with _blocked_lock:
                _blocked[counter] = window_end
                if len(_blocked) > 10_000:  # forget finished windows
                    for key in [k for k, end in _blocked.items() if end <= now]:
                        _blocked.pop(key, None)
            log.warning(
                "rate limited", extra=fields(policy=policy.name, per=limit.per, count=count)
            )
            raise _refuse(policy, limit, window_end, now)
