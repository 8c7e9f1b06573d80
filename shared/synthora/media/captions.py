"""ASS subtitles: word-highlighted captions, scene titles and the hook overlay.

Captions are cut into short "pages" (at most two lines that fit the safe
width, measured with the real font) and each page is emitted once per word,
with that word highlighted, so the highlight follows the voice exactly
without relying on karaoke fill tags that players render differently.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from synthora.media import layout as _layout
from synthora.media.models import RenderStyle, WordTiming

#: Safe margins per aspect ratio (defined with the frame layout).
SAFE_MARGINS = _layout.SAFE_MARGINS
PAGE_GAP_S = 0.6  # a pause this long starts a new caption page
HOLD_S = 0.3  # how long a page stays after its last word


@dataclass(frozen=True)
class CaptionPage:
    """Words shown together, already broken into lines."""

    lines: list[list[int]]  # indices into the word list, per line
    start_s: float
    end_s: float


#: Set to "0" to ignore the machine's fonts (fontconfig) and use only bundled
#: ones: what a Cloud Run instance sees. Tests use it to check the fallback.
SYSTEM_FONTS_ENV = "SYNTHORA_SYSTEM_FONTS"
#: The family used when the requested one is neither installed nor bundled.
DEFAULT_FAMILY = "Inter"


@dataclass(frozen=True)
class ResolvedFont:
    """A font file and the family name inside it (what an ASS style must name)."""

    path: Path
    family: str
    source: str  # "system" (fontconfig), "bundled" (media/fonts) or "fontpkg-<name>" (a wheel)


def system_fonts_enabled() -> bool:
    return os.environ.get(SYSTEM_FONTS_ENV, "1").strip().lower() not in ("0", "false", "no")


def _slug(family: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", family.lower()).strip("_")


#: OFL fonts shipped inside this package (see fonts/README.md): family -> file.
BUNDLED_DIR = Path(__file__).with_name("fonts")
BUNDLED_FONTS: dict[str, str] = {"inter": "Inter-Bold.ttf"}


def bundled_font(family: str) -> Path | None:
    """An OFL font shipped for `family`: in this package, else from a `fontpkg-<family>` wheel.

    The fontpkg wheels (PyPI, e.g. fontpkg-league-spartan) ship variable fonts,
    which libass draws at their default (regular) weight.
    """
    shipped = BUNDLED_FONTS.get(_slug(family))
    if shipped and (BUNDLED_DIR / shipped).is_file():
        return BUNDLED_DIR / shipped
    module = f"fontpkg_{_slug(family)}"
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    files = Path(next(iter(spec.submodule_search_locations))) / "files"
    fonts = sorted(
        p
        for p in files.glob("*")
        if p.suffix.lower() in (".ttf", ".otf") and "italic" not in p.name.lower()
    )
    return fonts[0] if fonts else None


def _system_font(family: str, bold: bool) -> Path | None:
    """The file fontconfig has for `family` itself (not a substitute), if any."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{family}:bold" if bold else family
    proc = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}", pattern],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    if proc.returncode != 0 or "\n" not in proc.stdout:
        return None
    families, file = proc.stdout.split("\n", 1)
    path = Path(file.strip())
    # fc-match always answers with *something* (DejaVu...): accept only the family asked for.
    names = {_slug(f) for f in families.split(",")}
    return path if _slug(family) in names and path.is_file() else None


def _family_of(path: Path) -> str:
    try:
        return str(ImageFont.truetype(str(path), size=12).getname()[0] or "")
    except OSError:
        return ""


@functools.lru_cache(maxsize=64)
def _resolve(family: str, bold: bool, use_system: bool, fontconfig: str) -> ResolvedFont | None:
    del fontconfig  # part of the cache key only: a different fontconfig sees other fonts
    if use_system:
        path = _system_font(family, bold)
        if path is not None:
            return ResolvedFont(path, family, "system")
    for candidate in dict.fromkeys([family, DEFAULT_FAMILY]):
        path = bundled_font(candidate)
        if path is not None:
            source = "bundled" if path.parent == BUNDLED_DIR else f"fontpkg-{_slug(candidate)}"
            return ResolvedFont(path, _family_of(path) or candidate, source)
    return None


