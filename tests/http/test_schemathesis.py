"""Bad input and conformance, generated from the OpenAPI document by schemathesis.

The whole platform runs as a real gateway process (real manifest, real Auth
emulator tokens, queue and cron off so no pipeline renders meanwhile). The
schemathesis CLI runs every phase (examples, coverage, fuzzing and the stateful
phase over links it infers) once per caller, a free user, a premium user and an
administrator, over every operation but signing out (which ends the caller's
sessions: it gets a run and a user of its own), with a fixed seed and a
bounded number of examples per operation, and every check: no 5xx, status
codes, content types, headers and response bodies as documented, invalid
requests refused and valid ones accepted, `Allow` on 405, authentication not ignored, plus our own
(`schemathesis_hooks.py`): every error is the standard error body.

Each operation is then its own test, failing with what schemathesis found for
it. Known failures wait for their fix as strict xfails naming the finding of
issue 18, so they flip as soon as it lands.

    pytest -m schemathesis            # just this suite
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from synthora.settings import REPO_ROOT
from tests.conftest import AuthEmulator
from tests.support.calls import bearer, uid_of
from tests.support.gateway import GatewayProcess
from tests.support.openapi import document, operations

pytestmark = [
    pytest.mark.schemathesis,
    pytest.mark.emulator,
    pytest.mark.xdist_group("schemathesis"),
    # the first test of each role pays for its run (2-7 min each on a busy 2-core box)
    pytest.mark.timeout(1500),
]

SEED = 7
MAX_EXAMPLES = 3
ROLES = ("free", "premium", "admin")
#: Signing out ends every session of the caller (issue 18, finding 6): fuzzed in a run of
#: its own, by a user of its own, so the other runs keep theirs.
SIGN_OUT = "POST /api/v1/auth/logout"
SIGNED_OUT = "signed-out"
#: The coverage phase (boundary values of every parameter) is the slow one: premium
#: differs from free only in its limits, so it fuzzes and walks links without it.
PHASES = {
    "free": "coverage,fuzzing,stateful",
    "premium": "fuzzing,stateful",
    "admin": "coverage,fuzzing,stateful",
    SIGNED_OUT: "coverage,fuzzing",
}
LABELS = sorted(f"{op.method} {op.path}" for op in operations(document()))

#: operation label -> why it is expected to fail today (the issue 18 finding that fixes it)
KNOWN: dict[str, str] = {}

#: Intermittent failures waiting for their fix (not strict: they do not happen every run).
FLAKY: dict[str, str] = {}

#: Operations where a request valid by the schema can still be refused, and why. Each
#: widens what `positive_data_acceptance` lets through for that operation only.
CONTEXTUAL: dict[str, tuple[list[int], str]] = {
    "GET /api/v1/notifications/email/unsubscribe": (
        [400],
        "an unsubscribe token is valid only with its signature (HMAC); a random one is refused",
    ),
    "POST /api/v1/notifications/email/unsubscribe": (
        [400],
        "an unsubscribe token is valid only with its signature (HMAC); a random one is refused",
    ),
    "POST /api/v1/integrations": (
        [422],
        "the key's format and the option names depend on the provider chosen",
    ),
    "PATCH /api/v1/integrations/{integration_id}": (
        [422],
        "the key's format and the option names depend on the integration's provider",
    ),
    "POST /api/v1/templates": (
        [422],
        "`config` is checked by the template validator (known sections, cross-field rules)",
    ),
    "PATCH /api/v1/templates/{template_id}": (
        [422],
        "`config` is merged into the stored one, then checked by the template validator",
    ),
    "POST /api/v1/admin/settings/{key}": (
        [422],
        "the value's shape depends on the setting named in the path",
    ),
    "POST /api/v1/social-accounts/callback/{platform}/manual": (
        [400],
        "the state must be one this server issued to this user for a consent, used once",
    ),
    "GET /api/v1/posts/scheduled": (
        [422],
        "`end` must follow `start` by at most 92 days (a rule across two parameters)",
    ),
    "GET /api/v1/analytics/heatmap": (
        [422],
        "`tz` must name a time zone of the IANA database the server has",
    ),
    "POST /api/v1/posts": (
        [422],
        "each target is checked against its platform's rules and the account (title length, "
        "privacy options, hashtags, the video's duration)",
    ),
    "PATCH /api/v1/posts/{post_id}": (
        [422],
        "the changed targets are checked again against their platform's rules",
    ),
    "GET /api/v1/posts/export": (
        [422],
        "`end` must follow `start` (a rule across two parameters)",
    ),
    "POST /api/v1/posts/import": (
        [413, 422],
        "the CSV text is parsed and each row checked as a post (header, columns, times, the "
        "video and account), and `time_zone` must name an IANA zone the server has",
    ),
    "POST /api/v1/videos/batch": (
        [413, 422],
        "the file text is parsed as CSV or YAML and every row checked (columns, the Create "
        "screen's choices, the template) before anything starts",
    ),
    "POST /api/v1/videos/batch/validate": (
        [413],
        "the body's bound is in bytes: a text within its length in characters can exceed it",
    ),
    "PUT /api/v1/videos/{video_id}/storyboard": (
        [422],
        "exactly one of `scenes` and `script_text` (a rule across two fields), and the "
        "scenes' timing must fit the template's length",
    ),
    "POST /api/v1/stripe-webhook": (
        [400],
        "only Stripe can sign a body with the endpoint's secret: generated ones are 400",
    ),
}
POSITIVE_OK = ["2XX", "401", "403", "404", "409", "429"]


def _config(path: Path) -> Path:
    """schemathesis.toml: the per-operation exceptions above, and opaque cursors (400)."""
    sections: list[str] = []
    for op in operations(document()):
        label = f"{op.method} {op.path}"
        extra: list[int] = []
        if any(p.get("name") == "cursor" for p in op.spec.get("parameters", [])):
            extra.append(400)  # a cursor is opaque: only one the server issued is valid
        extra += CONTEXTUAL.get(label, ([], ""))[0]
        if extra:
            statuses = ", ".join(f'"{s}"' for s in [*POSITIVE_OK, *map(str, extra)])
            sections.append(
                f'[[operations]]\ninclude-name = "{label}"\n'
                f"checks.positive_data_acceptance.expected-statuses = [{statuses}]\n"
            )
    path.write_text("\n".join(sections))
    return path


@dataclass
class Run:
    role: str
    report: dict[str, Any]
    output: str
    seconds: float

    def failures_for(self, label: str) -> list[dict[str, Any]]:
        return [f for f in self.report.get("failures", []) if label in f.get("operations", [])]


@pytest.fixture(scope="module")
def platform_under_test(
    auth_emulator: AuthEmulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GatewayProcess, dict[str, str]]]:
    auth_emulator.ensure_running()
    auth_emulator.wipe()
    data = tmp_path_factory.mktemp("schemathesis") / "data"
    data.mkdir()
    gateway = GatewayProcess(data, auth_host=auth_emulator.host, background=False)
    gateway.start()
    try:
        tokens: dict[str, str] = {}
        with httpx.Client(base_url=gateway.url, timeout=30) as http:
            for role in ("admin", "free", "premium", SIGNED_OUT):  # the first is the admin
                tokens[role] = auth_emulator.sign_up(f"fuzz-{role}@example.com")
                r = http.post("/api/v1/auth/login", json={"id_token": tokens[role]})
                assert r.status_code == 200, r.text
            r = http.post(
                f"/api/v1/users/{uid_of(tokens['premium'])}/grant-premium",
                headers=bearer(tokens["admin"]),
            )
            assert r.status_code == 200, r.text
        yield gateway, tokens
    finally:
        gateway.stop()


@pytest.fixture(scope="module")
def runs(
    platform_under_test: tuple[GatewayProcess, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Run]:
    """One schemathesis run per role, made on first use."""
    gateway, tokens = platform_under_test
    reports = tmp_path_factory.mktemp("schemathesis-reports")
    failed: dict[str, Exception] = {}

    class Lazy(dict[str, Run]):
        def __missing__(self, role: str) -> Run:
            if role in failed:  # a run that failed is not run again for every operation
                raise failed[role]
            try:
                self[role] = _run(gateway, tokens[role], role, reports)
            except Exception as exc:
                failed[role] = exc
                raise
            return self[role]

    return Lazy()


def _run(gateway: GatewayProcess, token: str, role: str, reports: Path) -> Run:
    report = reports / f"{role}.json"
    config = _config(reports / "schemathesis.toml")
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.http.schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join(
            [str(REPO_ROOT), str(REPO_ROOT / "shared"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        *("--config-file", str(config)),
        "run",
        f"{gateway.url}/api/v1/openapi.json",
        "--url",
        gateway.url,
        *("--header", f"Authorization: Bearer {token}"),
        *(("--include-name", SIGN_OUT) if role == SIGNED_OUT else ("--exclude-name", SIGN_OUT)),
        *("--checks", "all"),
        *("--phases", PHASES[role]),
        *("--max-examples", str(MAX_EXAMPLES)),
        *("--seed", str(SEED)),
        "--generation-deterministic",
        "--no-shrink",
        *("--workers", "1"),
        *("--request-timeout", "30"),
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
        *("--report", "json"),
        *("--report-json-path", str(report)),
        "--no-color",
    ]
    started = time.monotonic()
    done = subprocess.run(
        cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False
    )
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    if not report.exists() or not report.read_text().strip():
        raise RuntimeError(f"schemathesis produced no report (exit {done.returncode}):\n{output}")
    return Run(role=role, report=json.loads(report.read_text()), output=output, seconds=seconds)


def _section(output: str, label: str) -> str:
    """The part of the CLI output about one operation."""
    lines = output.splitlines()
    picked: list[str] = []
    keep = False
    for line in lines:
        if line.startswith("_") and label in line:
            keep = True
        elif line.startswith("_") and keep:
            keep = False
        if keep:
            picked.append(line)
    return "\n".join(picked[:120])


def _case(role: str, label: str) -> Any:
    key = f"{role} {label}"
    reason = KNOWN.get(key) or KNOWN.get(f"* {label}")
    if reason:
        return pytest.param(role, label, marks=pytest.mark.xfail(strict=True, reason=reason))
    flaky = FLAKY.get(key) or FLAKY.get(f"* {label}")
    if flaky:
        return pytest.param(role, label, marks=pytest.mark.xfail(strict=False, reason=flaky))
    return pytest.param(role, label)


def test_the_run_covers_every_operation(runs: dict[str, Run]) -> None:
    run = runs["free"]
    ops = run.report["operations"]
    assert ops["selected"] == len(LABELS) - 1, ops  # all but signing out
    assert ops["errored"] == 0, run.output[-4000:]
    assert run.report["errors"] == [], run.report["errors"]
    assert runs[SIGNED_OUT].report["operations"]["selected"] == 1


@pytest.mark.parametrize("role", [*ROLES, SIGNED_OUT])
def test_the_caller_stays_signed_in(runs: dict[str, Run], role: str) -> None:
    """A run whose session ended part-way would test nothing but 401s."""
    # (403s are expected: a free user is refused the admin and premium routes)
    assert "401 Unauthorized (" not in runs[role].output, runs[role].output[-6000:]


@pytest.mark.parametrize("role", ROLES)
def test_no_failure_outside_the_documented_operations(runs: dict[str, Run], role: str) -> None:
    """Undocumented methods on a documented path (405 with the right `Allow`), for instance."""
    run = runs[role]
    stray = [
        (f["title"], [o for o in f["operations"] if o not in LABELS])
        for f in run.report.get("failures", [])
        if any(o not in LABELS for o in f["operations"])
    ]
    assert not stray, stray


@pytest.mark.parametrize(
    ("role", "label"),
    [_case(r, lab) for r in ROLES for lab in LABELS if lab != SIGN_OUT]
    + [_case(SIGNED_OUT, SIGN_OUT)],
)
def test_operation_conforms(runs: dict[str, Run], role: str, label: str) -> None:
    run = runs[role]
    failures = run.failures_for(label)
    assert not failures, (
        f"schemathesis ({role}, seed {SEED}, {MAX_EXAMPLES} examples) on {label}:\n"
        + "\n".join(f"- {f['title']} ({f['count']})" for f in failures)
        + "\n\n"
        + _section(run.output, label)
    )
