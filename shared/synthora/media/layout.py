"""Where the hook/title text, the scene icon and the captions go in a frame.

The frame's safe area (per aspect ratio, clear of the platforms' buttons and
descriptions) is cut into three bands that never overlap: the title band
(the hook, then each scene's on-screen text), the caption band and, in the
space left between them, the icon. Text heights follow the ASS convention
that a line is `Fontsize` pixels tall (libass scales a font so that its
ascender plus descender equal the size), plus the outline or box border.

The icon is drawn into each scene's still, which is larger than the frame
(`MOTION_MARGIN`) and then moved by the motion filter: Ken Burns zooms the
whole still by up to `1 + KEN_BURNS_ZOOM`, pan slides it sideways. The
layout therefore gives the icon's *envelope*, the box it covers over the
whole scene, and sizes the icon so that the envelope stays inside its band.
"""

from __future__ import annotations

from dataclasses import dataclass

from synthora.media.models import RenderStyle

#: Backgrounds are drawn this much larger than the frame, room to move.
MOTION_MARGIN = 1.12
#: Ken Burns zooms from 1 to 1 + this (or back) over a scene.
KEN_BURNS_ZOOM = 0.10

#: Safe margins as fractions of (width, height) per aspect ratio: vertical video
#: keeps clear of the platform UI (buttons on the right, description at the bottom).
SAFE_MARGINS: dict[str, dict[str, float]] = {
    "9:16": {"side": 0.08, "top": 0.12, "bottom": 0.22},
    "16:9": {"side": 0.07, "top": 0.08, "bottom": 0.09},
    "1:1": {"side": 0.08, "top": 0.09, "bottom": 0.12},
}
#: Lines the hook may wrap to (its font shrinks to fit); landscape frames are short.
HOOK_LINES = {"9:16": 3, "16:9": 2, "1:1": 2}
TITLE_LINES = 2
CAPTION_LINES = 2
POP_SCALE = 1.15  # bold_pop draws the spoken word this much larger


@dataclass(frozen=True)
class Box:
    """A pixel rectangle: x0, y0 inclusive; x1, y1 exclusive."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def intersects(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x0 >= other.x0
            and self.y0 >= other.y0
            and self.x1 <= other.x1
            and self.y1 <= other.y1
        )


@dataclass(frozen=True)
class FrameLayout:
    """Every overlay's place in a `width` x `height` frame."""

    width: int
    height: int
    safe: Box
    title: Box  # the hook and the scene titles (one at a time)
    captions: Box
    icon: Box  # the icon's envelope over a whole scene, motion included
    title_anchor: str  # "top": text hangs from title.y0; "bottom": it stands on title.y1
    caption_anchor: str
    text_size: int  # caption font size
    title_size: int
    hook_size: int
    outline: int  # caption/title outline width
    hook_border: int  # the hook box's border around its text
    hook_lines: int
    icon_size: int  # the icon's size in the frame at rest (zoom 1)
    icon_center_y: int  # the icon's centre in the frame at rest

    def text_boxes(self) -> dict[str, Box]:
        return {"title": self.title, "captions": self.captions, "icon": self.icon}


def text_size(*, style: RenderStyle, width: int, height: int) -> int:
    """The caption font size: 7.5 % of the short side (minimal captions 80 % of that)."""
    base = min(width, height) * 0.075
    return max(8, round(base * (0.8 if style.caption_style == "minimal" else 1.0)))


def icon_motion(motion: str) -> tuple[float, float]:
    """(largest zoom, sideways travel as a fraction of the width) a scene's motion applies."""
    if motion == "ken_burns":
        return 1.0 + KEN_BURNS_ZOOM, 0.0
    if motion == "pan":
        return 1.0, (MOTION_MARGIN - 1.0) / 2
    return 1.0, 0.0


