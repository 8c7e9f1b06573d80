"""The frame layout: hook/title, icon and captions never overlap and stay in the safe area.

The geometry is checked for every aspect ratio, caption position and motion;
the rendered-frame tests draw each overlay with the real renderers (libass
through ffmpeg's `ass` filter for the text, Pillow + the motion filter for the
icon) on black and measure the boxes the pixels actually cover.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from synthora.media import assemble, binaries, captions, layout, visuals
from synthora.media.layout import Box
from synthora.media.models import RenderStyle, WordTiming

SIZES = {"9:16": (540, 960), "16:9": (960, 540), "1:1": (720, 720)}
HOOK = "Why octopuses have three hearts, and what each one of them is doing all day"
TITLE = "Two hearts pump blood through the gills, one through the body"
NARRATION = (
    "Two of the hearts push blood through the gills while the third sends it around the body"
)


@pytest.mark.parametrize("aspect", list(SIZES))
@pytest.mark.parametrize("position", ["bottom", "top", "center"])
@pytest.mark.parametrize("motion", ["ken_burns", "pan", "static"])
@pytest.mark.parametrize("caption_style", ["karaoke", "bold_pop", "boxed"])
def test_bands_never_intersect_and_stay_in_the_safe_area(
    aspect: str, position: str, motion: str, caption_style: str
) -> None:
    width, height = SIZES[aspect]
    style = RenderStyle(
        aspect_ratio=aspect,  # type: ignore[arg-type]
        caption_position=position,  # type: ignore[arg-type]
        motion=motion,  # type: ignore[arg-type]
        caption_style=caption_style,  # type: ignore[arg-type]
    )
    frame = layout.frame_layout(style=style, width=width, height=height)
    boxes = frame.text_boxes()
    for name, box in boxes.items():
        assert box.inside(frame.safe), f"{name} {box} leaves the safe area {frame.safe}"
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].intersects(boxes[b]), f"{a} {boxes[a]} overlaps {b} {boxes[b]}"
    assert frame.icon_size >= 0.18 * min(width, height), "the icon is still a visible size"


def _bbox(png: Path, threshold: int = 40) -> Box | None:
    pixels = np.asarray(Image.open(png).convert("RGB")).max(axis=2)
    ys, xs = np.nonzero(pixels > threshold)
    if len(xs) == 0:
        return None
    return Box(int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)


def _render_ass(ass: str, *, width: int, height: int, tmp: Path, name: str) -> Path:
    """One frame of `ass` drawn by libass over black."""
    path = tmp / f"{name}.ass"
    path.write_text(ass, encoding="utf-8")
    font = captions.font_file("Inter")
    fontsdir = f":fontsdir='{assemble._filter_path(font.parent)}'" if font else ""
    out = tmp / f"{name}.png"
    assemble.run_ffmpeg(
        ["-f", "lavfi", "-i", f"color=c=black:s={width}x{height}:r=10:d=1",
         "-vf", f"ass=filename='{assemble._filter_path(path)}'{fontsdir}",
         "-frames:v", "1", str(out)],
        what="ass frame",
    )  # fmt: skip
    return out


def _only(ass: str, style_name: str) -> str:
    """The document with only `style_name`'s first event, shown from 0 s without fades."""
    head, events = [], []
    for line in ass.splitlines():
        if line.startswith("Dialogue:"):
            if f",{style_name}," in line and not events:
                parts = line.split(",", 9)
                parts[1], parts[2] = "0:00:00.00", "0:00:09.00"
                events.append(re.sub(r"\\fad\([^)]*\)", "", ",".join(parts)))
        else:
            head.append(line)
    assert events, f"no {style_name} event"
    return "\n".join([*head, *events]) + "\n"


