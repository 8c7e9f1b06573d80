"""`synthora batch FILE`: in process, resumed after a kill, and through a running gateway's API."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from synthora.cli import main
from synthora.cli_batch import BatchState, state_path
from synthora.media import probe
from synthora.platform import Platform, get_platform, set_platform
from synthora.settings import REPO_ROOT, reset_settings_cache
from tests.conftest import AuthEmulator
from tests.support.gateway import GatewayProcess

# Renders on a shared machine: a bound for a broken run, not a speed goal.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

#: The fastest videos: the shortest length the templates allow, rendered at a quarter size.
ROWS = (
    "topic,template,min_seconds,max_seconds\n"
    "how bees make honey,sys-trending-challenge,5,6\n"
    "why cats purr,sys-trending-challenge,5,6\n"
)


def _state(file: Path) -> BatchState:
    return BatchState.model_validate_json(state_path(file).read_text(encoding="utf-8"))


@pytest.fixture
def data_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Opens the platform of a batch's data folder, to count what the runs made."""
    opened: list[Platform] = []

    def open_(data_dir: Path) -> Platform:
        monkeypatch.setenv("SYNTHORA_DATA_DIR", str(data_dir))
        reset_settings_cache()
        set_platform(None)
        opened.append(get_platform())
        return opened[-1]

    yield open_
    for p in opened:
        p.close()
    set_platform(None)


def _videos(platform: Platform) -> list[dict[str, object]]:
    query = platform.documents.collection("videos").where("owner_id", "==", "cli-user")
    return [s.to_dict() or {} for s in query.stream()]


def test_in_process_makes_every_row_and_a_rerun_skips_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_platform: object
) -> None:
    monkeypatch.setenv("SYNTHORA_RENDER_SCALE", "0.25")
    file = tmp_path / "videos.csv"
    file.write_text(ROWS, encoding="utf-8")
    args = ["batch", str(file), "--data-dir", str(tmp_path / "d"), "--out-dir", str(tmp_path / "o")]
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    assert main(args) == 0, out.getvalue()
    state = _state(file)
    rows = sorted(state.rows.values(), key=lambda r: r.row)
    assert [(r.row, r.status) for r in rows] == [(1, "completed"), (2, "completed")]
    for r in rows:
        assert r.output is not None and Path(r.output).parent == tmp_path / "o"
        info = probe(Path(r.output))
        assert (info.width, info.height) == (270, 480)
    summary = out.getvalue().splitlines()
    assert summary[0].split() == ["row", "topic", "status", "video", "post", "duration"]
    assert rows[0].video_id in summary[1] and "completed" in summary[1]
    assert rows[1].video_id in summary[2]
    assert "2/2" in err.getvalue()

    out.truncate(0)
    out.seek(0)
    assert main(args) == 0
    assert _state(file) == state, "a finished row is not started again"
    platform = data_platform(tmp_path / "d")  # type: ignore[operator]
    assert sorted(str(v["id"]) for v in _videos(platform)) == sorted(str(r.video_id) for r in rows)


def test_a_row_that_posts_needs_the_api_and_nothing_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "videos.yaml"
    file.write_text(
        "- {topic: why cats purr, template: sys-viral-hook}\n"
        "- {topic: why dogs bark, template: sys-viral-hook, accounts: [acc-1]}\n"
        "- {topic: why owls hoot, template: no-such-template}\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["batch", str(file), "--data-dir", str(tmp_path / "d")]) == 2
    text = out.getvalue()
    assert "nothing was started" in text
    assert "row 2, accounts: posting needs --api" in text
    assert "row 3, template: template not found" in text
    assert not state_path(file).exists() or not _state(file).rows


def _run_cli(file: Path, *extra: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "synthora.cli", "batch", str(file), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNTHORA_")}
    env.update(
        SYNTHORA_ENVIRONMENT="local",
        SYNTHORA_ENV_FILE="",
        SYNTHORA_RENDER_SCALE="0.25",
        SYNTHORA_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "shared"), str(REPO_ROOT / "emulators")]),
    )
    return env