def resolve_font(family: str, *, bold: bool = True) -> ResolvedFont | None:
    """The font captions use for `family`: installed, else bundled, else bundled Inter.

    Order: fontconfig's file for that very family (unless $SYNTHORA_SYSTEM_FONTS=0),
    then one shipped in `media/fonts/` or a `fontpkg-<family>` wheel, then the
    shipped Inter Bold. None only if the package lost its font file.
    """
    return _resolve(family, bold, system_fonts_enabled(), os.environ.get("FONTCONFIG_FILE", ""))


def font_file(family: str, *, bold: bool = True) -> Path | None:
    """The font file captions are measured and drawn with (see `resolve_font`)."""
    found = resolve_font(family, bold=bold)
    return found.path if found else None


def font_family(family: str) -> str:
    """The family name the ASS styles must use so libass finds `resolve_font`'s file."""
    found = resolve_font(family)
    return found.family if found else family


@functools.lru_cache(maxsize=32)
def _load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    # A variable font (a fontpkg wheel) is measured at its default instance:
    # that is what libass draws from it.
    return ImageFont.truetype(str(path), size=size)


def _measure_font(family: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_file(family)
    if path is None:
        return ImageFont.load_default(size=size)
    return _load_font(path, size)


def text_width(text: str, *, family: str, size: int) -> float:
    """Rendered width in pixels of `text` in `family` at `size`."""
    return float(_measure_font(family, size).getlength(text))


def font_size(*, style: RenderStyle, width: int, height: int) -> int:
    return _layout.text_size(style=style, width=width, height=height)


def paginate(
    *, words: list[WordTiming], max_width: float, family: str, size: int, max_lines: int = 2
) -> list[CaptionPage]:
    """Group words into pages of at most `max_lines` lines no wider than `max_width`."""
    pages: list[CaptionPage] = []
    lines: list[list[int]] = []
    line: list[int] = []

    def flush() -> None:
        nonlocal lines, line
        if line:
            lines.append(line)
        if lines:
            first, last = lines[0][0], lines[-1][-1]
            pages.append(CaptionPage(lines, words[first].start_s, words[last].end_s))
        lines, line = [], []

    for i, word in enumerate(words):
        if line or lines:
            prev = words[i - 1]
            if word.start_s - prev.end_s >= PAGE_GAP_S or (
                prev.word[-1] in ".!?" and sum(map(len, lines)) + len(line) >= 2
            ):
                flush()
        candidate = " ".join(words[j].word for j in [*line, i])
        if line and text_width(candidate, family=family, size=size) * 1.12 > max_width:
            lines.append(line)
            line = []
            if len(lines) >= max_lines:
                flush()
        line.append(i)
    flush()
    # Each page lasts until the next starts (bounded by the hold) so captions do not flicker.
    timed: list[CaptionPage] = []
    for k, page in enumerate(pages):
        end = page.end_s + HOLD_S
        if k + 1 < len(pages):
            end = min(end, pages[k + 1].start_s)
        timed.append(CaptionPage(page.lines, page.start_s, max(end, page.start_s + 0.05)))
    return timed


def _ass_colour(hex_colour: str, alpha: int = 0) -> str:
    r, g, b = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"&H{alpha:02X}{b}{g}{r}".upper()


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def highlight_colour(palette: list[str]) -> str:
    """The brightest palette colour if it is light enough to read, else a strong yellow."""
    best = max(palette, key=_luminance)
    return best if _luminance(best) >= 0.55 else "#FFD400"


def _escape(text: str) -> str:
    # ASS treats braces as override blocks and backslashes as escapes.
    return text.replace("\\", "/").replace("{", "(").replace("}", ")").replace("\n", " ")


def wrap_lines(
    text: str, *, family: str, size: int, max_width: float, max_lines: int = 3
) -> tuple[list[str], int]:
    """Break `text` into lines no wider than `max_width`; shrink the size if it needs more lines.

    Returns the lines and the font size they fit at (WrapStyle 2 never wraps for us).
    """
    words = text.split()
    fitted = size
    while True:
        lines: list[str] = []
        for word in words:
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and text_width(candidate, family=family, size=fitted) * 1.08 <= max_width:
                lines[-1] = candidate
            else:
                lines.append(word)
        if len(lines) <= max_lines or fitted <= 8:
            return lines, fitted
        fitted = max(8, round(fitted * 0.85))


def _wrapped(text: str, *, family: str, size: int, max_width: float, max_lines: int) -> str:
    lines, fitted = wrap_lines(
        text, family=family, size=size, max_width=max_width, max_lines=max_lines
    )
    body = "\\N".join(_escape(line) for line in lines)
    return body if fitted == size else f"{{\\fs{fitted}}}{body}"


def _ts(seconds: float) -> str:
    cs = max(0, round(seconds * 100))
    return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))


