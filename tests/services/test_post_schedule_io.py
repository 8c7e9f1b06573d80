"""CSV export and import of the schedule, and the duplicate-schedule warning, through the
platform emulators (accounts connected on their consent pages, real ffprobe checks)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synthora.errors import PayloadTooLarge, ValidationFailed
from synthora.platform import get_platform
from synthora.services import post_schedule_io as io_svc
from synthora.services import posts as svc
from tests.conftest import PlatformEmulators
from tests.services.test_posts import UID, _connect, _create, _video


@pytest.fixture
def env(platform_emulators: PlatformEmulators, mp4: bytes) -> dict[str, Any]:
    platform = get_platform()
    platform.documents.collection("users").document(UID).set({"role": "premium"})
    return {"platform": platform, "emu": platform_emulators, "mp4": mp4}


HEADER = "video_id,account_id,scheduled_at,time_zone,title,caption,hashtags,privacy"


def _at(days: int, hour: int = 9) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


def _import(env: dict[str, Any], text: str, **kw: Any) -> io_svc.ImportResult:
    return io_svc.import_csv(
        platform=env["platform"],
        uid=kw.pop("uid", UID),
        request=io_svc.ImportRequest(csv=text, **kw),
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_rows_with_the_same_video_and_time_become_one_post(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    fb = _connect(platform, "facebook")
    vid = _video(platform, env["mp4"])
    at = _at(3)
    local = at.astimezone(svc.ZoneInfo("Europe/Paris")).replace(tzinfo=None).isoformat()
    text = "\n".join(
        [
            HEADER,
            f"{vid},{yt},{at.isoformat()},,A title,,#one two,public",
            # the same instant written in Paris time without an offset: the same post
            f"{vid},{fb},{local},Europe/Paris,,Caption for Facebook,,",
            f"{vid},{yt},{_at(4).isoformat()},,,,,",
        ]
    )
    checked = _import(env, text)
    assert checked.dry_run and checked.valid and checked.posts_created == 0
    assert [r.status for r in checked.rows] == ["valid", "valid", "valid"]
    assert [r.row for r in checked.rows] == [2, 3, 4]
    assert checked.rows[0].group == checked.rows[1].group != checked.rows[2].group
    assert checked.posts_planned == 2
    assert svc.list_posts(platform=platform, uid=UID, query=svc.PostListQuery()).items == []

    done = _import(env, text, dry_run=False)
    assert done.posts_created == 2 and [r.status for r in done.rows] == ["created"] * 3
    first = next(p for p in done.created if len(p.targets) == 2)
    assert first.scheduled_at == at
    yt_t, fb_t = first.targets
    assert (yt_t.platform, yt_t.content.title, yt_t.content.hashtags) == (
        "youtube",
        "A title",
        ["one", "two"],
    )
    assert fb_t.content.caption == "Caption for Facebook"
    assert fb_t.content.title == "Three facts about octopuses"  # the video's, as POST /posts
    assert done.rows[0].post_id == done.rows[1].post_id == first.id
    # one task per target, exactly as POST /posts enqueues them
    assert platform.tasks.get_task(f"post-{first.id}-{yt_t.id}-r0") is not None

    again = _import(env, text)  # the same file again: each row warns of the duplicate
    assert again.valid
    assert all("already queued to this account" in r.warnings[0] for r in again.rows)


def test_any_invalid_row_creates_nothing_unless_partial(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    vid = _video(platform, env["mp4"])
    other = _video(platform, env["mp4"], uid="someone-else")
    text = "\n".join(
        [
            HEADER,
            f"{vid},{yt},{_at(2).isoformat()},,,,,",
            f"{vid},{yt},next tuesday,,,,,",
            f"{vid},no-such-account,{_at(5).isoformat()},,,,,",
            f"{other},{yt},{_at(6).isoformat()},,,,,",
            f"{vid},{yt},{_at(7).isoformat()},Mars/Olympus,,,,",
            f"{vid},{yt},{_at(8).isoformat()},,{'x' * 101},,,",
            f"{vid},{yt},{_at(9).isoformat()},,,,,secret",
            f"{vid},{yt},{(datetime.now(UTC) - timedelta(hours=1)).isoformat()},,,,,",
        ]
    )
    result = _import(env, text, dry_run=False)
    assert not result.valid and result.posts_created == 0
    by_row = {r.row: r for r in result.rows}
    assert by_row[2].status == "not_created" and by_row[2].errors == []

    def err(row: int) -> tuple[str, str]:
        e = by_row[row].errors[0]
        return e.field, e.type

    assert err(3) == ("scheduled_at", "datetime")
    assert err(4) == ("account_id", "not_found")
    assert err(5) == ("video_id", "video_not_found")
    assert err(6) == ("time_zone", "timezone")
    assert err(7) == ("title", "title_length")
    assert err(8) == ("privacy", "privacy_not_allowed") and by_row[8].status == "invalid"
    assert err(9) == ("scheduled_at", "past")
    assert svc.list_posts(platform=platform, uid=UID, query=svc.PostListQuery()).items == []

    partial = _import(env, text, dry_run=False, partial=True)
    assert partial.posts_created == 1
    assert {r.row for r in partial.rows if r.status == "created"} == {2}


def test_a_role_without_scheduling_is_told_on_each_row(env: dict[str, Any]) -> None:
    platform = env["platform"]
    platform.documents.collection("users").document("free-1").set({"role": "free"})
    yt = _connect(platform, "youtube", uid="free-1")
    vid = _video(platform, env["mp4"], uid="free-1")
    result = _import(env, f"{HEADER}\n{vid},{yt},{_at(2).isoformat()},,,,,", uid="free-1")
    assert (result.rows[0].errors[0].field, result.rows[0].errors[0].type) == (
        "scheduled_at",
        "forbidden",
    )


def test_size_row_and_header_limits_are_4xx(env: dict[str, Any]) -> None:
    with pytest.raises(PayloadTooLarge):
        _import(env, HEADER + "\n" + "x" * io_svc.MAX_IMPORT_CHARS)
    many = HEADER + "\n" + "\n".join(["v,a,2030-01-01T00:00:00Z"] * (io_svc.MAX_IMPORT_ROWS + 1))
    with pytest.raises(ValidationFailed) as caught:
        _import(env, many)
    assert caught.value.code == "csv_too_many_rows"
    with pytest.raises(ValidationFailed) as caught:
        _import(env, "video_id,title\nv1,hello")
    assert caught.value.code == "csv_invalid" and "scheduled_at" in caught.value.message
    with pytest.raises(ValidationFailed):
        _import(env, HEADER + "\n\n")


def test_export_is_one_row_per_target_escaped_and_imports_back(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    fb = _connect(platform, "facebook")
    vid = _video(platform, env["mp4"])
    at = _at(10)
    post = _create(
        platform,
        vid,
        [
            {"social_account_id": yt, "title": '=HYPERLINK("http://x")'},
            {"social_account_id": fb, "caption": "@everyone -look +1"},
        ],
        scheduled_at=at.isoformat(),
        timezone="Europe/Paris",
    )
    later = _create(platform, vid, [{"social_account_id": yt}], scheduled_at=_at(20).isoformat())
    svc.delete_post(platform=platform, uid=UID, post_id=later.id)
    text = io_svc.export_csv(platform=platform, uid=UID, query=io_svc.ExportQuery())
    rows = _rows(text)
    assert list(rows[0]) == list(io_svc.EXPORT_COLUMNS)
    assert [(r["post_id"], r["platform"], r["status"]) for r in rows] == [
        (post.id, "youtube", "queued"),
        (post.id, "facebook", "queued"),
        (later.id, "youtube", "cancelled"),
    ]
    assert rows[0]["scheduled_at"] == at.isoformat().replace("+00:00", "Z")
    assert rows[0]["time_zone"] == "Europe/Paris"
    assert rows[0]["title"] == '\'=HYPERLINK("http://x")'  # never a formula
    assert rows[1]["caption"] == "'@everyone -look +1"
    assert rows[0]["hashtags"] == "#octopus #facts"
    # filters: status and range
    only = io_svc.export_csv(
        platform=platform, uid=UID, query=io_svc.ExportQuery(status="cancelled")
    )
    assert [r["post_id"] for r in _rows(only)] == [later.id]
    ranged = io_svc.export_csv(
        platform=platform,
        uid=UID,
        query=io_svc.ExportQuery(start=at - timedelta(hours=1), end=at + timedelta(hours=1)),
    )
    assert {r["post_id"] for r in _rows(ranged)} == {post.id}
    with pytest.raises(ValidationFailed):
        io_svc.export_csv(platform=platform, uid=UID, query=io_svc.ExportQuery(start=at, end=at))
    # another user's export is empty
    assert (
        _rows(io_svc.export_csv(platform=platform, uid="nobody", query=io_svc.ExportQuery())) == []
    )
    # the export (its extra columns ignored) checks back in: the escaped cells are restored
    svc.delete_post(platform=platform, uid=UID, post_id=post.id)
    back = _import(env, ranged, dry_run=False)
    assert back.posts_created == 1, back.rows
    title = back.created[0].targets[0].content.title
    assert title == '=HYPERLINK("http://x")'
    assert back.created[0].targets[1].content.caption == "@everyone -look +1"


def test_conflicts_list_live_targets_of_the_same_video_and_account(env: dict[str, Any]) -> None:
    platform = env["platform"]
    yt = _connect(platform, "youtube")
    fb = _connect(platform, "facebook")
    vid = _video(platform, env["mp4"])
    other = _video(platform, env["mp4"])

    def found(video: str, ids: str | None) -> list[tuple[str, str]]:
        out = io_svc.conflicts(
            platform=platform,
            uid=UID,
            query=io_svc.ConflictsQuery(video_id=video, account_ids=ids),
        )
        return [(c.account_id, c.status) for c in out.conflicts]

    assert found(vid, f"{yt},{fb}") == []
    kept = _create(platform, vid, [{"social_account_id": yt}], scheduled_at=_at(2).isoformat())
    gone = _create(platform, vid, [{"social_account_id": fb}], scheduled_at=_at(3).isoformat())
    svc.delete_post(platform=platform, uid=UID, post_id=gone.id)
    assert found(vid, f"{yt},{fb}") == [(yt, "queued")]  # a cancelled target is no duplicate
    assert found(vid, fb) == []
    assert found(vid, None) == [(yt, "queued")]
    assert found(other, yt) == []
    assert (
        io_svc.conflicts(
            platform=platform,
            uid="someone-else",
            query=io_svc.ConflictsQuery(video_id=vid, account_ids=yt),
        ).conflicts
        == []
    )
    assert kept.id
