from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from synthora.media import visuals


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


def test_every_mapped_emoji_exists_in_the_icon_set() -> None:
    folder = visuals.emoji_dir()
    if folder is None:
        pytest.skip("fluentui-emoji not installed")
    names = set(visuals.KEYWORD_EMOJI.values()) | set(visuals.FALLBACK_EMOJI)
    missing = sorted(n for n in names if not (folder / f"{n}.svg").exists())
    assert not missing


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
