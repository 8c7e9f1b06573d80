"""ElevenLabs: Voice-over with character timestamps (text-to-speech with-timestamps).

Runs voice: the client below; documented request/response shapes are tested in
tests/providers/test_voice.py.

Key check: GET https://api.elevenlabs.io/v1/user: Returns the account and its
subscription (tier, characters used and allowed). A scoped key without
`user_read` is reported as forbidden.

Documentation: https://elevenlabs.io/docs/api-reference/authentication
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field

from synthora.providers.base import (
    AuthMethod,
    AuthSpec,
    Capability,
    IntegrationCategory,
    ProviderDeclaration,
    Runs,
    ValidationEndpoint,
)
from synthora.providers.contracts import VoiceRequest, Word
from synthora.providers.errors import ProviderError
from synthora.providers.http import HttpProvider, probe
from synthora.providers.keycheck import (
    HttpValidator,
    Outcome,
    header_probe,
    pick_details,
)
from synthora.providers.speech import TimedVoiceResult, ToneGroup, tone_group, words_from_alignment

ID = "elevenlabs"
DISPLAY_NAME = "ElevenLabs"


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

    name = ID
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


# --------------------------------------------------------------------------- key check


def _inspect_elevenlabs(response: httpx.Response, body: Any) -> Outcome | None:
    # Scoped keys without `user_read` get 401 "missing_permissions": the key itself works.
    if response.status_code == 401 and isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, dict) and detail.get("status") == "missing_permissions":
            return Outcome("forbidden")
    return None


def _elevenlabs_details(response: httpx.Response, body: Any) -> dict[str, Any]:
    # The /v1/user body can echo the key (`xi_api_key`); only named fields are copied.
    return pick_details(
        body,
        ("subscription.tier", "tier"),
        ("subscription.character_count", "character_count"),
        ("subscription.character_limit", "character_limit"),
    )


# --------------------------------------------------------------------------- clients


def _voice(
    api_key: str, client: httpx.Client | None = None, options: Mapping[str, str] | None = None
) -> ElevenLabsVoice:
    return ElevenLabsVoice(api_key=api_key, client=client)


# --------------------------------------------------------------------------- declaration

DECLARATION = ProviderDeclaration(
    id=ID,
    display_name=DISPLAY_NAME,
    category=IntegrationCategory.VOICE,
    auth=AuthSpec(method=AuthMethod.HEADER, header_name="xi-api-key"),
    docs_url="https://elevenlabs.io/docs/api-reference/authentication",
    keys_url="https://elevenlabs.io/app/settings/api-keys",
    used_for="Voice-over with character timestamps (text-to-speech with-timestamps).",
    key_check=ValidationEndpoint(
        method="GET",
        url="https://api.elevenlabs.io/v1/user",
        description="Returns the account and its subscription (tier, characters used "
        "and allowed). A scoped key without `user_read` is reported as forbidden.",
        dedicated=True,
    ),
    validator=HttpValidator(
        provider=ID,
        build=header_probe("https://api.elevenlabs.io/v1/user", "xi-api-key"),
        inspect=_inspect_elevenlabs,
        extract=_elevenlabs_details,
    ),
    capabilities={Capability.VOICE: Runs(client=_voice, tests="tests/providers/test_voice.py")},
)