def _spoken_hook(words: list[WordTiming], hook: str) -> int:
    """How many leading words of the narration say the hook text (0: it is not spoken)."""
    wanted = _tokens(hook)
    if not wanted:
        return 0
    said: list[str] = []
    for count, word in enumerate(words, start=1):
        said += _tokens(word.word)
        if said == wanted[: len(said)]:
            if len(said) >= len(wanted):
                return count
            continue
        return 0
    return 0


def build_ass(
    *,
    words: list[WordTiming],
    style: RenderStyle,
    width: int,
    height: int,
    titles: list[tuple[float, float, str]] | None = None,
    layout: _layout.FrameLayout | None = None,
) -> str:
    """The ASS document for a video of `width` x `height`.

    `words` carry global times; `titles` are (start_s, end_s, text) of scene
    on-screen texts. Everything sits in the bands of `layout` (computed from
    the style when not given): titles in the title band, captions in the
    caption band, clear of the icon. The hook overlay (style.hook_overlay)
    shows first, for `style.hook_duration_s` seconds; when the narration
    speaks the hook's words, the hook stays until they are said and they are
    not captioned as well, and a title repeating the hook is not shown again:
    the hook text appears once.
    """
    frame = layout or _layout.frame_layout(style=style, width=width, height=height)
    side = frame.safe.x0
    size = frame.text_size
    outline = frame.outline
    family = font_family(style.font_family)
    accent = highlight_colour(style.palette)
    boxed = style.caption_style == "boxed"
    minimal = style.caption_style == "minimal"
    primary = _ass_colour("#FFFFFF")
    border_style = 3 if boxed else 1
    back = _ass_colour("#000000", 0x60) if boxed else _ass_colour("#000000", 0x80)
    caption_outline = outline if not minimal else max(1, outline // 2)
    shadow = 0 if not minimal else max(1, outline // 2)
    # Alignment 8 hangs text from MarginV (top); 2 stands it on MarginV from the bottom.
    if frame.caption_anchor == "top":
        caption_align, caption_margin = 8, frame.captions.y0 + caption_outline
    else:
        caption_align, caption_margin = 2, height - frame.captions.y1 + caption_outline + shadow
    if frame.title_anchor == "top":
        title_align, title_margin = 8, frame.title.y0 + outline
        hook_align, hook_margin = 8, frame.title.y0 + frame.hook_border + 1
    else:
        title_align, title_margin = 2, height - frame.title.y1 + outline
        hook_align, hook_margin = 2, height - frame.title.y1 + frame.hook_border + 1
    header = [
        "[Script Info]",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "WrapStyle: 2",  # we break lines ourselves
        "ScaledBorderAndShadow: yes",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        f"Style: Caption,{family},{size},{primary},{_ass_colour(accent)},{_ass_colour('#000000')},"
        f"{back},-1,0,0,0,100,100,0,0,{border_style},{caption_outline},{shadow},"
        f"{caption_align},{side},{side},{caption_margin},1",
        f"Style: Title,{family},{frame.title_size},{primary},{primary},{_ass_colour('#000000')},"
        f"{_ass_colour('#000000', 0x80)},-1,0,0,0,100,100,0,0,1,{outline},0,{title_align},"
        f"{side},{side},{title_margin},1",
        f"Style: Hook,{family},{frame.hook_size},{_ass_colour('#000000')},{primary},"
        f"{_ass_colour(accent)},{_ass_colour(accent, 0x10)},-1,0,0,0,100,100,0,0,3,"
        f"{frame.hook_border},0,{hook_align},{side + frame.hook_border},"
        f"{side + frame.hook_border},{hook_margin},1",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    events: list[str] = []
    hook = (style.hook_overlay or "").strip()
    spoken = _spoken_hook(words, hook) if hook else 0
    hook_end = 0.0
    if hook:
        hook_end = style.hook_duration_s
        if spoken:
            hook_end = max(hook_end, words[spoken - 1].end_s + HOLD_S)
            words = words[spoken:]
        text = _wrapped(hook, family=family, size=frame.hook_size,
                        max_width=width - 2 * (side + frame.hook_border),
                        max_lines=frame.hook_lines)  # fmt: skip
        events.append(f"Dialogue: 2,{_ts(0)},{_ts(hook_end)},Hook,,0,0,0,,{{\\fad(150,300)}}{text}")
    for start, end, text in titles or []:
        if hook and _tokens(text) == _tokens(hook):
            continue  # the hook already showed it
        start = max(start, hook_end)
        if text.strip() and end - start > 0.3:
            fade = "{\\fad(200,200)}"
            body = _wrapped(text, family=family, size=frame.title_size,
                            max_width=width - 2 * side, max_lines=_layout.TITLE_LINES)  # fmt: skip
            events.append(f"Dialogue: 1,{_ts(start)},{_ts(end)},Title,,0,0,0,,{fade}{body}")
    if style.caption_style != "none" and words:
        events += _caption_events(
            words=words, style=style, width=width - 2 * side, size=size, accent=accent
        )
    return "\n".join([*header, *events]) + "\n"


def _caption_events(
    *, words: list[WordTiming], style: RenderStyle, width: float, size: int, accent: str
) -> list[str]:
    upper = style.caption_style == "bold_pop"
    shown = [w.word.upper() if upper else w.word for w in words]
    measured = [
        WordTiming(word=_escape(s) or "-", start_s=w.start_s, end_s=w.end_s)
        for s, w in zip(shown, words, strict=True)
    ]
    # bold_pop scales the current word up; leave room for it.
    budget = width / (1.15 if upper else 1.0)
    pages = paginate(words=measured, max_width=budget, family=style.font_family, size=size)
    colour = _ass_colour(accent)
    events: list[str] = []
    for page in pages:
        indices = [i for line in page.lines for i in line]
        if style.caption_style == "minimal":
            text = _page_text(page, measured, current=None, colour=colour, pop=False)
            events.append(
                f"Dialogue: 0,{_ts(page.start_s)},{_ts(page.end_s)},Caption,,0,0,0,,{text}"
            )
            continue
        for k, i in enumerate(indices):
            start = page.start_s if k == 0 else measured[i].start_s
            end = page.end_s if k + 1 == len(indices) else measured[indices[k + 1]].start_s
            if end <= start:
                continue
            text = _page_text(page, measured, current=i, colour=colour, pop=upper)
            events.append(f"Dialogue: 0,{_ts(start)},{_ts(end)},Caption,,0,0,0,,{text}")
    return events


def _page_text(
    page: CaptionPage, words: list[WordTiming], *, current: int | None, colour: str, pop: bool
) -> str:
    lines = []
    for line in page.lines:
        parts = []
        for i in line:
            if i == current:
                scale = "\\fscx115\\fscy115" if pop else ""
                parts.append(f"{{\\c{colour}{scale}}}{words[i].word}{{\\r}}")
            else:
                parts.append(words[i].word)
        lines.append(" ".join(parts))
    return "\\N".join(lines)


def visible_text(ass: str) -> list[str]:
    """Plain text of every Dialogue line (override tags removed), for tests and debugging."""
    texts = []
    for line in ass.splitlines():
        if line.startswith("Dialogue:"):
            body = line.split(",", 9)[9]
            texts.append(re.sub(r"\{[^}]*\}", "", body).replace("\\N", " "))
    return texts
