"""The phrase banks are complete and consistent."""

from __future__ import annotations

import re

import pytest

from synthora.script import phrases
from synthora.script.topic import Family
from synthora.templates.config import CtaType, HookStyle

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _entries() -> list[str]:
    out: list[str] = []
    for kit in phrases.KITS.values():
        for bank in kit.hooks.values():
            out += bank
        for mapping in (kit.openings, kit.support, kit.closings):
            for bank in mapping.values():
                out += bank
    for bank in phrases.ROLES.values():
        out += bank
    for bank in phrases.CTAS.values():
        out += bank
    return out


@pytest.mark.parametrize("family", list(Family))
def test_every_kit_covers_every_hook_style_and_structure(family: Family) -> None:
    kit = phrases.KITS[family.value]
    assert set(kit.hooks) == set(HookStyle)
    assert all(kit.hooks[h] for h in HookStyle)
    for mapping in (kit.roles, kit.openings, kit.support, kit.closings, kit.titles):
        assert phrases.DEFAULT in mapping
    for roles in kit.roles.values():
        for role in roles:
            leads = [e for e in phrases.ROLES[role] if not e.startswith("+")]
            assert leads, role


def test_every_cta_type_has_a_line() -> None:
    assert set(phrases.CTAS) == set(CtaType)


def test_on_screen_text_is_short_and_no_numbers_are_invented() -> None:
    for entry in _entries():
        spoken, _, overlay = entry.partition("|")
        words = PLACEHOLDER.sub("x", overlay).split()
        assert len(words) <= 6, entry
        assert not re.search(r"\d", spoken + overlay), entry


def test_repeated_roles_have_ordinals() -> None:
    assert set(phrases.ROLES) >= phrases.ORDERED_ROLES
    assert set(phrases.ORDINALS) <= set(phrases.ROLES)
    assert set(phrases.ROLES) >= phrases.STORY_ROLES
