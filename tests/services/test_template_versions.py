"""System template management: version history, restore, retire, config preview."""

from __future__ import annotations

import pytest

from synthora.errors import Conflict, NotFound
from synthora.pipeline.models import VideoRecord, VideoStatus, new_steps
from synthora.platform import Platform
from synthora.services import template_versions as tv
from synthora.services import templates as svc

ADMIN = "admin-1"


def _system_id(platform: Platform) -> str:
    report = svc.seed_system_templates(platform=platform)
    return sorted(report.inserted)[0]


def _edit(platform: Platform, tid: str, **changes: object) -> svc.TemplateOut:
    return svc.update_template(
        platform=platform,
        uid=ADMIN,
        is_admin=True,
        template_id=tid,
        request=svc.UpdateTemplateRequest.model_validate(changes),
    )


def test_each_edit_is_kept_and_any_version_can_be_restored(platform: Platform) -> None:
    tid = _system_id(platform)
    original = svc.get_template(platform=platform, uid=ADMIN, is_admin=True, template_id=tid)
    before = tv.list_versions(platform=platform, template_id=tid)
    assert [v.version for v in before.items] == [1] and before.items[0].current

    scenes = original.config.video_structure.num_scenes
    _edit(platform, tid, name="Renamed")
    _edit(platform, tid, config={"video_structure": {"num_scenes": scenes + 1}})
    history = tv.list_versions(platform=platform, template_id=tid)
    assert history.current_version == 3
    assert [v.version for v in history.items] == [3, 2, 1]
    assert [v.name for v in history.items] == ["Renamed", "Renamed", original.name]
    assert history.items[0].saved_by == ADMIN and history.items[0].current
    assert history.items[0].config["video_structure"]["num_scenes"] == scenes + 1
    assert history.items[2].config == original.config.model_dump(mode="json")

    one = tv.get_version(platform=platform, template_id=tid, version=1)
    assert one.name == original.name and not one.current
    with pytest.raises(NotFound):
        tv.get_version(platform=platform, template_id=tid, version=9)

    restored = tv.restore_version(platform=platform, admin_uid=ADMIN, template_id=tid, version=1)
    assert restored.version == 4 and restored.name == original.name
    assert restored.config == original.config
    after = tv.list_versions(platform=platform, template_id=tid)
    assert [v.version for v in after.items] == [4, 3, 2, 1]
    assert after.items[0].note == "restored from version 1"
    with pytest.raises(Conflict):
        tv.restore_version(platform=platform, admin_uid=ADMIN, template_id=tid, version=4)


def test_user_templates_have_no_admin_history(platform: Platform) -> None:
    spec = svc.system_template_specs()[0]
    mine = svc.create_template(
        platform=platform,
        uid="u1",
        is_admin=False,
        request=svc.CreateTemplateRequest.model_validate(
            {"name": "Mine", "category": "educational", "config": dict(spec.config)}
        ),
    )
    with pytest.raises(NotFound):
        tv.list_versions(platform=platform, template_id=mine.id)
    svc.update_template(
        platform=platform,
        uid="u1",
        is_admin=False,
        template_id=mine.id,
        request=svc.UpdateTemplateRequest(name="Mine 2"),
    )
    assert platform.documents.collection(f"templates/{mine.id}/versions").get() == []


def test_a_retired_template_makes_no_new_videos_and_old_ones_keep_working(
    platform: Platform,
) -> None:
    tid = _system_id(platform)
    snapshot = svc.get_template_for_generation(platform=platform, uid="u1", template_id=tid)
    video = VideoRecord(
        id="v1",
        owner_id="u1",
        template_id=tid,
        template_name=snapshot.name,
        config=snapshot.config.model_dump(mode="json"),
        topic="octopus hearts",
        status=VideoStatus.completed,
        steps=new_steps(use_video_ai=False),
    )
    platform.documents.collection("videos").document("v1").set(video.model_dump())

    out = tv.set_retired(platform=platform, admin_uid=ADMIN, template_id=tid, retired=True)
    assert out.retired
    with pytest.raises(Conflict) as refused:
        svc.get_template_for_generation(platform=platform, uid="u1", template_id=tid)
    assert refused.value.code == "template_retired"
    listed = svc.list_accessible(platform=platform, uid="u1", filters=svc.TemplateFilter())
    assert tid not in {t.id for t in listed.items}
    assert tid not in {t.id for t in svc.list_system(platform=platform, uid="u1")}
    admin_view = svc.list_system(platform=platform, uid=ADMIN, is_admin=True)
    assert any(t.id == tid and t.retired for t in admin_view)
    # the video made before keeps its own config: nothing about it changed
    kept = VideoRecord.model_validate(platform.documents.document("videos/v1").get().to_dict())
    assert kept.config == video.config
    # still readable (its page, a duplicate), and back in use once un-retired
    assert svc.get_template(platform=platform, uid="u1", template_id=tid).retired
    tv.set_retired(platform=platform, admin_uid=ADMIN, template_id=tid, retired=False)
    assert svc.get_template_for_generation(platform=platform, uid="u1", template_id=tid).id == tid


def test_the_preview_fills_defaults_and_names_what_a_version_changes(platform: Platform) -> None:
    tid = _system_id(platform)
    current = tv.preview(platform=platform, template_id=tid)
    assert current.version == 1 and current.differs_from_current == []
    scenes = current.config.video_structure.num_scenes
    assert current.seconds_per_scene == round(
        current.config.video_structure.duration.target_seconds / scenes, 2
    )
    # a stored config that leaves a section out gets its defaults, and says which
    ref = platform.documents.document(f"templates/{tid}")
    config = dict(ref.get().get("config"))
    config.pop("text_style")
    ref.update({"config": config})
    trimmed = tv.preview(platform=platform, template_id=tid)
    assert trimmed.filled_by_default and all(
        p.startswith("text_style.") for p in trimmed.filled_by_default
    )

    _edit(platform, tid, config={"video_structure": {"num_scenes": scenes + 1}})
    old = tv.preview(platform=platform, template_id=tid, version=1)
    assert old.version == 1
    assert old.differs_from_current == ["video_structure.num_scenes"]
    assert old.config.video_structure.num_scenes == scenes


def test_version_numbers_in_paths() -> None:
    assert tv.version_number("12") == 12
    for bad in ("0", "-1", "1.5", "x", "٣", "99999999"):
        with pytest.raises(NotFound):
            tv.version_number(bad)