def test_a_killed_run_resumes_without_starting_a_row_twice(
    tmp_path: Path, data_platform: object
) -> None:
    file = tmp_path / "videos.csv"
    file.write_text(ROWS, encoding="utf-8")
    data = tmp_path / "d"
    env = _cli_env()
    proc = _run_cli(file, "--data-dir", str(data), env=env)
    deadline = time.monotonic() + 600  # a bound for a broken run, not a speed goal
    seen: BatchState | None = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if state_path(file).exists():
                seen = _state(file)  # written atomically: never half a file
                if any(r.status == "completed" for r in seen.rows.values()):
                    break
            time.sleep(0.2)
        assert proc.poll() is None, "the run ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    assert seen is not None
    killed = _state(file)
    assert [r.row for r in killed.rows.values() if r.status == "completed"] == [1]
    first_id = next(r.video_id for r in killed.rows.values() if r.row == 1)

    again = _run_cli(file, "--data-dir", str(data), env=env)
    stdout, stderr = again.communicate(timeout=900)
    assert again.returncode == 0, stdout.decode() + stderr.decode()[-2000:]
    final = _state(file)
    rows = sorted(final.rows.values(), key=lambda r: r.row)
    assert [(r.row, r.status) for r in rows] == [(1, "completed"), (2, "completed")]
    assert rows[0].video_id == first_id
    assert rows[0].finished_at == next(r for r in killed.rows.values() if r.row == 1).finished_at
    second = next((r for r in killed.rows.values() if r.row == 2), None)
    if second is not None and second.video_id is not None:
        assert rows[1].video_id == second.video_id, "the started row was followed, not redone"
    platform = data_platform(data)  # type: ignore[operator]
    made = _videos(platform)
    assert len(made) == 2, "no row was created twice"
    assert {v["status"] for v in made} == {"completed"}


@pytest.fixture
def gateway(auth: AuthEmulator, tmp_path: Path) -> Iterator[GatewayProcess]:
    process = GatewayProcess(
        tmp_path / "gw-data", auth_host=auth.host, env={"SYNTHORA_RENDER_SCALE": "0.25"}
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


def test_api_mode_starts_rows_through_a_running_instance(
    gateway: GatewayProcess, auth: AuthEmulator, tmp_path: Path
) -> None:
    # the first user to sign in becomes the admin; the batch runs as a free user after it
    tokens = [auth.sign_up("first@example.com"), auth.sign_up("batch@example.com")]
    with httpx.Client(base_url=gateway.url) as http:
        for token in tokens:
            assert http.post("/api/v1/auth/login", json={"id_token": token}).status_code == 200
    token = tokens[1]
    with httpx.Client(base_url=gateway.url) as http:
        me = http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["user"]["role"] == "free", me
    file = tmp_path / "videos.csv"
    file.write_text(ROWS, encoding="utf-8")
    env = {**_cli_env(), "SYNTHORA_TOKEN": token}
    args = ["--api", gateway.url, "--parallel", "2", "--poll", "0.5"]
    run = _run_cli(file, *args, env=env)
    stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, stdout.decode() + stderr.decode()[-2000:] + gateway.log_tail()
    state = _state(file)
    assert state.mode == "api" and state.api == gateway.url
    ids = [r.video_id for r in sorted(state.rows.values(), key=lambda r: r.row)]
    assert len(set(ids)) == 2 and None not in ids
    # a free user runs one generation at a time: the second row waited for the first
    assert "row 2 waits" in stderr.decode()
    authorized = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=gateway.url, headers=authorized) as http:
        listed = http.get("/api/v1/videos", params={"limit": 50}).json()["items"]
    assert sorted(v["id"] for v in listed) == sorted(ids)
    assert {v["status"] for v in listed} == {"completed"}

    # a re-run starts nothing
    rerun = _run_cli(file, *args, env=env)
    stdout, _ = rerun.communicate(timeout=900)
    assert rerun.returncode == 0 and _state(file) == state

    # a row that posts: the finished video goes to POST /api/v1/posts, its answer is kept
    posted = tmp_path / "posted.yaml"
    posted.write_text(
        "- topic: a posted one\n  template: sys-trending-challenge\n"
        "  overrides: {min_seconds: 5, max_seconds: 6}\n  accounts: [no-such-account]\n",
        encoding="utf-8",
    )
    run = _run_cli(posted, *args, env=env)
    stdout, _ = run.communicate(timeout=900)
    assert run.returncode == 1, stdout.decode()
    (only,) = _state(posted).rows.values()
    assert only.status == "completed" and only.post == "failed" and only.message
    assert "failed" in stdout.decode().splitlines()[1]

    # the free role's third video of the day was the last: the next row is refused, clearly
    refused = tmp_path / "refused.csv"
    refused.write_text("topic,template\nwhy owls hoot,sys-trending-challenge\n", encoding="utf-8")
    run = _run_cli(refused, *args, env=env)
    stdout, _ = run.communicate(timeout=900)
    assert run.returncode == 1
    (row,) = _state(refused).rows.values()
    assert row.status == "refused" and row.video_id is None
    assert "daily video limit" in stdout.decode().splitlines()[1]
