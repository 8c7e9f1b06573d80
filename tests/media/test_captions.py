from __future__ import annotations

import re

import pytest

from synthora.media import captions
from synthora.media.models import RenderStyle, WordTiming

WORDS = [
    WordTiming(word=w, start_s=i * 0.4, end_s=i * 0.4 + 0.3)
    for i, w in enumerate(
        [
            "Three",
            "money",
            "habits",
            "quietly",
            "change",
            "everything",
            "about",
            "your",
            "future",
            "forever.",
        ]
    )
]


def _dialogues(ass: str, style: str) -> list[str]:
    return [
        line for line in ass.splitlines() if line.startswith("Dialogue") and f",{style}," in line
    ]


def test_karaoke_highlights_each_word_once_in_time() -> None:
    style = RenderStyle(caption_style="karaoke", palette=["#112233", "#FFEE00"])
    ass = captions.build_ass(words=WORDS, style=style, width=1080, height=1920)
    assert "PlayResX: 1080" in ass and "PlayResY: 1920" in ass
    events = _dialogues(ass, "Caption")
    assert len(events) == len(WORDS)
    # The highlighted word of each event, in order, is the spoken word.
    highlighted = [re.search(r"\{\\c&H00([0-9A-F]{6})\}([^{]+)\{\\r\}", e) for e in events]
    assert all(h is not None for h in highlighted)
    assert [h.group(2) for h in highlighted if h] == [w.word for w in WORDS]
    assert {h.group(1) for h in highlighted if h} == {"00EEFF"}  # #FFEE00 as ASS BGR
    # Each event starts when its word starts (first: when the page appears).
    starts = [e.split(",")[1] for e in events]
    assert starts == sorted(starts)


def test_lines_fit_the_safe_width() -> None:
    style = RenderStyle(caption_style="karaoke")
    width, height = 1080, 1920
    size = captions.font_size(style=style, width=width, height=height)
    safe = width * (1 - 2 * captions.SAFE_MARGINS["9:16"]["side"])
    pages = captions.paginate(words=WORDS, max_width=safe, family="Inter", size=size)
    assert sum(len(line) for p in pages for line in p.lines) == len(WORDS)
    for page in pages:
        assert 1 <= len(page.lines) <= 2
        for line in page.lines:
            text = " ".join(WORDS[i].word for i in line)
            assert captions.text_width(text, family="Inter", size=size) <= safe
    assert len(pages) >= 2, "ten words at 81 px cannot fit one 2-line page on 9:16"


def test_long_pause_starts_a_new_page() -> None:
    words = [
        WordTiming(word="one", start_s=0.0, end_s=0.3),
        WordTiming(word="two", start_s=2.0, end_s=2.3),
    ]
    pages = captions.paginate(words=words, max_width=2000, family="Inter", size=40)
    assert [p.lines for p in pages] == [[[0]], [[1]]]


def test_minimal_has_no_highlight_and_none_has_no_captions() -> None:
    minimal = captions.build_ass(
        words=WORDS, style=RenderStyle(caption_style="minimal"), width=1080, height=1080
    )
    events = _dialogues(minimal, "Caption")
    assert events and not any("\\c&H" in e for e in events)
    none = captions.build_ass(
        words=WORDS, style=RenderStyle(caption_style="none"), width=1080, height=1080
    )
    assert _dialogues(none, "Caption") == []


def test_bold_pop_is_upper_case_and_scales_the_current_word() -> None:
    ass = captions.build_ass(
        words=WORDS, style=RenderStyle(caption_style="bold_pop"), width=1920, height=1080
    )
    events = _dialogues(ass, "Caption")
    assert "\\fscx115" in events[0] and "THREE" in events[0]


def test_boxed_uses_an_opaque_box() -> None:
    ass = captions.build_ass(
        words=WORDS, style=RenderStyle(caption_style="boxed"), width=1080, height=1920
    )
    caption_style = next(line for line in ass.splitlines() if line.startswith("Style: Caption"))
    assert caption_style.split(",")[15] == "3"  # BorderStyle 3 = opaque box