def _icon_frames(frame: layout.FrameLayout, style: RenderStyle, tmp: Path) -> list[Path]:
    """The octopus drawn into a black still as `render` does, through the motion filter."""
    width, height = frame.width, frame.height
    margin_w = assemble._even(width * assemble.MOTION_MARGIN)
    margin_h = assemble._even(height * assemble.MOTION_MARGIN)
    scale = margin_h / height if style.motion == "ken_burns" else 1.0
    icon, source = visuals.render_icon(
        keywords=["octopus"], icon=None, size=assemble._even(frame.icon_size * scale),
        accent="#FFFFFF", out_path=tmp / "icon.png",
    )  # fmt: skip
    assert source in ("fluentui-emoji:octopus", "drawn")
    black = tmp / "black.png"
    Image.new("RGB", (margin_w, margin_h)).save(black)
    center = (margin_h / 2 + (frame.icon_center_y - height / 2) * scale) / margin_h
    still = visuals.compose_still(
        background=black, palette=["#000000"], width=margin_w, height=margin_h, seed=0,
        icon_png=icon, icon_center_y=center, out_path=tmp / "still.png",
    )  # fmt: skip
    frames = 20
    outs = []
    for index in (0, 1):  # even scenes zoom in, odd ones out (or pan the other way)
        motion = assemble._motion(style.motion, index, width, height, frames, 10)
        pattern = tmp / f"motion{index}-%02d.png"
        assemble.run_ffmpeg(
            ["-i", str(still), "-filter_complex", f"[0:v]format=yuv420p,setsar=1,{motion}",
             "-frames:v", str(frames), "-start_number", "0", str(pattern)],
            what="icon motion",
        )  # fmt: skip
        outs += [tmp / f"motion{index}-00.png", tmp / f"motion{index}-{frames - 1:02d}.png"]
    return outs


def _union(boxes: list[Box]) -> Box:
    return Box(
        min(b.x0 for b in boxes),
        min(b.y0 for b in boxes),
        max(b.x1 for b in boxes),
        max(b.y1 for b in boxes),
    )


@pytest.mark.skipif(binaries.ffmpeg_path() is None, reason="ffmpeg missing")
@pytest.mark.parametrize("aspect", list(SIZES))
def test_rendered_hook_icon_and_captions_never_overlap_nor_cross_the_frame_edge(
    aspect: str, tmp_path: Path
) -> None:
    width, height = SIZES[aspect]
    style = RenderStyle(
        aspect_ratio=aspect,  # type: ignore[arg-type]
        palette=["#1E1B4B", "#7C3AED", "#F472B6"],
        hook_overlay=HOOK[:120],
        caption_style="bold_pop",
    )
    words = [
        WordTiming(word=w, start_s=i * 0.3, end_s=i * 0.3 + 0.25)
        for i, w in enumerate(NARRATION.split())
    ]
    frame = layout.frame_layout(style=style, width=width, height=height)
    ass = captions.build_ass(
        words=words, style=style, width=width, height=height, layout=frame,
        titles=[(0.0, 5.0, TITLE)],
    )  # fmt: skip
    measured: dict[str, Box] = {}
    for name, style_name in (("hook", "Hook"), ("title", "Title"), ("captions", "Caption")):
        png = _render_ass(_only(ass, style_name), width=width, height=height, tmp=tmp_path,
                          name=name)  # fmt: skip
        box = _bbox(png, threshold=10)
        assert box is not None, f"{name} drew nothing"
        measured[name] = box
    icon_boxes = [b for b in (_bbox(p) for p in _icon_frames(frame, style, tmp_path)) if b]
    assert len(icon_boxes) == 4
    measured["icon"] = _union(icon_boxes)

    whole = Box(0, 0, width, height)
    for name, box in measured.items():
        assert box.inside(whole) and box.x0 > 0 and box.y0 > 0, f"{name} touches the edge"
        assert box.x1 < width and box.y1 < height, f"{name} touches the edge"
        assert box.inside(frame.safe), f"{name} {box} outside the safe area {frame.safe}"
    assert measured["hook"].inside(frame.title) and measured["title"].inside(frame.title)
    assert measured["captions"].inside(frame.captions)
    assert measured["icon"].inside(frame.icon)
    # The hook and the titles take turns in one band; each with the icon and the captions:
    for text in ("hook", "title"):
        for other in ("icon", "captions"):
            assert not measured[text].intersects(measured[other]), (text, other, measured)
    assert not measured["icon"].intersects(measured["captions"]), measured
