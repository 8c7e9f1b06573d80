"""The templates service: seeding, the pipeline's API, filtered paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synthora.errors import NotFound
from synthora.local.startup import run_startup
from synthora.platform import Platform
from synthora.services import templates as svc
from synthora.templates.config import TemplateConfig


def _create(platform: Platform, uid: str, **overrides: Any) -> str:
    body: dict[str, Any] = {
        "name": "T",
        "category": "educational",
        "config": dict(svc.system_template_specs()[0].config),
        **overrides,
    }
    return svc.create_template(
        platform=platform,
        uid=uid,
        is_admin=False,
        request=svc.CreateTemplateRequest.model_validate(body),
    ).id


# --------------------------------------------------------------------------- seeding


def test_system_templates_are_five_valid_with_stable_ids() -> None:
    specs = svc.system_template_specs()
    assert len(specs) == 5
    assert len({s.id for s in specs}) == 5
    for spec in specs:
        assert isinstance(svc.check_config(spec.config), TemplateConfig)
        assert spec.content_version >= 1


def test_seeding_is_idempotent_and_keeps_usage(platform: Platform) -> None:
    first = svc.seed_system_templates(platform=platform)
    assert len(first.inserted) == 5
    tid = first.inserted[0]
    for _ in range(4):
        svc.record_template_use(platform=platform, template_id=tid)
    second = svc.seed_system_templates(platform=platform)
    assert second.inserted == [] and second.upgraded == [] and len(second.unchanged) == 5
    assert platform.documents.collection("templates").count() == 5
    assert platform.documents.document(f"templates/{tid}").get().get("usage_count") == 4


def test_a_higher_content_version_upgrades_without_clobbering_usage(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc.seed_system_templates(platform=platform)
    specs = svc.system_template_specs()
    target = specs[1]
    svc.record_template_use(platform=platform, template_id=target.id)
    before = platform.documents.document(f"templates/{target.id}").get().to_dict()
    assert before is not None

    bumped = [
        s.model_copy(
            update={"content_version": s.content_version + 1, "description": "Better words"}
        )
        if s.id == target.id
        else s
        for s in specs
    ]
    monkeypatch.setattr(svc, "system_template_specs", lambda: bumped)
    report = svc.seed_system_templates(platform=platform)
    assert report.upgraded == [target.id]
    assert len(report.unchanged) == 4
    after = platform.documents.document(f"templates/{target.id}").get().to_dict()
    assert after is not None
    assert after["description"] == "Better words"
    assert after["system_version"] == target.content_version + 1
    assert after["version"] == before["version"] + 1
    assert after["usage_count"] == 1
    assert after["created_at"] == before["created_at"]
    # a lower or equal version never downgrades
    monkeypatch.setattr(svc, "system_template_specs", lambda: specs)
    assert svc.seed_system_templates(platform=platform).upgraded == []


def test_seeding_runs_at_start_up(platform: Platform) -> None:
    ran = run_startup(platform)
    assert "seed_templates" in ran
    assert len(svc.list_system(platform=platform, uid="anyone")) == 5
    run_startup(platform)
    assert platform.documents.collection("templates").count() == 5


# --------------------------------------------------------------------------- pipeline API


def test_template_for_generation_enforces_access(platform: Platform) -> None:
    svc.seed_system_templates(platform=platform)
    system_id = svc.system_template_specs()[0].id
    snap = svc.get_template_for_generation(platform=platform, uid="u1", template_id=system_id)
    assert snap.id == system_id and snap.version == 1
    assert isinstance(snap.config, TemplateConfig)

    private = _create(platform, "owner")
    assert svc.get_template_for_generation(platform=platform, uid="owner", template_id=private)
    with pytest.raises(NotFound):
        svc.get_template_for_generation(platform=platform, uid="u1", template_id=private)
    public = _create(platform, "owner", is_public=True)
    assert svc.get_template_for_generation(platform=platform, uid="u1", template_id=public)
    for bad in ("missing", "../users/x", "__x__"):
        with pytest.raises(NotFound):
            svc.get_template_for_generation(platform=platform, uid="u1", template_id=bad)


def test_a_stored_config_that_no_longer_validates_is_a_clear_409(platform: Platform) -> None:
    tid = _create(platform, "owner")
    # e.g. a config stored before a field was removed from the schema
    platform.documents.document(f"templates/{tid}").update({"config.retired_field": True})
    with pytest.raises(svc.TemplateUnusable) as exc:
        svc.get_template_for_generation(platform=platform, uid="owner", template_id=tid)
    assert exc.value.status == 409
    details = exc.value.details
    assert isinstance(details, list)
    assert details[0]["field"] == "config.retired_field"


def test_record_template_use_counts_and_ignores_missing(platform: Platform) -> None:
    tid = _create(platform, "owner")
    svc.record_template_use(platform=platform, template_id=tid)
    svc.record_template_use(platform=platform, template_id=tid)
    assert platform.documents.document(f"templates/{tid}").get().get("usage_count") == 2
    svc.record_template_use(platform=platform, template_id="gone")
    svc.record_template_use(platform=platform, template_id="a/b")
    assert not platform.documents.document("templates/gone").get().exists


# --------------------------------------------------------------------------- paging under filters


def test_filtered_pages_stop_at_the_scan_limit_and_resume(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svc, "MAX_SCAN", 7)
    for i in range(12):
        _create(platform, "u1", name=f"T{i:02d}", tags=["needle"] if i in (1, 10) else [])
    flt = svc.TemplateFilter(search="needle")
    # scanning order: the 5 system templates, then T00..T11; 7 documents per request
    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        page = svc.list_accessible(platform=platform, uid="u1", filters=flt, limit=5, cursor=cursor)
        pages.append([i.name for i in page.items])
        assert page.has_more is (page.next_cursor is not None)
        cursor = page.next_cursor
        if cursor is None:
            break
    # short pages say there is more, and nothing is skipped or repeated
    assert pages == [["T01"], [], ["T10"]]


def test_my_templates_newest_first(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ticks = iter(range(100))
    monkeypatch.setattr(svc, "_now", lambda: start + timedelta(minutes=next(ticks)))
    ids = [_create(platform, "u1", name=f"N{i}") for i in range(3)]
    _create(platform, "u2", name="theirs")
    page = svc.list_mine(platform=platform, uid="u1", limit=2)
    assert [i.id for i in page.items] == [ids[2], ids[1]]
    rest = svc.list_mine(platform=platform, uid="u1", limit=2, cursor=page.next_cursor)
    assert [i.id for i in rest.items] == [ids[0]] and rest.next_cursor is None
