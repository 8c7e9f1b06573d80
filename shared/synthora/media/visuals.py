"""Generated scene backgrounds and keyword icons, all offline.

Backgrounds are still images (a palette gradient with soft shapes) drawn with
Pillow, slightly larger than the frame so the filter graph can move over them
(pan / Ken Burns); the motion itself happens in ffmpeg, which decodes each
image once.

Icons come from the npm package `fluentui-emoji` (MIT, Microsoft's Fluent
Emoji as SVG): `npm install --prefix tools --no-save fluentui-emoji@1.3.0` (or
point `SYNTHORA_EMOJI_DIR` at the package) gives every emoji; without it the
43 mapped ones shipped in `media/emoji/` are used. They are rasterised with
`rsvg-convert` (Debian `librsvg2-bin`), else with the `resvg-py` wheel (what a
Cloud Run function can have). Without either, a drawn badge stands in and a
warning is logged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from synthora.logs import fields, get_logger

log = get_logger(__name__)

#: Keyword -> Fluent emoji file stem (icons/flat/<stem>.svg).
KEYWORD_EMOJI: dict[str, str] = {
    "ai": "robot", "robot": "robot", "tech": "laptop", "technology": "laptop",
    "computer": "laptop", "code": "laptop", "software": "laptop", "phone": "mobile-phone",
    "app": "mobile-phone", "idea": "light-bulb", "ideas": "light-bulb", "tip": "light-bulb",
    "tips": "light-bulb", "learn": "books", "learning": "books", "study": "books",
    "book": "books", "school": "graduation-cap", "education": "graduation-cap",
    "money": "money-bag", "finance": "money-bag", "invest": "chart-increasing",
    "investing": "chart-increasing", "growth": "chart-increasing", "grow": "seedling",
    "stats": "bar-chart", "data": "bar-chart", "business": "briefcase", "work": "briefcase",
    "career": "briefcase", "deal": "handshake", "team": "handshake", "brain": "brain",
    "mind": "brain", "think": "thinking-face", "question": "thinking-face", "why": "thinking-face",
    "fitness": "flexed-biceps-default", "strength": "flexed-biceps-default",
    "health": "red-heart", "love": "red-heart", "heart": "red-heart", "fire": "fire",
    "hot": "fire", "trend": "fire", "win": "trophy", "success": "trophy", "goal": "trophy",
    "star": "glowing-star", "best": "hundred-points", "time": "alarm-clock",
    "fast": "stopwatch", "speed": "stopwatch", "launch": "rocket", "start": "rocket",
    "startup": "rocket", "space": "rocket", "travel": "airplane", "trip": "airplane",
    "home": "house", "food": "pizza", "coffee": "hot-beverage", "music": "musical-note",
    "video": "movie-camera", "film": "movie-camera", "photo": "camera", "nature": "seedling",
    "plant": "potted-plant", "sun": "sun", "night": "crescent-moon", "sleep": "crescent-moon",
    "party": "party-popper", "celebrate": "party-popper", "search": "magnifying-glass-tilted-left",
    "secret": "key", "key": "key", "security": "locked", "chat": "speech-balloon",
    "talk": "speech-balloon", "done": "check-mark-button", "check": "check-mark-button",
    "warning": "warning", "mistake": "warning", "gem": "gem-stone", "value": "gem-stone",
}  # fmt: skip

#: Deterministic fallbacks when no keyword maps: picked by a hash of the keywords.
FALLBACK_EMOJI = (
    "sparkles", "light-bulb", "glowing-star", "rocket", "gem-stone", "fire", "bullseye",
    "hundred-points", "party-popper", "brain",
)  # fmt: skip


_KNOWN_STEMS = frozenset(KEYWORD_EMOJI.values()) | frozenset(FALLBACK_EMOJI)


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


def render_background(
    *, palette: list[str], width: int, height: int, seed: int, out_path: Path
) -> Path:
    """Draw a palette gradient with soft shapes as a PNG of `width` x `height`.

    Colours rotate with `seed` (the scene index) so consecutive scenes differ.
    Drawn at half size and upscaled: the shapes come out soft for free, and it is 4x cheaper.
    """
    rng = np.random.default_rng(_seed("bg", seed, tuple(palette)))
    colours = [_hex(c) for c in palette] or [(30, 27, 75)]
    a = np.array(colours[seed % len(colours)], dtype=np.float32)
    b = np.array(colours[(seed + 1) % len(colours)], dtype=np.float32)
    # Darken the gradient a little so white captions always keep contrast.
    a, b = a * 0.55, b * 0.8
    w, h = max(2, width // 2), max(2, height // 2)
    angle = rng.uniform(0, np.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs / w) * np.cos(angle) + (ys / h) * np.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
    grad = a[None, None, :] * (1 - t[..., None]) + b[None, None, :] * t[..., None]
    image = Image.fromarray(grad.clip(0, 255).astype(np.uint8), "RGB").convert("RGBA")
    overlay = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for i in range(5):
        colour = colours[(seed + 2 + i) % len(colours)]
        radius = rng.uniform(0.15, 0.45) * min(w, h)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            fill=(*colour, int(rng.uniform(40, 90))),
        )
    image = Image.alpha_composite(image, overlay).convert("RGB")
    image = image.resize((width, height), Image.Resampling.BICUBIC)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    image.save(out_path, optimize=False, compress_level=1)
    return out_path


#: The mapped emoji, shipped with the package (see emoji/README.md).
BUNDLED_EMOJI_DIR = Path(__file__).with_name("emoji")


def emoji_dir() -> Path | None:
    """The fluentui-emoji `icons/flat` folder, else the bundled icons; None when neither."""
    from synthora.settings import REPO_ROOT

    candidates = [
        os.environ.get("SYNTHORA_EMOJI_DIR"),
        str(REPO_ROOT / "tools" / "node_modules" / "fluentui-emoji"),
        str(REPO_ROOT / "node_modules" / "fluentui-emoji"),
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "icons" / "flat").is_dir():
            return Path(candidate) / "icons" / "flat"
    if any(BUNDLED_EMOJI_DIR.glob("*.svg")):
        return BUNDLED_EMOJI_DIR
    return None


def svg_rasteriser() -> str | None:
    """What rasterises icons here: "rsvg-convert", "resvg-py", or None (badges are drawn)."""
    if shutil.which("rsvg-convert"):
        return "rsvg-convert"
    if importlib.util.find_spec("resvg_py") is not None:
        return "resvg-py"
    return None


def _rasterise(svg: Path, *, size: int, out_path: Path, rasteriser: str) -> str | None:
    """Draw `svg` as a `size` x `size` PNG at `out_path`; the error text on failure."""
    if rasteriser == "rsvg-convert":
        converter = shutil.which("rsvg-convert") or "rsvg-convert"
        proc = subprocess.run(
            [converter, "-w", str(size), "-h", str(size), "-a", "-o", str(out_path), str(svg)],
            capture_output=True,
            timeout=60,
            check=False,
        )
        if proc.returncode == 0 and out_path.exists():
            return None
        return proc.stderr.decode(errors="replace")[-300:] or f"exit {proc.returncode}"
    try:
        import resvg_py  # MIT wheel (Rust resvg): renders the Fluent SVGs like librsvg

        png = resvg_py.svg_to_bytes(
            svg_path=str(svg), width=size, height=size, skip_system_fonts=True
        )
        with Image.open(io.BytesIO(bytes(png))) as image:
            icon = image.convert("RGBA")
        if icon.size != (size, size):  # a non-square viewBox: centre it, like rsvg's -a
            canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
            icon.thumbnail((size, size), Image.Resampling.LANCZOS)
            canvas.paste(icon, ((size - icon.width) // 2, (size - icon.height) // 2))
            icon = canvas
        icon.save(out_path)
    except Exception as exc:  # any failure falls back to a drawn badge
        return f"{type(exc).__name__}: {exc}"[-300:]
    return None


def choose_emoji(*, keywords: list[str], icon: str | None) -> str:
    """The emoji stem for a scene: the explicit icon, a mapped keyword, or a hashed fallback."""
    folder = emoji_dir()
    wanted = [icon] if icon else []
    wanted += keywords
    for raw in wanted:
        key = raw.strip().lower().replace(" ", "-").replace("_", "-")
        if key in KEYWORD_EMOJI:
            return KEYWORD_EMOJI[key]
        if key in _KNOWN_STEMS:
            return key
        if folder is not None and key and (folder / f"{key}.svg").exists():
            return key
    return FALLBACK_EMOJI[_seed("icon", tuple(k.lower() for k in wanted)) % len(FALLBACK_EMOJI)]


def render_icon(
    *, keywords: list[str], icon: str | None, size: int, accent: str, out_path: Path
) -> tuple[Path, str]:
    """Rasterise the scene's emoji to a `size` PNG; returns (path, source description).

    Falls back to a drawn badge in the `accent` colour (logged) when the icon set
    or an SVG rasteriser (rsvg-convert, resvg-py) is missing, or rasterising fails.
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    stem = choose_emoji(keywords=keywords, icon=icon)
    folder = emoji_dir()
    rasteriser = svg_rasteriser()
    if folder is not None and rasteriser is not None:
        svg = folder / f"{stem}.svg"
        if not svg.exists():
            svg = folder / f"{FALLBACK_EMOJI[0]}.svg"
        error = _rasterise(svg, size=size, out_path=out_path, rasteriser=rasteriser)
        if error is None:
            return out_path, f"fluentui-emoji:{svg.stem}"
        log.warning(
            "rasterising the icon failed; drawing a badge instead",
            extra=fields(svg=str(svg), rasteriser=rasteriser, error=error),
        )
    else:
        log.warning(
            "icon set or SVG rasteriser unavailable; drawing a badge instead",
            extra=fields(
                emoji_dir=str(folder),
                rasteriser=rasteriser,
                hint="apt-get install librsvg2-bin or pip install resvg-py",
            ),
        )
    return _draw_badge(size=size, accent=accent, seed=_seed(stem), out_path=out_path), "drawn"