def icon_envelope(*, width: int, height: int, size: int, center_y: int, motion: str) -> Box:
    """The box the icon covers over a scene: at rest and at the motion's extreme."""
    zoom, travel = icon_motion(motion)
    offset = center_y - height / 2
    boxes = []
    for z in (1.0, zoom):
        half = size * z / 2
        cy = height / 2 + offset * z
        shift = travel * width
        boxes.append((width / 2 - half - shift, cy - half, width / 2 + half + shift, cy + half))
    return Box(
        int(min(b[0] for b in boxes)) - 1,
        int(min(b[1] for b in boxes)) - 1,
        int(max(b[2] for b in boxes)) + 2,
        int(max(b[3] for b in boxes)) + 2,
    )


def frame_layout(*, style: RenderStyle, width: int, height: int) -> FrameLayout:
    """Lay out the title band, the caption band and the icon inside the safe area."""
    margins = SAFE_MARGINS[style.aspect_ratio]
    side = round(width * margins["side"])
    safe = Box(
        side,
        round(height * margins["top"]),
        width - side,
        height - round(height * margins["bottom"]),
    )
    size = text_size(style=style, width=width, height=height)
    outline = max(1, round(size * 0.08))
    title_size = round(size * 0.9)
    hook_size = round(size * 1.25)
    hook_border = max(2, outline * 2)
    hook_lines = HOOK_LINES[style.aspect_ratio]
    gap = max(2, round(size * 0.25))  # breathing room between bands

    title_h = max(hook_lines * hook_size + 2 * hook_border, TITLE_LINES * title_size + 2 * outline)
    caption_scale = POP_SCALE if style.caption_style == "bold_pop" else 1.0
    caption_h = round(CAPTION_LINES * size * caption_scale) + 2 * outline + outline
    if style.caption_style == "none":
        caption_h = 0

    wanted = round(min(width, height) * (0.30 if height > width else 0.24))
    position = style.caption_position
    if position == "top":
        captions = Box(safe.x0, safe.y0, safe.x1, safe.y0 + caption_h)
        title = Box(safe.x0, safe.y1 - title_h, safe.x1, safe.y1)
        free = (captions.y1 + gap, title.y0 - gap)
        title_anchor, caption_anchor = "bottom", "top"
    elif position == "center":
        # Captions as near the middle as leaves the icon its size above them.
        title = Box(safe.x0, safe.y0, safe.x1, safe.y0 + title_h)
        needed = round(wanted * (1 + KEN_BURNS_ZOOM) * 1.05) + 2 * gap
        top = max((height - caption_h) // 2, title.y1 + needed)
        top = min(top, safe.y1 - caption_h)
        captions = Box(safe.x0, top, safe.x1, top + caption_h)
        free = (title.y1 + gap, captions.y0 - gap)
        title_anchor, caption_anchor = "top", "top"
    else:
        title = Box(safe.x0, safe.y0, safe.x1, safe.y0 + title_h)
        captions = Box(safe.x0, safe.y1 - caption_h, safe.x1, safe.y1)
        free = (title.y1 + gap, captions.y0 - gap)
        title_anchor, caption_anchor = "top", "bottom"

    center_y = (free[0] + free[1]) // 2
    icon_size = max(8, wanted)
    region = Box(safe.x0, free[0], safe.x1, free[1])
    while icon_size > 8:
        envelope = icon_envelope(
            width=width, height=height, size=icon_size, center_y=center_y, motion=style.motion
        )
        if envelope.inside(region):
            break
        icon_size = max(8, int(icon_size * 0.94))
    icon_size -= icon_size % 2
    envelope = icon_envelope(
        width=width, height=height, size=icon_size, center_y=center_y, motion=style.motion
    )
    return FrameLayout(
        width=width,
        height=height,
        safe=safe,
        title=title,
        captions=captions,
        icon=envelope,
        title_anchor=title_anchor,
        caption_anchor=caption_anchor,
        text_size=size,
        title_size=title_size,
        hook_size=hook_size,
        outline=outline,
        hook_border=hook_border,
        hook_lines=hook_lines,
        icon_size=icon_size,
        icon_center_y=center_y,
    )
