"""Batch files: the one parser (CSV and YAML, every bad row named), checks and idempotent start."""

from __future__ import annotations

import pytest

from synthora.errors import ValidationFailed
from synthora.pipeline.runner import load_video
from synthora.platform import Platform
from synthora.services import batch, limits
from synthora.services.batch import BatchStartIn, parse_batch

UID = "u1"

GOOD_CSV = """topic,template,instructions,aspect_ratio,max_seconds,voice_speed,accounts,schedule_at
why cats purr,sys-viral-hook,keep it light,9:16,30,1.1,,
how bees make honey,sys-trending-challenge,,,,,acc-1; acc-2,2026-12-24T18:00:00+01:00
"""

GOOD_YAML = """
defaults:
  template: sys-viral-hook
  overrides: {aspect_ratio: "1:1"}
rows:
  - topic: why cats purr
    voice_speed: 1.2
  - topic: how bees make honey
    template: sys-trending-challenge
    overrides: {music_mood: calm}
    accounts: [acc-1]
    schedule_at: 2026-12-24T18:00:00
    timezone: Europe/Paris
"""


def _errors(text: str, **kw: str) -> list[tuple[int, str]]:
    return [(e.row, e.field) for e in parse_batch(text, **kw).errors]  # type: ignore[arg-type]


def test_csv_rows_become_video_requests_and_posts() -> None:
    parsed = parse_batch(GOOD_CSV, name="videos.csv")
    assert parsed.valid and parsed.format == "csv" and parsed.total_rows == 2
    first, second = parsed.rows
    request = first.data.video_request()
    assert (request.template_id, request.topic, request.instructions) == (
        "sys-viral-hook", "why cats purr", "keep it light",
    )  # fmt: skip
    assert request.choices is not None and request.choices.voice_speed == 1.1
    assert request.choices.aspect_ratio is not None and request.choices.aspect_ratio.value == "9:16"
    assert request.review_script is False, "a batch never waits for a storyboard review"
    assert first.data.accounts == [] and first.data.schedule_at is None
    assert second.data.accounts == ["acc-1", "acc-2"]
    at = second.data.scheduled_at()
    assert at is not None and at.utcoffset() is not None and at.hour == 18
    assert first.key != second.key and first.key.startswith("r1-")


def test_yaml_rows_take_defaults_flat_and_nested_overrides() -> None:
    parsed = parse_batch(GOOD_YAML, name="videos.yaml")
    assert parsed.valid, parsed.errors
    first, second = parsed.rows
    assert first.data.template == "sys-viral-hook"
    assert first.data.overrides is not None
    assert (first.data.overrides.aspect_ratio.value, first.data.overrides.voice_speed) == (  # type: ignore[union-attr]
        "1:1", 1.2,
    )  # fmt: skip
    assert second.data.template == "sys-trending-challenge"
    assert second.data.overrides is not None and second.data.overrides.music_mood is not None
    assert second.data.overrides.aspect_ratio is not None, "the default override is kept"
    at = second.data.scheduled_at()
    assert at is not None and at.utcoffset() is not None, "a naive time is read in its timezone"


def test_the_same_file_gives_the_same_keys_and_an_edited_row_a_new_one() -> None:
    once = [r.key for r in parse_batch(GOOD_CSV).rows]
    again = [r.key for r in parse_batch(GOOD_CSV).rows]
    edited = [r.key for r in parse_batch(GOOD_CSV.replace("why cats purr", "why dogs bark")).rows]
    assert once == again
    assert edited[0] != once[0] and edited[1] == once[1]


def test_bad_csv_rows_are_named_by_row_and_column() -> None:
    text = (
        "topic,template,voice_speed,aspect_ratio,accounts,schedule_at,timezone\n"
        "ok topic,sys-viral-hook,,,,,\n"
        "ab,sys-viral-hook,,,,,\n"
        "fine topic,,9,7:3,,,\n"
        "scheduled,sys-viral-hook,,,,2026-12-24T18:00:00,\n"
        "scheduled too,sys-viral-hook,,,acc-1,2026-12-24T18:00:00,\n"
        "zoned,sys-viral-hook,,,acc-1,2026-12-24T18:00:00,Mars/Base\n"
    )
    parsed = parse_batch(text)
    assert not parsed.valid and [r.row for r in parsed.rows] == [1]
    assert sorted((e.row, e.field) for e in parsed.errors) == [
        (2, "topic"),
        (3, "aspect_ratio"),
        (3, "template"),
        (3, "voice_speed"),
        (4, "schedule_at"),
        (5, "schedule_at"),
        (6, "timezone"),
    ]
    by_row = {e.row: e.message for e in parsed.errors}
    assert "accounts" in by_row[4] and "offset" in by_row[5]


