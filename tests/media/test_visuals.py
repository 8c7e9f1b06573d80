from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from synthora.media import visuals
from synthora.script.offline import write_script_offline
from synthora.templates.config import TemplateConfig


def test_background_is_deterministic_sized_and_palette_coloured(tmp_path: Path) -> None:
    palette = ["#FF0000", "#0000FF"]
    a = visuals.render_background(
        palette=palette, width=120, height=200, seed=3, out_path=tmp_path / "a.png"
    )
    b = visuals.render_background(
        palette=palette, width=120, height=200, seed=3, out_path=tmp_path / "b.png"
    )
    pixels = np.asarray(Image.open(a))
    assert pixels.shape == (200, 120, 3)
    assert np.array_equal(pixels, np.asarray(Image.open(b)))
    # Red and blue dominate green: the palette, not some default.
    mean = pixels.reshape(-1, 3).mean(axis=0)
    assert mean[1] < 0.5 * max(mean[0], mean[2])
    other = visuals.render_background(
        palette=palette, width=120, height=200, seed=4, out_path=tmp_path / "c.png"
    )
    assert not np.array_equal(pixels, np.asarray(Image.open(other))), "scenes differ"


def test_emoji_choice_maps_keywords_and_falls_back_deterministically() -> None:
    assert visuals.choose_emoji(keywords=["Money", "tips"], icon=None) == "money-bag"
    assert visuals.choose_emoji(keywords=[], icon="rocket") == "rocket"
    fallback = visuals.choose_emoji(keywords=["zzqx"], icon=None)
    assert fallback in visuals.FALLBACK_EMOJI
    assert visuals.choose_emoji(keywords=["zzqx"], icon=None) == fallback


def test_an_octopus_video_gets_an_octopus_and_a_heart() -> None:
    """The offline writer's keywords for the topic choose the icons, varied across scenes."""
    config = TemplateConfig()
    script = write_script_offline(topic="why octopuses have three hearts", config=config, seed=1)
    chosen = visuals.choose_icons([(s.visual_keywords, None) for s in script.scenes])
    assert chosen[0] == "octopus"
    assert "anatomical-heart" in chosen
    assert set(chosen) <= {"octopus", "anatomical-heart"}, "nothing unrelated to the topic"


@pytest.mark.parametrize(
    ("keywords", "icon"),
    [
        (["octopuses"], "octopus"),
        (["hearts"], "anatomical-heart"),
        (["black", "holes"], "milky-way"),
        (["Saving", "money", "groceries"], "money-bag"),
        (["groceries"], "shopping-cart"),
        (["vaccines"], "syringe"),
        (["dinosaurs"], "sauropod"),
        (["bees"], "honeybee"),
        (["cats", "purr"], "cat-face"),
    ],
)
def test_keywords_choose_the_matching_icon(keywords: list[str], icon: str) -> None:
    assert visuals.choose_emoji(keywords=keywords, icon=None) == icon


def test_an_explicit_icon_name_wins_and_an_unknown_one_counts_as_a_keyword() -> None:
    assert visuals.choose_emoji(keywords=["octopus"], icon="rocket") == "rocket"
    assert visuals.choose_emoji(keywords=["zzqx"], icon="Octopuses") == "octopus"


def test_the_manifest_names_exactly_the_bundled_icons_with_keywords() -> None:
    catalogue = visuals.icon_catalogue()
    bundled = {p.stem for p in visuals.BUNDLED_EMOJI_DIR.glob("*.svg")}
    assert set(catalogue) == bundled
    assert len(catalogue) >= 200
    assert all(keywords for keywords in catalogue.values())
    assert set(visuals.FALLBACK_EMOJI) <= bundled
    assert (visuals.BUNDLED_EMOJI_DIR / "LICENSE").read_text().startswith("MIT License")


def test_background_discs_are_anti_aliased() -> None:
    """A disc's edge pixels are covered by their share inside it, as 8x supersampling gives."""
    cx, cy, radius = 32.3, 31.7, 20.4
    ys, xs = np.mgrid[0:64, 0:64].astype(np.float32)
    coverage = visuals.soft_disc(xs, ys, cx=cx, cy=cy, radius=radius)
    fine_y, fine_x = (np.mgrid[0:512, 0:512].astype(np.float32) + 0.5) / 8
    inside = np.hypot(fine_x - cx, fine_y - cy) <= radius
    reference = inside.reshape(64, 8, 64, 8).mean(axis=(1, 3))
    edge = (reference > 0) & (reference < 1)
    assert edge.sum() >= 2 * np.pi * radius * 0.8
    assert np.abs(coverage - reference)[edge].mean() < 0.08
    hard = (np.hypot(xs + 0.5 - cx, ys + 0.5 - cy) <= radius).astype(np.float32)
    assert np.abs(hard - reference)[edge].mean() > 0.2, "an aliased disc would fail this"


def test_icon_degrades_to_a_drawn_badge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(visuals, "emoji_dir", lambda: None)
    with caplog.at_level(logging.WARNING, logger=visuals.__name__):
        path, source = visuals.render_icon(
            keywords=["money"], icon=None, size=64, accent="#22AA44", out_path=tmp_path / "i.png"
        )
    assert source == "drawn"
    image = Image.open(path)
    assert image.size == (64, 64) and image.mode == "RGBA"
    alpha = np.asarray(image)[..., 3]
    assert alpha[0, 0] == 0 and alpha[32, 32] > 200
    # Supersampled: the disc's rim has partial alpha, not just 0 and full.
    assert ((alpha > 10) & (alpha < 200)).sum() >= 64
    assert any("drawing a badge instead" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(
    visuals.emoji_dir() is None or shutil.which("rsvg-convert") is None,
    reason="fluentui-emoji or rsvg-convert missing",
)
def test_icon_is_rasterised_from_fluent_emoji(tmp_path: Path) -> None:
    path, source = visuals.render_icon(
        keywords=["rocket"], icon=None, size=96, accent="#FFFFFF", out_path=tmp_path / "r.png"
    )
    assert source == "fluentui-emoji:rocket"
    assert Image.open(path).size == (96, 96)


def test_still_pastes_the_icon(tmp_path: Path) -> None:
    icon = Image.new("RGBA", (20, 20), (0, 255, 0, 255))
    icon.save(tmp_path / "icon.png")
    still = visuals.compose_still(
        background=None, palette=["#000000"], width=100, height=200, seed=0,
        icon_png=tmp_path / "icon.png", icon_center_y=0.5, out_path=tmp_path / "s.png",
    )  # fmt: skip
    image = Image.open(still).convert("RGB")
    assert image.size == (100, 200)
    assert image.getpixel((50, 100)) == (0, 255, 0)
