"""Voice-over providers: ElevenLabs (real word timings) and OpenAI TTS (estimated).

Both return a `TimedVoiceResult`, a `VoiceResult` that also says whether its
word timings were measured by the provider or estimated by us, so captions can
be trusted (or re-aligned) accordingly.
"""

from __future__ import annotations

import base64
import binascii
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

import httpx
from pydantic import BaseModel, Field

from synthora.media import binaries
from synthora.pipeline.contracts import VoiceRequest, VoiceResult, Word
from synthora.pipeline.providers._http import HttpProvider, audio_duration, probe
from synthora.providers_errors import ProviderError

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


# --------------------------------------------------------------------------- ElevenLabs


class ElevenLabsVoiceChoice(BaseModel):
    voice_id: str
    name: str


# Premade voices from ElevenLabs' default library (GET /v1/voices lists them with
# labels). Kept small on purpose: one per gender and tone group.
ELEVENLABS_VOICES: dict[str, dict[ToneGroup, ElevenLabsVoiceChoice]] = {
    "female": {
        "friendly": ElevenLabsVoiceChoice(voice_id="EXAVITQu4vr4xnSDxMaL", name="Sarah"),
        "calm": ElevenLabsVoiceChoice(voice_id="EXAVITQu4vr4xnSDxMaL", name="Sarah"),
        "energetic": ElevenLabsVoiceChoice(voice_id="FGY2WhTYpPnrIDTdsKH5", name="Laura"),
        "professional": ElevenLabsVoiceChoice(voice_id="Xb7hH8MSUJpSbSDYk0k2", name="Alice"),
    },
    "male": {
        "friendly": ElevenLabsVoiceChoice(voice_id="CwhRBWXzGAHq8TQ4Fs17", name="Roger"),
        "calm": ElevenLabsVoiceChoice(voice_id="JBFqnCBsd6RMkjVDRZzb", name="George"),
        "energetic": ElevenLabsVoiceChoice(voice_id="TX3LPaxmHKxFdv7VOQHJ", name="Liam"),
        "professional": ElevenLabsVoiceChoice(voice_id="JBFqnCBsd6RMkjVDRZzb", name="George"),
    },
    "neutral": {
        "friendly": ElevenLabsVoiceChoice(voice_id="SAz9YHcvj6GT2YYXdXww", name="River"),
        "calm": ElevenLabsVoiceChoice(voice_id="SAz9YHcvj6GT2YYXdXww", name="River"),
        "energetic": ElevenLabsVoiceChoice(voice_id="SAz9YHcvj6GT2YYXdXww", name="River"),
        "professional": ElevenLabsVoiceChoice(voice_id="SAz9YHcvj6GT2YYXdXww", name="River"),
    },
}

# ElevenLabs accepts voice_settings.speed in 0.7..1.2 (1.0 normal); requests
# outside are clamped rather than refused.
ELEVENLABS_SPEED_RANGE = (0.7, 1.2)


class _Alignment(BaseModel):
    characters: list[str]
    character_start_times_seconds: list[float]
    character_end_times_seconds: list[float]


class _ElevenLabsTimestamped(BaseModel):
    audio_base64: str = Field(min_length=1)
    alignment: _Alignment | None = None
    normalized_alignment: _Alignment | None = None


