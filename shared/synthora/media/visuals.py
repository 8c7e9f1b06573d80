"""Generated scene backgrounds and keyword icons, all offline.

Backgrounds are still images (a palette gradient with soft shapes) drawn with
Pillow, slightly larger than the frame so the filter graph can move over them
(pan / Ken Burns); the motion itself happens in ffmpeg, which decodes each
image once.

Icons come from the npm package `fluentui-emoji` (MIT, Microsoft's Fluent
Emoji as SVG): `npm install --prefix tools --no-save fluentui-emoji@1.3.0` (or
point `SYNTHORA_EMOJI_DIR` at the package) gives every emoji by name; the
211 shipped in `media/emoji/` carry keywords (`manifest.json`) and are what
scenes are matched against (`choose_icons`). They are rasterised with
`rsvg-convert` (Debian `librsvg2-bin`), else with the `resvg-py` wheel (what a
Cloud Run function can have). Without either, a drawn badge stands in and a
warning is logged.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from synthora.logs import fields, get_logger

log = get_logger(__name__)

#: The bundled icon set's catalogue: icon name -> keywords (see emoji/README.md).
MANIFEST_PATH = Path(__file__).with_name("emoji") / "manifest.json"

#: Neutral icons for a scene none of whose keywords (nor the video's) match:
#: picked by a hash of the keywords, never a celebration for a serious topic.
FALLBACK_EMOJI = (
    "light-bulb", "magnifying-glass-tilted-left", "sparkles", "thinking-face", "books",
    "glowing-star", "bullseye", "speech-balloon",
)  # fmt: skip


def _word_forms(word: str) -> list[str]:
    """`word` lower-cased, and its singular when it looks plural ("octopuses" -> "octopus")."""
    w = word.lower()
    forms = [w]
    if len(w) > 4 and w.endswith("ies"):
        forms.append(w[:-3] + "y")
    elif len(w) > 4 and w.endswith(("ses", "xes", "ches", "shes", "zes")):
        forms.append(w[:-2])
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        forms.append(w[:-1])
    return forms


def _keyword_words(keyword: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", keyword.lower()) if w]


@functools.lru_cache(maxsize=1)
def icon_catalogue() -> dict[str, tuple[str, ...]]:
    """The bundled icons and their keywords, from `emoji/manifest.json`."""
    data = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return {name: tuple(entry["keywords"]) for name, entry in data["icons"].items()}


@functools.lru_cache(maxsize=1)
def _keyword_index() -> dict[str, dict[str, float]]:
    """keyword -> {icon: weight}: an icon's own name weighs more than its keywords."""
    index: dict[str, dict[str, float]] = {}
    for name, keywords in icon_catalogue().items():
        for keyword in keywords:
            slot = index.setdefault(keyword.lower(), {})
            slot[name] = max(slot.get(name, 0.0), 2.0)
        index.setdefault(name.removesuffix("-default"), {})[name] = 3.0
    return index