def _draw_badge(*, size: int, accent: str, seed: int, out_path: Path) -> Path:
    """A ringed disc with a star: a neutral stand-in for an emoji."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = _hex(accent)
    pad = size * 0.06
    draw.ellipse(
        (pad, pad, size - pad, size - pad),
        fill=(*colour, 235),
        outline="white",
        width=max(2, size // 24),
    )
    points = 5 + seed % 3
    cx = cy = size / 2
    outer, inner = size * 0.3, size * 0.13
    star = []
    for i in range(points * 2):
        r = outer if i % 2 == 0 else inner
        theta = np.pi * i / points - np.pi / 2
        star.append((cx + r * np.cos(theta), cy + r * np.sin(theta)))
    draw.polygon(star, fill=(255, 255, 255, 245))
    image.save(out_path)
    return out_path


def compose_still(
    *,
    background: Path | None,
    palette: list[str],
    width: int,
    height: int,
    seed: int,
    icon_png: Path | None,
    icon_center_y: float,
    out_path: Path,
) -> Path:
    """One PNG per scene: the background (given image or generated) with the icon pasted on.

    Compositing here, once, instead of an ffmpeg `overlay` per frame cut the
    render time of a 30 s 1080x1920 video by about 5 s on 2 cores; the icon then
    moves with the background's Ken Burns / pan motion.
    """
    if background is None:
        render_background(palette=palette, width=width, height=height, seed=seed, out_path=out_path)
        image = Image.open(out_path).convert("RGB")
    else:
        with Image.open(background) as source:
            image = _cover(source.convert("RGB"), width, height)
    if icon_png is not None:
        with Image.open(icon_png) as raw:
            icon = raw.convert("RGBA")
        x = (width - icon.width) // 2
        y = int(height * icon_center_y - icon.height / 2)
        image.paste(icon, (x, y), icon)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    image.save(out_path, compress_level=1)
    return out_path


def _cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to cover width x height, then centre-crop (like CSS object-fit: cover)."""
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    resized = image.resize(size, Image.Resampling.LANCZOS)
    left, top = (size[0] - width) // 2, (size[1] - height) // 2
    return resized.crop((left, top, left + width, top + height))
