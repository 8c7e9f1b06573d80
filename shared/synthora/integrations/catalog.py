"""The catalogue of the 19 providers a user can connect, one `ProviderInfo` each.

The catalogue is static data: the integrations API lists it, the pipeline picks
providers per step from it, and the validators read how each one
authenticates. No provider is required to generate a video: every step but the
optional video-AI step has an offline provider (`OFFLINE_FALLBACKS`).

Decisions recorded here:

- OpenAI is a script provider whose key also drives OpenAI TTS, so its
  secondary category is `voice`. Sora is listed as its own provider (same kind
  of OpenAI key) because users enable it separately and its validator checks
  access to the Sora model, not just the key.
- Google Veo is reached with a Gemini API (Generative Language API) key.
- Remotion has no hosted API of its own: the cloud renderer is Remotion Lambda
  in the user's AWS account, so the credential is an AWS key pair and only the
  pair itself can be checked (AWS STS), not the deployed Lambda function.
- FFmpeg is local and needs no key; its "validation" checks the binary.
- Key-format regexes are given only where the provider documents a format;
  they are for early client-side hints, never a reason to skip the real check.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class IntegrationCategory(StrEnum):
    """The pipeline step a provider serves."""

    SCRIPT = "script"
    VOICE = "voice"
    MEDIA = "media"
    VIDEO_AI = "video_ai"
    ASSEMBLY = "assembly"


class Provider(StrEnum):
    """Stable provider ids, stored in `users/{uid}/integrations` documents."""

    OPENAI = "openai"
    ELEVENLABS = "elevenlabs"
    PEXELS = "pexels"
    UNSPLASH = "unsplash"
    RUNWAY = "runway"
    SORA = "sora"
    VEO = "veo"
    LUMA = "luma"
    IMAGINEART = "imagineart"
    PIXVERSE = "pixverse"
    SEEDANCE = "seedance"
    WAN = "wan"
    HAILUO = "hailuo"
    LTX = "ltx"
    FFMPEG = "ffmpeg"
    CREATOMATE = "creatomate"
    SHOTSTACK = "shotstack"
    REMOTION = "remotion"
    EDITFRAME = "editframe"


class AuthMethod(StrEnum):
    """How a credential is presented to the provider."""

    BEARER = "bearer"  # Authorization: Bearer KEY
    HEADER = "header"  # KEY (optionally after a scheme) in a named header
    KEY_SECRET = "key_secret"  # an id + secret pair (request signing)
    NONE = "none"  # local tool, nothing to store


#: What runs when the user has no integration for a step. Video AI has no
#: fallback because the step itself is optional.
OFFLINE_FALLBACKS: MappingProxyType[IntegrationCategory, str | None] = MappingProxyType(
    {
        IntegrationCategory.SCRIPT: "template writer",
        IntegrationCategory.VOICE: "piper/espeak-ng",
        IntegrationCategory.MEDIA: "generated backgrounds",
        IntegrationCategory.VIDEO_AI: None,
        IntegrationCategory.ASSEMBLY: "ffmpeg (local)",
    }
)


class AuthSpec(BaseModel):
    """How the stored credential is sent."""

    model_config = ConfigDict(frozen=True)

    method: AuthMethod
    header_name: str | None = Field(
        default=None, description="Header carrying the credential, e.g. `Authorization`."
    )
    scheme: str | None = Field(
        default=None, description="Text before the key in the header, e.g. `Bearer`, `Client-ID`."
    )
    notes: str | None = None


class KeyFormat(BaseModel):
    """A documented key shape, for an early hint before the network check."""

    model_config = ConfigDict(frozen=True)

    pattern: str = Field(description="Full-match regular expression.")
    description: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    def matches(self, key: str) -> bool:
        return re.fullmatch(self.pattern, key) is not None


class ValidationEndpoint(BaseModel):
    """What the validator calls, and how honest a check it is."""

    model_config = ConfigDict(frozen=True)

    method: Literal["GET", "POST", "LOCAL"]
    url: str
    description: str
    dedicated: bool = Field(
        description="True when the provider documents the call as an account/key check; "
        "False when it is the cheapest authenticated call available instead."
    )


class ProviderInfo(BaseModel):
    """One provider in the catalogue."""

    model_config = ConfigDict(frozen=True)

    id: Provider
    display_name: str
    category: IntegrationCategory
    secondary_categories: tuple[IntegrationCategory, ...] = ()
    auth: AuthSpec
    docs_url: str
    keys_url: str | None = Field(default=None, description="Where the user creates a key.")
    used_for: str
    key_format: KeyFormat | None = None
    validation: ValidationEndpoint
    required_for_generation: bool = False
    offline_fallback: str | None = Field(
        default=None, description="Offline provider used for this category when not configured."
    )

    @field_validator("docs_url", "keys_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("provider links must be https URLs")
        return value

    @property
    def categories(self) -> tuple[IntegrationCategory, ...]:
        """Primary category first, then the secondary ones."""
        return (self.category, *self.secondary_categories)

    @property
    def needs_key(self) -> bool:
        return self.auth.method is not AuthMethod.NONE


def _bearer(notes: str | None = None) -> AuthSpec:
    return AuthSpec(
        method=AuthMethod.BEARER, header_name="Authorization", scheme="Bearer", notes=notes
    )


def _info(**values: object) -> ProviderInfo:
    category = values["category"]
    assert isinstance(category, IntegrationCategory)
    values.setdefault("offline_fallback", OFFLINE_FALLBACKS[category])
    return ProviderInfo.model_validate(values)


_OPENAI_KEY = KeyFormat(
    pattern=r"sk-[A-Za-z0-9_\-]{20,}",
    description="Secret keys start with `sk-` (project keys `sk-proj-`).",
)

_CATALOG: tuple[ProviderInfo, ...] = (
    _info(
        id=Provider.OPENAI,
        display_name="OpenAI",
        category=IntegrationCategory.SCRIPT,
        secondary_categories=(IntegrationCategory.VOICE,),
        auth=_bearer(),
        docs_url="https://platform.openai.com/docs/api-reference/authentication",
        keys_url="https://platform.openai.com/api-keys",
        used_for="Writes scripts (chat completions); the same key drives OpenAI TTS voices.",
        key_format=_OPENAI_KEY,
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.openai.com/v1/models",
            description="Lists the models the key can use; free.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.ELEVENLABS,
        display_name="ElevenLabs",
        category=IntegrationCategory.VOICE,
        auth=AuthSpec(method=AuthMethod.HEADER, header_name="xi-api-key"),
        docs_url="https://elevenlabs.io/docs/api-reference/authentication",
        keys_url="https://elevenlabs.io/app/settings/api-keys",
        used_for="Voice-over with character timestamps (text-to-speech with-timestamps).",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.elevenlabs.io/v1/user",
            description="Returns the account and its subscription (tier, characters used "
            "and allowed). A scoped key without `user_read` is reported as forbidden.",
            dedicated=True,
        ),
    ),
    _info(
        id=Provider.PEXELS,
        display_name="Pexels",
        category=IntegrationCategory.MEDIA,
        auth=AuthSpec(
            method=AuthMethod.HEADER,
            header_name="Authorization",
            notes="The bare key, no scheme.",
        ),
        docs_url="https://www.pexels.com/api/documentation/",
        keys_url="https://www.pexels.com/api/new/",
        used_for="Stock photos and videos for scenes.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.pexels.com/v1/search?query=nature&per_page=1",
            description="A one-result photo search; the X-Ratelimit-* headers give the quota.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.UNSPLASH,
        display_name="Unsplash",
        category=IntegrationCategory.MEDIA,
        auth=AuthSpec(
            method=AuthMethod.HEADER,
            header_name="Authorization",
            scheme="Client-ID",
            notes="The application's Access Key.",
        ),
        docs_url="https://unsplash.com/documentation",
        keys_url="https://unsplash.com/oauth/applications",
        used_for="Stock photos for scenes.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.unsplash.com/photos?per_page=1",
            description="Lists one editorial photo; X-Ratelimit-* headers give the hourly quota.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.RUNWAY,
        display_name="Runway",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer("Every request also sends `X-Runway-Version: 2024-11-06`."),
        docs_url="https://docs.dev.runwayml.com/",
        keys_url="https://dev.runwayml.com/",
        used_for="Text/image-to-video clips (Gen-4 family).",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.dev.runwayml.com/v1/organization",
            description="Returns the organization's tier and credit balance; free.",
            dedicated=True,
        ),
    ),
    _info(
        id=Provider.SORA,
        display_name="OpenAI Sora",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer("An OpenAI API key; the organization must have Sora access."),
        docs_url="https://platform.openai.com/docs/guides/video-generation",
        keys_url="https://platform.openai.com/api-keys",
        used_for="Text/image-to-video clips through the OpenAI Videos API.",
        key_format=_OPENAI_KEY,
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.openai.com/v1/models/sora-2",
            description="Retrieves the Sora model: 200 means the key works and has access, "
            "404 means the key works but the organization has no Sora access (forbidden).",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.VEO,
        display_name="Google Veo",
        category=IntegrationCategory.VIDEO_AI,
        auth=AuthSpec(
            method=AuthMethod.HEADER,
            header_name="x-goog-api-key",
            notes="A Gemini API (Generative Language API) key from Google AI Studio.",
        ),
        docs_url="https://ai.google.dev/gemini-api/docs/video",
        keys_url="https://aistudio.google.com/apikey",
        used_for="Text/image-to-video clips with Veo models.",
        key_format=KeyFormat(
            pattern=r"AIza[0-9A-Za-z_\-]{35}", description="Google API keys start with `AIza`."
        ),
        validation=ValidationEndpoint(
            method="GET",
            url="https://generativelanguage.googleapis.com/v1beta/models",
            description="Lists the models the key can call; Google answers an unknown key with "
            "400 API_KEY_INVALID, which is reported as invalid.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.LUMA,
        display_name="Luma Dream Machine",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer(),
        docs_url="https://docs.lumalabs.ai/docs/api",
        keys_url="https://lumalabs.ai/dream-machine/api/keys",
        used_for="Text/image-to-video clips (Ray models).",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.lumalabs.ai/dream-machine/v1/credits",
            description="Returns the account's credit balance; free.",
            dedicated=True,
        ),
    ),
    _info(
        id=Provider.IMAGINEART,
        display_name="ImagineArt",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer("Vyro AI platform key."),
        docs_url="https://reference.imagine.art/",
        keys_url="https://platform.imagine.art/",
        used_for="Text/image-to-video clips and generated stills.",
        key_format=KeyFormat(pattern=r"vk-[A-Za-z0-9]{20,}", description="Keys start with `vk-`."),
        validation=ValidationEndpoint(
            method="POST",
            url="https://api.vyro.ai/v2/image/generations",
            description="No key-check or read endpoint is documented: the validator posts an "
            "empty form, which a valid key gets refused as 400/422 (nothing generated, "
            "nothing billed) and an unknown key gets 401.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.PIXVERSE,
        display_name="PixVerse",
        category=IntegrationCategory.VIDEO_AI,
        auth=AuthSpec(
            method=AuthMethod.HEADER,
            header_name="API-KEY",
            notes="Every request also sends a fresh UUID in `Ai-trace-id`.",
        ),
        docs_url="https://docs.platform.pixverse.ai/",
        keys_url="https://platform.pixverse.ai/",
        used_for="Text/image-to-video clips.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://app-api.pixverse.ai/openapi/v2/account/balance",
            description="Returns the account's monthly and package credits; errors come as a "
            "non-zero `ErrCode` in the body.",
            dedicated=True,
        ),
    ),
    _info(
        id=Provider.SEEDANCE,
        display_name="Seedance (BytePlus ModelArk)",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer("A BytePlus ModelArk API key."),
        docs_url="https://docs.byteplus.com/en/docs/ModelArk/1520757",
        keys_url="https://console.byteplus.com/ark/region:ark+ap-southeast-1/apiKey",
        used_for="Text/image-to-video clips with ByteDance Seedance models.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://ark.ap-southeast.bytepluses.com/api/v3/contents/generations/tasks"
            "?page_num=1&page_size=1",
            description="No key-check endpoint: lists at most one video task (read-only, free).",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.WAN,
        display_name="Wan (Alibaba Model Studio)",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer("A Model Studio (DashScope) API key; international region by default."),
        docs_url="https://www.alibabacloud.com/help/en/model-studio/",
        keys_url="https://modelstudio.console.alibabacloud.com/",
        used_for="Text/image-to-video clips with Wan models.",
        key_format=KeyFormat(pattern=r"sk-[A-Za-z0-9]{20,}", description="Keys start with `sk-`."),
        validation=ValidationEndpoint(
            method="GET",
            url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1/models",
            description="No key-check endpoint: lists models through the OpenAI-compatible "
            "API (free). Option `region=cn` uses dashscope.aliyuncs.com.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.HAILUO,
        display_name="Hailuo (MiniMax)",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer("A MiniMax platform API key; international platform by default."),
        docs_url="https://platform.minimax.io/docs/api-reference/video-generation-intro",
        keys_url="https://platform.minimax.io/user-center/basic-information/interface-key",
        used_for="Text/image-to-video clips with Hailuo models.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.minimax.io/v2/query/video_generation?page_num=1&page_size=1",
            description="No key-check endpoint: lists at most one video task. MiniMax reports "
            "errors as HTTP 200 with `base_resp.status_code` (1004/2049 = bad key).",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.LTX,
        display_name="LTX (Lightricks)",
        category=IntegrationCategory.VIDEO_AI,
        auth=_bearer(),
        docs_url="https://docs.ltx.video/",
        keys_url="https://console.ltx.video/",
        used_for="Text/image-to-video clips with LTX-2 models.",
        validation=ValidationEndpoint(
            method="POST",
            url="https://api.ltx.video/v1/text-to-video",
            description="The API has only generation endpoints (no GET): the validator posts an "
            "empty JSON body, refused as 400/422 for a valid key before anything is rendered "
            "or billed, 401 for an unknown key.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.FFMPEG,
        display_name="FFmpeg (local)",
        category=IntegrationCategory.ASSEMBLY,
        auth=AuthSpec(method=AuthMethod.NONE, notes="Runs on the worker; no key."),
        docs_url="https://ffmpeg.org/ffmpeg-filters.html",
        used_for="Assembles the final MP4: scenes, transitions, burned captions, music "
        "ducking, loudness normalisation, H.264 encode.",
        validation=ValidationEndpoint(
            method="LOCAL",
            url="ffmpeg -hide_banner -filters / -encoders",
            description="Checks the binary runs and has xfade, ass, sidechaincompress, "
            "loudnorm, zoompan, drawtext and libx264.",
            dedicated=True,
        ),
    ),
    _info(
        id=Provider.CREATOMATE,
        display_name="Creatomate",
        category=IntegrationCategory.ASSEMBLY,
        auth=_bearer("The project's API key (one per project)."),
        docs_url="https://creatomate.com/docs/api/rest-api/authentication",
        keys_url="https://creatomate.com/projects",
        used_for="Cloud rendering of the assembled video from a RenderScript.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.creatomate.com/v1/templates",
            description="No key-check endpoint: lists the project's templates (free).",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.SHOTSTACK,
        display_name="Shotstack",
        category=IntegrationCategory.ASSEMBLY,
        auth=AuthSpec(
            method=AuthMethod.HEADER,
            header_name="x-api-key",
            notes="Separate keys for the `stage` sandbox and the `v1` production environment.",
        ),
        docs_url="https://shotstack.io/docs/guide/getting-started/request-api-keys",
        keys_url="https://dashboard.shotstack.io/",
        used_for="Cloud rendering of the assembled video from a Shotstack edit.",
        key_format=KeyFormat(
            pattern=r"[A-Za-z0-9]{40}", description="A random 40-character string."
        ),
        validation=ValidationEndpoint(
            method="GET",
            url="https://api.shotstack.io/edit/{environment}/templates",
            description="No key-check endpoint: lists templates in the chosen environment "
            "(option `environment`: `v1` production by default, `stage` sandbox). The API "
            "gateway answers a key of the other environment with 403, reported as invalid.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.REMOTION,
        display_name="Remotion Lambda",
        category=IntegrationCategory.ASSEMBLY,
        auth=AuthSpec(
            method=AuthMethod.KEY_SECRET,
            notes="AWS access key pair of the account running Remotion Lambda, stored as "
            "`ACCESS_KEY_ID:SECRET_ACCESS_KEY`; requests are SigV4-signed.",
        ),
        docs_url="https://www.remotion.dev/docs/lambda/setup",
        keys_url="https://console.aws.amazon.com/iam/home#/users",
        used_for="Renders the React composition on AWS Lambda in the user's account.",
        key_format=KeyFormat(
            pattern=r"(AKIA|ASIA)[A-Z0-9]{16}:[A-Za-z0-9/+=]{40}",
            description="`ACCESS_KEY_ID:SECRET_ACCESS_KEY` (AWS key ids start AKIA/ASIA).",
        ),
        validation=ValidationEndpoint(
            method="GET",
            url="https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
            description="Remotion has no API key: only the AWS key pair is checkable (STS "
            "GetCallerIdentity needs no permission). Whether the Remotion Lambda function "
            "and bucket are deployed, and the Lambda/S3 permissions, surface at render time.",
            dedicated=False,
        ),
    ),
    _info(
        id=Provider.EDITFRAME,
        display_name="Editframe",
        category=IntegrationCategory.ASSEMBLY,
        auth=_bearer(),
        docs_url="https://editframe.com/skills/editframe-api/authentication",
        keys_url="https://editframe.com/",
        used_for="Cloud rendering of an HTML composition of the video.",
        validation=ValidationEndpoint(
            method="GET",
            url="https://editframe.com/api/v1/renders/md5/00000000000000000000000000000000",
            description="No key-check endpoint: looks up a render by a content hash that "
            "matches nothing (the SDK's lookupRenderByMd5); 404 means the key was accepted, "
            "401 that it was not.",
            dedicated=False,
        ),
    ),
)


@lru_cache(maxsize=1)
def _by_id() -> MappingProxyType[Provider, ProviderInfo]:
    return MappingProxyType({info.id: info for info in _CATALOG})


def all_providers() -> tuple[ProviderInfo, ...]:
    """Every provider, in catalogue order."""
    return _CATALOG


def get_provider(provider_id: Provider | str) -> ProviderInfo:
    """The catalogue entry for an id; `KeyError` with the known ids when unknown."""
    try:
        return _by_id()[Provider(provider_id)]
    except ValueError as exc:
        known = ", ".join(p.value for p in Provider)
        raise KeyError(f"unknown provider {provider_id!r}; known: {known}") from exc


def providers_by_category(
    *, include_secondary: bool = True
) -> dict[IntegrationCategory, tuple[ProviderInfo, ...]]:
    """Providers grouped by category (every category present, possibly empty)."""
    grouped: dict[IntegrationCategory, list[ProviderInfo]] = {c: [] for c in IntegrationCategory}
    for info in _CATALOG:
        categories = info.categories if include_secondary else (info.category,)
        for category in categories:
            grouped[category].append(info)
    return {category: tuple(items) for category, items in grouped.items()}
