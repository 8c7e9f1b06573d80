"""Shared plumbing of the voice clients.

Word timings from alignments (or estimated), text splitting, tone groups.

Moved out of the former `pipeline/providers/voice.py`; the provider modules use it.
"""

from __future__ import annotations

import re
from typing import Literal

from synthora.providers.contracts import VoiceResult, Word

ToneGroup = Literal["friendly", "energetic", "calm", "professional"]


class TimedVoiceResult(VoiceResult):
    """A VoiceResult that records how its word timings were obtained."""

    words_estimated: bool = False
    timing_method: str = "provider"


# Free-form tones from templates, folded into the few groups the voice tables know.
_TONE_GROUPS: dict[str, ToneGroup] = {
    "energetic": "energetic",
    "excited": "energetic",
    "upbeat": "energetic",
    "enthusiastic": "energetic",
    "playful": "energetic",
    "fun": "energetic",
    "hype": "energetic",
    "calm": "calm",
    "soft": "calm",
    "gentle": "calm",
    "relaxed": "calm",
    "soothing": "calm",
    "warm": "calm",
    "professional": "professional",
    "authoritative": "professional",
    "serious": "professional",
    "formal": "professional",
    "informative": "professional",
    "educational": "professional",
    "news": "professional",
}


def tone_group(tone: str) -> ToneGroup:
    """Fold a free-form tone ("Upbeat and fun") into a tone group; friendly by default."""
    for token in re.findall(r"[a-z]+", tone.lower()):
        if token in _TONE_GROUPS:
            return _TONE_GROUPS[token]
    return "friendly"


# --------------------------------------------------------------------------- text helpers

_WORD_CHAR = re.compile(r"\w", re.UNICODE)


def _is_spoken(token: str) -> bool:
    """A token with at least one letter or digit; lone dashes or ellipses are not words."""
    return bool(_WORD_CHAR.search(token))


def words_from_alignment(
    characters: list[str], starts: list[float], ends: list[float]
) -> list[Word]:
    """Group ElevenLabs character timings into word timings.

    A word is a maximal run of non-whitespace characters; it starts when its
    first character starts and ends when its last character ends. Punctuation
    stays attached to its word ("world!"), tokens without any letter or digit
    (a lone "-" or "...") are dropped because nothing is spoken for them.
    """
    if not (len(characters) == len(starts) == len(ends)):
        raise ValueError("alignment arrays differ in length")
    words: list[Word] = []
    text: list[str] = []
    first = last = 0.0

    def flush() -> None:
        token = "".join(text)
        if token and _is_spoken(token):
            start = max(0.0, first)
            words.append(Word(word=token, start_s=start, end_s=max(start, last)))
        text.clear()

    for char, start, end in zip(characters, starts, ends, strict=True):
        if not char or char.isspace():
            flush()
            continue
        if not text:
            first = float(start)
        text.append(char)
        last = float(end)
    flush()
    return words


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """A rough English syllable count (vowel groups, silent final e), at least 1.

    Digits count one syllable each ("2024" reads as about four); non-Latin
    scripts fall back to one syllable per two letters.
    """
    lowered = word.lower()
    letters = re.sub(r"[^a-z]", "", lowered)
    digits = sum(ch.isdigit() for ch in lowered)
    if letters:
        count = len(_VOWEL_GROUPS.findall(letters))
        if letters.endswith("e") and not letters.endswith(("le", "ee")) and count > 1:
            count -= 1
        return max(1, count) + digits
    if digits:
        return digits
    others = sum(ch.isalpha() for ch in lowered)
    return max(1, (others + 1) // 2)


# Pauses after punctuation, in syllable units: a comma is about half a syllable
# of silence, a full stop about a syllable.
_PAUSE_AFTER = {",": 0.5, ";": 0.75, ":": 0.75, ".": 1.0, "!": 1.0, "?": 1.0}


def estimate_words(text: str, *, duration_s: float, offset_s: float = 0.0) -> list[Word]:
    """Spread `duration_s` of speech over the words of `text`, deterministically.

    Each word gets time proportional to its syllable count; punctuation that
    ends a word adds a pause after it (see `_PAUSE_AFTER`). Used for providers
    that return audio without timings (OpenAI TTS); the result is an estimate.
    """
    tokens = [t for t in text.split() if _is_spoken(t)]
    if not tokens or duration_s <= 0:
        return []
    weights = [float(syllables(t)) for t in tokens]
    pauses = [_PAUSE_AFTER.get(t.rstrip("\"')]\u201d\u2019")[-1:], 0.0) for t in tokens]
    pauses[-1] = 0.0  # trailing silence is not a pause between words
    unit = duration_s / (sum(weights) + sum(pauses))
    words: list[Word] = []
    cursor = 0.0
    for token, weight, pause in zip(tokens, weights, pauses, strict=True):
        start = cursor
        cursor += weight * unit
        words.append(
            Word(word=token, start_s=round(offset_s + start, 3), end_s=round(offset_s + cursor, 3))
        )
        cursor += pause * unit
    return words


def split_text(text: str, *, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` characters at sentence (then word) ends."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text]
    sentences = re.split(r"(?<=[.!?])\s+", text)
    chunks: list[str] = []
    current = ""
    for sentence in sentences:
        pieces = [sentence]
        if len(sentence) > limit:  # a very long sentence: cut at word boundaries
            pieces, piece = [], ""
            for word in sentence.split(" "):
                candidate = f"{piece} {word}".strip()
                if len(candidate) > limit and piece:
                    pieces.append(piece)
                    piece = word[:limit]
                else:
                    piece = candidate[:limit]
            if piece:
                pieces.append(piece)
        for piece in pieces:
            candidate = f"{current} {piece}".strip()
            if len(candidate) > limit and current:
                chunks.append(current)
                current = piece
            else:
                current = candidate
    if current:
        chunks.append(current)
    return chunks
