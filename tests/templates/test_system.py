"""The five system templates: valid, distinct, within their spec'd durations."""

from __future__ import annotations

import pytest

from synthora.templates.system import SYSTEM_TEMPLATES, SystemTemplate, get_system_template
from synthora.templates.validation import validate_template_config

EXPECTED = {
    "sys-viral-hook": (15, 30),
    "sys-educational-explainer": (30, 90),
    "sys-product-showcase": (20, 60),
    "sys-storytelling": (45, 120),
    "sys-trending-challenge": (10, 30),
}


def test_the_five_with_stable_ids() -> None:
    assert [t.id for t in SYSTEM_TEMPLATES] == list(EXPECTED)
    assert len({t.name for t in SYSTEM_TEMPLATES}) == 5


@pytest.mark.parametrize("template", SYSTEM_TEMPLATES, ids=lambda t: t.id)
def test_config_survives_validation(template: SystemTemplate) -> None:
    dumped = template.config.model_dump(mode="json")
    assert validate_template_config(dumped) == template.config
    assert template.version >= 1


@pytest.mark.parametrize("template", SYSTEM_TEMPLATES, ids=lambda t: t.id)
def test_durations_match_the_spec(template: SystemTemplate) -> None:
    d = template.config.video_structure.duration
    assert (d.min_seconds, d.max_seconds) == EXPECTED[template.id]


@pytest.mark.parametrize("template", SYSTEM_TEMPLATES, ids=lambda t: t.id)
def test_platforms_agree(template: SystemTemplate) -> None:
    assert template.platforms == template.config.platform.target_platforms
    assert template.config.script.script_structure_prompt
    assert template.config.script.tone_instructions


@pytest.mark.parametrize(
    "path",
    [
        ("video_structure", "hook_style"),
        ("video_structure", "narrative_structure"),
        ("visual_style", "visual_aesthetic"),
        ("visual_style", "transitions"),
        ("script", "cta_type"),
        ("platform", "thumbnail_style"),
    ],
)
def test_templates_differ_on_style_axes(path: tuple[str, str]) -> None:
    values = [getattr(getattr(t.config, path[0]), path[1]) for t in SYSTEM_TEMPLATES]
    assert len(set(values)) == 5, values


def test_every_pair_differs_on_many_settings() -> None:
    flat = []
    for t in SYSTEM_TEMPLATES:
        dump = t.config.model_dump(mode="json")
        flat.append({f"{s}.{k}": str(v) for s, sec in dump.items() for k, v in sec.items()})
    for i in range(5):
        for j in range(i + 1, 5):
            differing = [k for k in flat[i] if flat[i][k] != flat[j][k]]
            assert len(differing) >= 10, (SYSTEM_TEMPLATES[i].id, SYSTEM_TEMPLATES[j].id)


def test_pacing_follows_the_spec() -> None:
    by_id = {t.id: t.config for t in SYSTEM_TEMPLATES}
    assert by_id["sys-viral-hook"].video_structure.pacing == "fast"
    assert by_id["sys-trending-challenge"].video_structure.pacing == "fast"
    assert by_id["sys-storytelling"].video_structure.pacing == "slow"
    assert by_id["sys-educational-explainer"].audio.voice_tone == "professional"
    assert by_id["sys-product-showcase"].visual_style.visual_aesthetic == "cinematic"


def test_lookup() -> None:
    assert get_system_template("sys-storytelling") is SYSTEM_TEMPLATES[3]
    assert get_system_template("nope") is None


def test_the_templates_service_reads_them() -> None:
    from synthora.services.templates import system_template_specs

    specs = {s.id: s for s in system_template_specs()}
    assert set(specs) == set(EXPECTED)
    assert all(s.content_version == 1 for s in specs.values())