def icon_scores(keywords: list[str]) -> dict[str, float]:
    """How well each bundled icon fits `keywords`; earlier keywords count more.

    Each keyword counts by its words and as a phrase ("black hole"), and two
    consecutive keywords count as a phrase too (["black", "holes"]).
    """
    index = _keyword_index()
    scores: dict[str, float] = {}
    split = [_keyword_words(k) for k in keywords]
    for position, words in enumerate(split):
        weight = 1.0 / (1.0 + 0.2 * position)
        tokens = ["-".join(words), *words]
        if position + 1 < len(split) and words and split[position + 1]:
            tokens.append(f"{words[-1]}-{split[position + 1][0]}")
        hits: dict[str, float] = {}
        for token in dict.fromkeys(tokens):
            head, _, last = token.rpartition("-")
            for form in _word_forms(last):
                for name, value in index.get(f"{head}-{form}" if head else form, {}).items():
                    hits[name] = max(hits.get(name, 0.0), value)
        for name, value in hits.items():
            scores[name] = scores.get(name, 0.0) + value * weight
    return scores


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _seed(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


def soft_disc(xs: np.ndarray, ys: np.ndarray, *, cx: float, cy: float, radius: float) -> np.ndarray:
    """Coverage (0..1) of a disc at each pixel centre: a one-pixel linear ramp at the edge.

    The analytic equivalent of drawing the disc supersampled and averaging:
    an edge pixel is covered by the fraction of it inside the circle.
    """
    distance = np.hypot(xs + 0.5 - cx, ys + 0.5 - cy)
    return np.clip(radius - distance + 0.5, 0.0, 1.0)


def render_background(
    *, palette: list[str], width: int, height: int, seed: int, out_path: Path
) -> Path:
    """Draw a palette gradient with soft shapes as a PNG of `width` x `height`.

    Colours rotate with `seed` (the scene index) so consecutive scenes differ.
    Drawn at half size and upscaled (4x cheaper); the discs' edges are
    anti-aliased (`soft_disc`), so no staircase survives the upscale.
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
    for i in range(5):
        colour = np.array(colours[(seed + 2 + i) % len(colours)], dtype=np.float32)
        radius = rng.uniform(0.15, 0.45) * min(w, h)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        opacity = rng.uniform(40, 90) / 255
        coverage = soft_disc(xs, ys, cx=cx, cy=cy, radius=radius) * opacity
        grad = grad * (1 - coverage[..., None]) + colour[None, None, :] * coverage[..., None]
    image = Image.fromarray(grad.clip(0, 255).round().astype(np.uint8), "RGB")
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


#: Icons scoring at least this share of a scene's best are all fitting; the
#: least used of them is shown, so consecutive scenes vary.
GOOD_ENOUGH = 0.4


def _named_icon(name: str | None, folder: Path | None) -> str | None:
    """`name` when it names an icon (bundled, or in the installed full set)."""
    if not name:
        return None
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    if key in icon_catalogue():
        return key
    if folder is not None and key and (folder / f"{key}.svg").is_file():
        return key
    return None


def choose_icons(scenes: list[tuple[list[str], str | None]]) -> list[str]:
    """One icon per scene, from its (keywords, icon): the script's own words decide.

    A scene's explicit `icon` wins when it names an icon; otherwise the icon
    whose name and keywords best match the scene's keywords, preferring one
    not used yet (an octopus video shows an octopus, then a heart). A scene
    with no match takes the best match for the whole video's keywords, and a
    video with none a neutral icon chosen by a hash of its keywords.
    """
    folder = emoji_dir()
    everything = [k for keywords, _ in scenes for k in keywords]
    video_scores = icon_scores(everything)
    used: dict[str, int] = {}
    chosen: list[str] = []
    for keywords, icon in scenes:
        named = _named_icon(icon, folder)
        if named is None:
            wanted = [icon, *keywords] if icon else keywords
            scores = icon_scores(wanted) or video_scores
            if scores:
                best = max(scores.values())
                fitting = [n for n in scores if scores[n] >= GOOD_ENOUGH * best]
                named = min(fitting, key=lambda n: (used.get(n, 0), -scores[n], n))
            else:
                pool = tuple(dict.fromkeys([*FALLBACK_EMOJI]))
                named = pool[
                    _seed("icon", tuple(k.lower() for k in wanted or everything), len(chosen))
                    % len(pool)
                ]
        used[named] = used.get(named, 0) + 1
        chosen.append(named)
    return chosen


def choose_emoji(*, keywords: list[str], icon: str | None) -> str:
    """The icon for one scene on its own (see `choose_icons`)."""
    return choose_icons([(keywords, icon)])[0]


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


#: Badges are drawn this many times larger, then downscaled: anti-aliased edges.
SUPERSAMPLE = 4


def _draw_badge(*, size: int, accent: str, seed: int, out_path: Path) -> Path:
    """A ringed disc with a star: a neutral stand-in for an emoji, drawn anti-aliased."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = _hex(accent)
    pad = big * 0.06
    draw.ellipse(
        (pad, pad, big - pad, big - pad),
        fill=(*colour, 235),
        outline="white",
        width=max(2, big // 24),
    )
    points = 5 + seed % 3
    cx = cy = big / 2
    outer, inner = big * 0.3, big * 0.13
    star = []
    for i in range(points * 2):
        r = outer if i % 2 == 0 else inner
        theta = np.pi * i / points - np.pi / 2
        star.append((cx + r * np.cos(theta), cy + r * np.sin(theta)))
    draw.polygon(star, fill=(255, 255, 255, 245))
    image.resize((size, size), Image.Resampling.LANCZOS).save(out_path)
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
