"""Voice providers: ElevenLabs (character alignment) and OpenAI TTS (estimated timings)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
import respx

from synthora.providers.contracts import VoiceRequest, Word
from synthora.providers.elevenlabs import ELEVENLABS_VOICES, ElevenLabsVoice
from synthora.providers.errors import ProviderError
from synthora.providers.openai import OPENAI_TTS_MAX_INPUT, OpenAITTSVoice
from synthora.providers.speech import (
    estimate_words,
    split_text,
    syllables,
    tone_group,
    words_from_alignment,
)

from .conftest import needs_ffmpeg

EL_KEY = "el-test-key-123"
OA_KEY = "sk-test-abcdefghijklmnopqrstuvwxyz"
EL_URL = "https://api.elevenlabs.io/v1/text-to-speech/{voice}/with-timestamps"
OA_URL = "https://api.openai.com/v1/audio/speech"


def alignment_for(text: str, *, char_s: float = 0.1, space_s: float = 0.05) -> dict[str, list]:
    """An ElevenLabs-shaped alignment: each character `char_s`, each space `space_s`."""
    chars, starts, ends, t = [], [], [], 0.0
    for ch in text:
        length = space_s if ch == " " else char_s
        chars.append(ch)
        starts.append(round(t, 3))
        t += length
        ends.append(round(t, 3))
    return {
        "characters": chars,
        "character_start_times_seconds": starts,
        "character_end_times_seconds": ends,
    }


# --------------------------------------------------------------------------- alignment


def test_words_from_alignment_groups_characters_into_words() -> None:
    a = alignment_for("Hi, you - there!")
    words = words_from_alignment(
        a["characters"], a["character_start_times_seconds"], a["character_end_times_seconds"]
    )
    # "Hi," = 3 chars from 0.0 to 0.3; space 0.05; "you" 0.35..0.65; " - " dropped
    # (the dash is spoken as nothing) but its time still passes; "there!" follows.
    assert [w.word for w in words] == ["Hi,", "you", "there!"]
    assert words[0] == Word(word="Hi,", start_s=0.0, end_s=0.3)
    assert words[1].start_s == pytest.approx(0.35)
    assert words[1].end_s == pytest.approx(0.65)
    assert words[2].start_s == pytest.approx(0.65 + 0.05 + 0.1 + 0.05)
    assert words[2].end_s == pytest.approx(words[2].start_s + 0.6)


def test_words_from_alignment_handles_newlines_and_repeated_spaces() -> None:
    chars = list("a\n\nb  c")
    starts = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    ends = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    words = words_from_alignment(chars, starts, ends)
    assert [(w.word, w.start_s, w.end_s) for w in words] == [
        ("a", 0.0, 0.1),
        ("b", 0.3, 0.4),
        ("c", 0.6, 0.7),
    ]


def test_words_from_alignment_rejects_mismatched_arrays() -> None:
    with pytest.raises(ValueError):
        words_from_alignment(["a", "b"], [0.0], [0.1, 0.2])


# --------------------------------------------------------------------------- voice choice


@pytest.mark.parametrize(
    ("gender", "tone", "voice_id"),
    [
        ("female", "friendly", "EXAVITQu4vr4xnSDxMaL"),
        ("female", "Upbeat and fun", "FGY2WhTYpPnrIDTdsKH5"),
        ("female", "professional", "Xb7hH8MSUJpSbSDYk0k2"),
        ("male", "friendly", "CwhRBWXzGAHq8TQ4Fs17"),
        ("male", "energetic", "TX3LPaxmHKxFdv7VOQHJ"),
        ("male", "calm", "JBFqnCBsd6RMkjVDRZzb"),
        ("neutral", "serious", "SAz9YHcvj6GT2YYXdXww"),
    ],
)
def test_elevenlabs_voice_follows_gender_and_tone(gender: str, tone: str, voice_id: str) -> None:
    request = VoiceRequest(text="x", gender=gender, tone=tone)  # type: ignore[arg-type]
    assert ElevenLabsVoice.choose_voice(request).voice_id == voice_id


def test_tone_groups_default_to_friendly() -> None:
    assert tone_group("whimsical") == "friendly"
    assert tone_group("CALM, soothing") == "calm"
    assert set(ELEVENLABS_VOICES) == {"female", "male", "neutral"}


# --------------------------------------------------------------------------- ElevenLabs


@needs_ffmpeg
def test_elevenlabs_synthesizes_with_word_timings(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, mp3_1500ms: bytes
) -> None:
    text = "Hello brave world."
    alignment = alignment_for(text, char_s=0.08)
    route = respx_mock.post(EL_URL.format(voice="CwhRBWXzGAHq8TQ4Fs17")).mock(
        return_value=httpx.Response(
            200,
            json={
                "audio_base64": base64.b64encode(mp3_1500ms).decode(),
                "alignment": alignment,
                "normalized_alignment": alignment,
            },
        )
    )
    provider = ElevenLabsVoice(api_key=EL_KEY, client=client)
    result = provider.synthesize(
        request=VoiceRequest(text=text, gender="male", tone="friendly", speed=1.5),
        out_dir=tmp_path / "voice",
    )

    sent = route.calls.last.request
    assert sent.method == "POST"
    assert sent.headers["xi-api-key"] == EL_KEY
    assert sent.url.params["output_format"] == "mp3_44100_128"
    body = json.loads(sent.content)
    assert body["text"] == text
    assert body["model_id"] == "eleven_multilingual_v2"
    assert body["voice_settings"]["speed"] == 1.2  # clamped to ElevenLabs' 0.7..1.2

    assert result.audio_path.read_bytes() == mp3_1500ms
    assert result.format == "mp3"
    assert result.provider == "elevenlabs"
    assert result.voice_id == "CwhRBWXzGAHq8TQ4Fs17"
    assert result.duration_s == pytest.approx(1.5, abs=0.1)  # measured by ffprobe
    assert [w.word for w in result.words] == ["Hello", "brave", "world."]
    assert result.words[1].start_s == pytest.approx(5 * 0.08 + 0.05)
    assert result.words_estimated is False


def test_elevenlabs_rejects_undecodable_audio(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    respx_mock.post(EL_URL.format(voice="EXAVITQu4vr4xnSDxMaL")).mock(
        return_value=httpx.Response(200, json={"audio_base64": "@@not base64@@"})
    )
    provider = ElevenLabsVoice(api_key=EL_KEY, client=client)
    with pytest.raises(ProviderError) as caught:
        provider.synthesize(request=VoiceRequest(text="hi", gender="female"), out_dir=tmp_path)
    assert caught.value.code == "invalid_response"
    assert not caught.value.transient


def test_elevenlabs_error_keeps_detail_status_as_code(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path
) -> None:
    payload = {"detail": {"status": "quota_exceeded", "message": "You have 12 credits left."}}
    respx_mock.post(EL_URL.format(voice="SAz9YHcvj6GT2YYXdXww")).mock(
        return_value=httpx.Response(401, json=payload)
    )
    provider = ElevenLabsVoice(api_key=EL_KEY, client=client)
    with pytest.raises(ProviderError) as caught:
        provider.synthesize(request=VoiceRequest(text="hi"), out_dir=tmp_path)
    assert caught.value.code == "quota_exceeded"
    assert caught.value.message == "You have 12 credits left."
    assert caught.value.payload == payload
    assert EL_KEY not in repr(provider)


# --------------------------------------------------------------------------- estimates


@pytest.mark.parametrize(
    ("word", "count"),
    [("a", 1), ("hello", 2), ("make", 1), ("table", 2), ("beautiful", 3), ("2024", 4), ("—", 1)],
)
def test_syllable_estimate(word: str, count: int) -> None:
    assert syllables(word) == count


def test_estimate_words_is_proportional_and_deterministic() -> None:
    # "Hello," = 2 syllables + 0.5 pause, "big" = 1, "world." = 1 (final pause dropped):
    # 4.5 units over 4.5 s -> one unit per second.
    words = estimate_words("Hello, big world.", duration_s=4.5, offset_s=10.0)
    assert [(w.word, w.start_s, w.end_s) for w in words] == [
        ("Hello,", 10.0, 12.0),
        ("big", 12.5, 13.5),
        ("world.", 13.5, 14.5),
    ]
    assert estimate_words("Hello, big world.", duration_s=4.5, offset_s=10.0) == words
    assert estimate_words("  ", duration_s=3) == []


def test_split_text_respects_limit_and_sentences() -> None:
    text = "One two three. Four five six. " * 20
    chunks = split_text(text, limit=40)
    assert all(len(c) <= 40 for c in chunks)
    assert " ".join(chunks).split() == text.split()
    assert chunks[0].endswith(".")


# --------------------------------------------------------------------------- OpenAI TTS


@needs_ffmpeg
def test_openai_tts_estimates_word_timings_over_measured_duration(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, mp3_1500ms: bytes
) -> None:
    route = respx_mock.post(OA_URL).mock(
        return_value=httpx.Response(200, content=mp3_1500ms, headers={"Content-Type": "audio/mpeg"})
    )
    provider = OpenAITTSVoice(api_key=OA_KEY, client=client)
    result = provider.synthesize(
        request=VoiceRequest(text="Welcome to the show.", gender="female", tone="calm", speed=1.25),
        out_dir=tmp_path,
    )
    sent = route.calls.last.request
    assert sent.headers["Authorization"] == f"Bearer {OA_KEY}"
    body = json.loads(sent.content)
    assert body == {
        "model": "gpt-4o-mini-tts",
        "input": "Welcome to the show.",
        "voice": "shimmer",
        "response_format": "mp3",
        "speed": 1.25,
        "instructions": "Speak in a calm tone.",
    }
    assert result.provider == "openai"
    assert result.voice_id == "shimmer"
    assert result.words_estimated is True
    assert result.duration_s == pytest.approx(1.5, abs=0.1)
    assert [w.word for w in result.words] == ["Welcome", "to", "the", "show."]
    assert result.words[0].start_s == 0.0
    assert result.words[-1].end_s == pytest.approx(result.duration_s, abs=0.01)
    starts = [w.start_s for w in result.words]
    assert starts == sorted(starts)


@needs_ffmpeg
def test_openai_tts1_gets_no_instructions_and_wav(
    respx_mock: respx.MockRouter, client: httpx.Client, tmp_path: Path, mp3_1500ms: bytes
) -> None:
    route = respx_mock.post(OA_URL).mock(return_value=httpx.Response(200, content=mp3_1500ms))
    provider = OpenAITTSVoice(api_key=OA_KEY, client=client, model="tts-1", response_format="wav")
    result = provider.synthesize(request=VoiceRequest(text="Hi there"), out_dir=tmp_path)
    body = json.loads(route.calls.last.request.content)
    assert "instructions" not in body
    assert body["response_format"] == "wav"
    assert body["voice"] == "alloy"
    assert result.format == "wav"
    assert result.audio_path.suffix == ".wav"


@needs_ffmpeg
def test_openai_long_scripts_are_sent_in_chunks_and_joined(
    respx_mock: respx.MockRouter,
    client: httpx.Client,
    tmp_path: Path,
    mp3_1500ms: bytes,
    mp3_1000ms: bytes,
) -> None:
    sentence = "This sentence is here to make the script long enough. "
    text = sentence * (OPENAI_TTS_MAX_INPUT // len(sentence) + 5)
    route = respx_mock.post(OA_URL).mock(
        side_effect=[
            httpx.Response(200, content=mp3_1500ms),
            httpx.Response(200, content=mp3_1000ms),
        ]
    )
    provider = OpenAITTSVoice(api_key=OA_KEY, client=client)
    result = provider.synthesize(request=VoiceRequest(text=text), out_dir=tmp_path)
    assert route.call_count == 2
    inputs = [json.loads(c.request.content)["input"] for c in route.calls]
    assert all(len(i) <= OPENAI_TTS_MAX_INPUT for i in inputs)
    assert result.duration_s == pytest.approx(2.5, abs=0.15)
    assert len(result.words) == len(text.split())
    # The second chunk's words start after the first chunk's audio.
    first_chunk_words = len(inputs[0].split())
    assert result.words[first_chunk_words].start_s == pytest.approx(1.5, abs=0.1)
    assert result.words[-1].end_s <= result.duration_s + 0.01