class ElevenLabsVoice(HttpProvider):
    """ElevenLabs text-to-speech with character timestamps.

    Calls `POST /v1/text-to-speech/{voice_id}/with-timestamps` (header
    `xi-api-key`), writes the MP3 and turns character timings into word timings.
    """

    name = "elevenlabs"
    default_base_url = "https://api.elevenlabs.io"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model_id: str = "eleven_multilingual_v2",
        output_format: str = "mp3_44100_128",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model_id = model_id
        self.output_format = output_format

    def _auth_headers(self) -> dict[str, str]:
        return {"xi-api-key": self._api_key}

    def error_from_response(self, response: httpx.Response) -> ProviderError:
        # ElevenLabs errors look like {"detail": {"status": "quota_exceeded", "message": ...}}.
        error = super().error_from_response(response)
        if isinstance(error.payload, dict) and isinstance(error.payload.get("detail"), dict):
            status = error.payload["detail"].get("status") or error.payload["detail"].get("code")
            if status and error.code is None:
                error.code = str(status)
        return error

    @staticmethod
    def choose_voice(request: VoiceRequest) -> ElevenLabsVoiceChoice:
        return ELEVENLABS_VOICES[request.gender][tone_group(request.tone)]

    def synthesize(self, *, request: VoiceRequest, out_dir: Path) -> TimedVoiceResult:
        voice = self.choose_voice(request)
        low, high = ELEVENLABS_SPEED_RANGE
        body: dict[str, object] = {
            "text": request.text,
            "model_id": self.model_id,
            "voice_settings": {
                "stability": 0.5,
                "similarity_boost": 0.75,
                "speed": min(high, max(low, request.speed)),
            },
        }
        response = self.request(
            "POST",
            self.url(f"/v1/text-to-speech/{voice.voice_id}/with-timestamps"),
            json_body=body,
            params={"output_format": self.output_format},
        )
        answer = self.parse(_ElevenLabsTimestamped, self.json_object(response))
        try:
            audio = base64.b64decode(answer.audio_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self.invalid("elevenlabs audio_base64 is not valid base64", None) from exc

        out_dir.mkdir(parents=True, exist_ok=True)
        audio_path = out_dir / "voice.mp3"
        audio_path.write_bytes(audio)

        # The original-text alignment keeps the script's spelling ("2024", not
        # "twenty twenty-four"), which is what captions must show.
        alignment = answer.alignment or answer.normalized_alignment
        words: list[Word] = []
        alignment_end = 0.0
        if alignment is not None:
            try:
                words = words_from_alignment(
                    alignment.characters,
                    alignment.character_start_times_seconds,
                    alignment.character_end_times_seconds,
                )
            except ValueError as exc:
                raise self.invalid(f"elevenlabs alignment is inconsistent: {exc}", None) from exc
            alignment_end = max(alignment.character_end_times_seconds, default=0.0)

        measured = probe(audio_path)
        duration = measured.duration_s if measured and measured.duration_s else alignment_end
        if duration <= 0:
            raise self.invalid("elevenlabs audio has no measurable duration", None)
        return TimedVoiceResult(
            audio_path=audio_path,
            format="mp3",
            duration_s=duration,
            words=words,
            provider=self.name,
            voice_id=voice.voice_id,
            words_estimated=False,
            timing_method="elevenlabs-character-alignment",
        )


# --------------------------------------------------------------------------- OpenAI TTS

# Built-in voices of /v1/audio/speech, by gender impression and tone group.
OPENAI_VOICES: dict[str, dict[ToneGroup, str]] = {
    "female": {"friendly": "coral", "calm": "shimmer", "energetic": "nova", "professional": "sage"},
    "male": {"friendly": "ash", "calm": "onyx", "energetic": "echo", "professional": "onyx"},
    "neutral": {
        "friendly": "alloy",
        "calm": "alloy",
        "energetic": "alloy",
        "professional": "alloy",
    },
}

# The API refuses inputs longer than this; longer scripts are sent in chunks.
OPENAI_TTS_MAX_INPUT = 4096


class OpenAITTSVoice(HttpProvider):
    """OpenAI text-to-speech (`POST /v1/audio/speech`).

    The API returns audio only, so word timings are estimated from the measured
    duration (see `estimate_words`) and the result says so (`words_estimated`).
    """

    name = "openai"
    default_base_url = "https://api.openai.com/v1"

    def __init__(
        self,
        *,
        api_key: str,
        client: httpx.Client | None = None,
        base_url: str | None = None,
        model: str = "gpt-4o-mini-tts",
        response_format: Literal["mp3", "wav"] = "mp3",
    ) -> None:
        super().__init__(api_key=api_key, client=client, base_url=base_url)
        self.model = model
        self.response_format = response_format

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    @staticmethod
    def choose_voice(request: VoiceRequest) -> str:
        return OPENAI_VOICES[request.gender][tone_group(request.tone)]

    def _speak(self, *, text: str, voice: str, request: VoiceRequest, out_path: Path) -> None:
        body: dict[str, object] = {
            "model": self.model,
            "input": text,
            "voice": voice,
            "response_format": self.response_format,
            "speed": request.speed,
        }
        if not self.model.startswith("tts-1"):
            # Only gpt-4o-mini-tts understands instructions; tts-1 refuses them.
            body["instructions"] = f"Speak in a {request.tone} tone."
        response = self.request(
            "POST",
            self.url("/audio/speech"),
            json_body=body,
            headers={"Accept": "audio/*"},
        )
        if not response.content:
            raise self.invalid("openai returned empty audio", None)
        out_path.write_bytes(response.content)

    def synthesize(self, *, request: VoiceRequest, out_dir: Path) -> TimedVoiceResult:
        voice = self.choose_voice(request)
        out_dir.mkdir(parents=True, exist_ok=True)
        ext = self.response_format
        audio_path = out_dir / f"voice.{ext}"
        chunks = split_text(request.text, limit=OPENAI_TTS_MAX_INPUT)

        if len(chunks) == 1:
            self._speak(text=chunks[0], voice=voice, request=request, out_path=audio_path)
            duration = audio_duration(audio_path, provider=self.name)
            words = estimate_words(chunks[0], duration_s=duration)
        else:
            words, duration = self._speak_chunks(
                chunks=chunks, voice=voice, request=request, audio_path=audio_path
            )
        return TimedVoiceResult(
            audio_path=audio_path,
            format=ext,
            duration_s=duration,
            words=words,
            provider=self.name,
            voice_id=voice,
            words_estimated=True,
            timing_method="syllable-proportional-estimate",
        )

    def _speak_chunks(
        self, *, chunks: list[str], voice: str, request: VoiceRequest, audio_path: Path
    ) -> tuple[list[Word], float]:
        """Synthesize each chunk, estimate its words on its own measured duration
        (so errors do not accumulate across chunks), then join the audio."""
        ffmpeg = binaries.ffmpeg_path()
        if ffmpeg is None:
            raise ProviderError(
                "openai: the script is longer than one request and ffmpeg is not installed",
                provider=self.name,
                code="ffmpeg_missing",
            )
        words: list[Word] = []
        offset = 0.0
        with tempfile.TemporaryDirectory(dir=audio_path.parent) as tmp:
            parts: list[Path] = []
            for index, chunk in enumerate(chunks):
                part = Path(tmp) / f"part{index:03d}.{self.response_format}"
                self._speak(text=chunk, voice=voice, request=request, out_path=part)
                length = audio_duration(part, provider=self.name)
                words.extend(estimate_words(chunk, duration_s=length, offset_s=offset))
                offset += length
                parts.append(part)
            listing = Path(tmp) / "parts.txt"
            listing.write_text("".join(f"file '{p.name}'\n" for p in parts))
            result = subprocess.run(
                [
                    *(ffmpeg, "-v", "error", "-y", "-f", "concat", "-safe", "0"),
                    *("-i", str(listing), "-c", "copy", str(audio_path)),
                ],
                capture_output=True,
                check=False,
                timeout=120,
            )
            if result.returncode != 0:
                raise ProviderError(
                    "openai: joining the audio chunks failed",
                    provider=self.name,
                    code="concat_failed",
                    payload=result.stderr.decode(errors="replace")[-2000:],
                )
        return words, audio_duration(audio_path, provider=self.name)