@pytest.mark.parametrize(("position", "align"), [("bottom", "2"), ("center", "8"), ("top", "8")])
def test_position_and_safe_margin(position: str, align: str) -> None:
    style = RenderStyle(caption_position=position)  # type: ignore[arg-type]
    ass = captions.build_ass(words=WORDS, style=style, width=1080, height=1920)
    fields = next(line for line in ass.splitlines() if line.startswith("Style: Caption")).split(",")
    assert fields[18] == align
    assert fields[19] == str(round(1080 * 0.08))  # side margin on 9:16
    if position == "bottom":
        assert int(fields[21]) >= 0.2 * 1920, "clear of the platform UI on vertical video"


def test_hook_overlay_shows_first_and_titles_wait_for_it() -> None:
    style = RenderStyle(hook_overlay="3 {money} habits", hook_duration_s=2.0)
    ass = captions.build_ass(
        words=WORDS, style=style, width=1080, height=1920, titles=[(0.0, 4.0, "Tip one")]
    )
    hook = _dialogues(ass, "Hook")
    assert len(hook) == 1 and ",0:00:00.00,0:00:02.00," in hook[0]
    assert "3 (money) habits" in captions.visible_text(ass)[0], "braces escaped"
    title = _dialogues(ass, "Title")
    assert ",0:00:02.00,0:00:04.00," in title[0]
    assert "Tip one" in captions.visible_text(ass)[1]


@pytest.mark.parametrize("family", ["Inter", "Bebas Neue", "No Such Font"])
def test_long_hook_and_titles_are_wrapped_inside_the_frame(family: str) -> None:
    width, height = 1080, 1920
    style = RenderStyle(
        caption_style="boxed",
        font_family=family,
        hook_overlay="Octopuses have three hearts in one small body, and here is why that matters",
    )
    ass = captions.build_ass(
        words=[], style=style, width=width, height=height,
        titles=[(3.0, 6.0, "A surprisingly long on screen title for one scene")],
    )  # fmt: skip
    events = [line for line in ass.splitlines() if line.startswith("Dialogue:")]
    hook = next(e for e in events if ",Hook," in e)
    title = next(e for e in events if ",Title," in e)
    side = round(width * captions.SAFE_MARGINS["9:16"]["side"])
    resolved = captions.font_family(family)
    for event, base in ((hook, round(captions.font_size(style=style, width=width,
                                                         height=height) * 1.25)),
                        (title, round(captions.font_size(style=style, width=width,
                                                         height=height) * 0.9))):  # fmt: skip
        text = event.split(",,", 1)[1].split(",", 3)[-1]
        size_override = re.search(r"\\fs(\d+)", text)
        size = int(size_override.group(1)) if size_override else base
        plain = re.sub(r"\{[^}]*\}", "", text)
        lines = plain.split("\\N")
        assert len(lines) >= 2
        for line in lines:
            assert captions.text_width(line, family=resolved, size=size) <= width - 2 * side


def test_a_spoken_hook_is_shown_once_not_captioned_under_itself() -> None:
    """The narration says the hook: the hook box shows it, the captions start after it."""
    style = RenderStyle(hook_overlay="Three money habits.", hook_duration_s=0.5)
    ass = captions.build_ass(
        words=WORDS, style=style, width=1080, height=1920,
        titles=[(0.0, 2.0, "Three money habits"), (2.0, 4.0, "Your future")],
    )  # fmt: skip
    hook = _dialogues(ass, "Hook")
    # Shown until "habits" (ends 1.1 s) is said, plus the hold, not just 0.5 s.
    assert len(hook) == 1 and ",0:00:00.00,0:00:01.40," in hook[0]
    caption_text = " ".join(captions.visible_text("\n".join(_dialogues(ass, "Caption"))))
    assert "Three" not in caption_text and "habits" not in caption_text
    assert "quietly" in caption_text
    titles = [captions.visible_text(t)[0] for t in _dialogues(ass, "Title")]
    assert titles == ["Your future"], "the title repeating the hook is dropped"


def test_an_unspoken_hook_leaves_the_captions_alone() -> None:
    style = RenderStyle(hook_overlay="Watch this", hook_duration_s=1.0)
    ass = captions.build_ass(words=WORDS, style=style, width=1080, height=1920)
    assert ",0:00:00.00,0:00:01.00," in _dialogues(ass, "Hook")[0]
    assert len(_dialogues(ass, "Caption")) == len(WORDS)