def test_bad_csv_files_are_file_errors() -> None:
    assert _errors("") == [(0, "file")]
    assert _errors("topic,template\n") == [(0, "file")]
    assert _errors("topic,colour\nwhy cats purr,red\n") == [(0, "colour"), (0, "template")]
    assert _errors("topic,template\nwhy cats purr,sys-viral-hook,extra\n") == [(1, "row")]
    too_many = "topic,template\n" + "a topic,sys-viral-hook\n" * (batch.MAX_BATCH_ROWS + 1)
    assert (0, "file") in _errors(too_many)


def test_bad_yaml_rows_and_files() -> None:
    assert _errors("rows: [", format="yaml")[0] == (0, "file")
    assert _errors("colour: red\n", format="yaml") == [(0, "colour")]
    assert _errors("rows: {topic: x}\n", format="yaml") == [(0, "rows")]
    rows = (
        "- topic: why cats purr\n  template: sys-viral-hook\n"
        "- just a string\n"
        "- topic: why cats purr\n  template: sys-viral-hook\n  colour: red\n"
        "- topic: good one\n  template: sys-viral-hook\n  overrides: {voice_speed: fast}\n"
        "- topic: keyed\n  template: sys-viral-hook\n  key: same\n"
        "- topic: keyed again\n  template: sys-viral-hook\n  key: same\n"
    )
    assert _errors(rows, format="yaml") == [
        (2, "row"),
        (3, "colour"),
        (4, "overrides.voice_speed"),
        (6, "key"),
    ]


def test_the_format_comes_from_the_name_else_the_text() -> None:
    assert batch.guess_format("topic,template\n", "x.YML") == "yaml"
    assert batch.guess_format("- topic: a\n", None) == "yaml"
    assert batch.guess_format("\ntopic,template\n", None) == "csv"


def test_check_rows_names_unknown_templates_and_choices_that_do_not_fit(
    platform: Platform,
) -> None:
    text = (
        "topic,template,min_seconds,max_seconds\n"
        "why cats purr,sys-viral-hook,,\n"
        "why dogs bark,no-such-template,,\n"
        "why birds sing,sys-viral-hook,50,20\n"
    )
    checked = batch.validate_batch(platform=platform, uid=UID, request=batch.BatchFileIn(text=text))
    assert [r.row for r in checked.rows] == [1]
    assert [(e.row, e.field) for e in checked.errors] == [(2, "template"), (3, "overrides")]
    assert not checked.valid


def test_start_creates_each_row_once_and_limits_refuse_single_rows(platform: Platform) -> None:
    text = "topic,template\nwhy cats purr,sys-viral-hook\nwhy dogs bark,sys-viral-hook\n"
    first = batch.start_batch(platform=platform, uid=UID, request=BatchStartIn(text=text))
    # a free user runs one generation at a time: the second row is refused, not the batch
    assert [r.status for r in first.rows] == ["created", "refused"]
    assert (first.created, first.refused) == (1, 1)
    refused = first.rows[1]
    assert refused.video_id is None and refused.error is not None
    assert refused.error.code == "concurrent_limit_reached"
    video_id = first.rows[0].video_id
    assert video_id is not None
    video = load_video(platform, video_id)
    assert video is not None and video.owner_id == UID and video.topic == "why cats purr"

    again = batch.start_batch(platform=platform, uid=UID, request=BatchStartIn(text=text, rows=[1]))
    assert [(r.status, r.video_id) for r in again.rows] == [("existing", video_id)]
    assert limits.usage(platform=platform, uid=UID).videos_today == 1, "counted once"

    # the first generation ends: the refused row starts when asked again
    limits.release_generation(platform=platform, uid=UID, video_id=video_id, succeeded=True)
    second = batch.start_batch(
        platform=platform, uid=UID, request=BatchStartIn(text=text, rows=[2])
    )
    assert [r.status for r in second.rows] == ["created"]
    assert second.rows[0].video_id not in (None, video_id)
    # another user with the same file makes their own videos
    other = batch.start_batch(
        platform=platform, uid="u2", request=BatchStartIn(text=text, rows=[1])
    )
    assert other.rows[0].status == "created" and other.rows[0].video_id != video_id


def test_start_refuses_a_file_with_errors_before_creating_anything(platform: Platform) -> None:
    text = "topic,template\nwhy cats purr,sys-viral-hook\nwhy dogs bark,no-such-template\n"
    with pytest.raises(ValidationFailed) as refused:
        batch.start_batch(platform=platform, uid=UID, request=BatchStartIn(text=text))
    assert refused.value.code == "invalid_batch"
    assert refused.value.details == [
        {
            "row": 2,
            "field": "template",
            "message": "template not found",
            "type": "template_not_found",
        }
    ]
    assert limits.usage(platform=platform, uid=UID).videos_today == 0
    # the good row alone may start; a row the file does not have is a 422
    ok = batch.start_batch(platform=platform, uid=UID, request=BatchStartIn(text=text, rows=[1]))
    assert ok.created == 1
    with pytest.raises(ValidationFailed) as missing:
        batch.start_batch(platform=platform, uid=UID, request=BatchStartIn(text=text, rows=[7]))
    assert missing.value.code == "batch_row_not_found"
