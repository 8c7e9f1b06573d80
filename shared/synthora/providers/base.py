"""The shape every provider module declares: one `ProviderDeclaration` each.

A provider module (`synthora/providers/<id>.py`) holds everything Synthora
knows about one external service: its id and display name, the catalogue
category it is listed under, how its credential looks and is sent, where its
documentation is, how its key is checked (`keycheck`), the options a user may
set (with their allowed values), and what it really does for Synthora, one
entry per `Capability`:

- `Runs(client=...)`: a client in this module runs the capability; the
  pipeline builds it with `client(api_key, http_client, options)`.
- `RunsLocally(...)`: the capability runs on the worker with no client
  (FFmpeg assembly).
- `KeyCheckOnly(reason)`: the key can be stored and checked, but nothing runs
  the capability yet; readiness and the catalogue show the reason and ranking
  never picks the provider for it.

A provider can also be `retired` (its API shut down): it claims nothing, new
integrations are refused and stored keys are never ranked.

The registry (`synthora.providers.registry`) lists the modules explicitly; no
declaration registers itself by being imported. Capabilities beyond the five
pipeline steps (the social platforms' connect/publish/analytics, billing) are
added to `Capability` with the module that first runs them; the declaration
shape does not change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    import httpx

    from synthora.providers.keycheck import BaseValidator


class IntegrationCategory(StrEnum):
    """The pipeline step a provider is listed under in the catalogue."""

    SCRIPT = "script"
    VOICE = "voice"
    MEDIA = "media"
    VIDEO_AI = "video_ai"
    ASSEMBLY = "assembly"


class Capability(StrEnum):
    """What a provider can do for Synthora. The pipeline steps come first; a
    capability is runnable only through a `Runs`/`RunsLocally` declaration."""

    SCRIPT = "script"
    VOICE = "voice"
    MEDIA = "media"
    VIDEO_AI = "video_ai"
    ASSEMBLY = "assembly"
    # The social platforms (synthora.providers.social): connect an account
    # through OAuth, publish to it, read its analytics.
    CONNECT = "connect"
    PUBLISH = "publish"
    ANALYTICS = "analytics"


#: The capability each pipeline step needs (same value as the category).
STEP_CAPABILITY: MappingProxyType[IntegrationCategory, Capability] = MappingProxyType(
    {category: Capability(category.value) for category in IntegrationCategory}
)


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


@dataclass(frozen=True)
class OptionSpec:
    """A non-secret setting the user may give an integration (e.g. an environment).

    Either a choice among `values`, or free text (`values` empty) that `check`
    normalises or refuses with a `ValueError` whose message the API shows (the
    OpenAI-compatible provider's base URL and model name). `required` options
    must be given when the integration is added.
    """

    name: str
    values: tuple[str, ...]
    default: str
    description: str
    check: Callable[[str], str] | None = None
    required: bool = False
    example: str | None = None

    def __post_init__(self) -> None:
        if self.free_text:
            if self.check is None:
                raise ValueError(f"option {self.name}: free text needs a check")
        elif self.default not in self.values:
            raise ValueError(f"option {self.name}: default {self.default!r} is not allowed")

    @property
    def free_text(self) -> bool:
        return not self.values

    def accept(self, value: str) -> str:
        """The stored form of `value`; ValueError (with a user-facing message) when refused."""
        if self.check is not None:
            return self.check(value)
        if value not in self.values:
            raise ValueError(f"value not allowed; one of {', '.join(self.values)}")
        return value


#: Builds a capability's client from the user's key: `(api_key, http_client,
#: options)`. Building makes no network call; the HTTP client is created on
#: first use unless one is injected (tests).
ClientFactory = Callable[["str", "httpx.Client | None", Mapping[str, str]], Any]


@dataclass(frozen=True)
class Runs:
    """A client in the provider's module runs this capability."""

    client: ClientFactory
    #: The test module holding the documented request/response shape tests.
    tests: str

    kind: Literal["client"] = "client"


@dataclass(frozen=True)
class RunsLocally:
    """The capability runs on the worker itself, with no client (FFmpeg)."""

    description: str
    tests: str

    kind: Literal["local"] = "local"


@dataclass(frozen=True)
class KeyCheckOnly:
    """The key can be stored and checked, but nothing runs this capability yet."""

    reason: str

    kind: Literal["key_check_only"] = "key_check_only"


Support = Runs | RunsLocally | KeyCheckOnly


@dataclass(frozen=True)
class Retired:
    """The provider's API is shut down: the provider claims nothing any more."""

    since: date
    reason: str
    source: str

    def __post_init__(self) -> None:
        if not self.source.startswith("https://"):
            raise ValueError("a retirement needs an https source")


@dataclass(frozen=True)
class ProviderDeclaration:
    """Everything about one provider; its module's `DECLARATION`."""

    id: str
    display_name: str
    category: IntegrationCategory
    auth: AuthSpec
    docs_url: str
    used_for: str
    key_check: ValidationEndpoint
    validator: BaseValidator
    capabilities: Mapping[Capability, Support]
    secondary_categories: tuple[IntegrationCategory, ...] = ()
    keys_url: str | None = None
    key_format: KeyFormat | None = None
    options: tuple[OptionSpec, ...] = ()
    retired: Retired | None = None
    required_for_generation: bool = False
    offline_fallback: str | None = field(default=None)
    #: The key may be left empty (local OpenAI-compatible servers need none).
    key_optional: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,31}", self.id):
            raise ValueError(f"provider id {self.id!r}: lowercase letters, digits, underscores")
        for url in (self.docs_url, self.keys_url):
            if url is not None and not url.startswith("https://"):
                raise ValueError("provider links must be https URLs")
        for category in self.categories:
            if STEP_CAPABILITY[category] not in self.capabilities:
                raise ValueError(
                    f"{self.id}: listed under {category.value} but declares nothing for it"
                )
        names = [o.name for o in self.options]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.id}: duplicate option names")
        if self.offline_fallback is None:
            object.__setattr__(self, "offline_fallback", OFFLINE_FALLBACKS[self.category])
        object.__setattr__(self, "capabilities", MappingProxyType(dict(self.capabilities)))

    # -- catalogue facts --------------------------------------------------------------

    @property
    def categories(self) -> tuple[IntegrationCategory, ...]:
        """Primary category first, then the secondary ones."""
        return (self.category, *self.secondary_categories)

    @property
    def needs_key(self) -> bool:
        return self.auth.method is not AuthMethod.NONE

    def option(self, name: str) -> OptionSpec:
        for spec in self.options:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.id} has no option {name!r}")

    def option_value(self, options: Mapping[str, str] | None, name: str) -> str:
        """The user's value for an option, or its default; ValueError when not allowed."""
        spec = self.option(name)
        value = (options or {}).get(name, spec.default)
        if spec.free_text:
            try:
                return spec.accept(value)
            except ValueError as exc:
                raise ValueError(f"{self.id}: option {name}: {exc}") from None
        if value not in spec.values:
            raise ValueError(f"{self.id}: option {name}={value!r} is not one of {spec.values}")
        return value

    # -- what it really runs ----------------------------------------------------------

    def support(self, capability: Capability) -> Support | None:
        """What the provider declares for `capability` (None: not offered; retired: None)."""
        if self.retired is not None:
            return None
        return self.capabilities.get(capability)

    def runs(self, capability: Capability) -> bool:
        return isinstance(self.support(capability), Runs | RunsLocally)

    def client_for(self, capability: Capability) -> ClientFactory | None:
        """The client factory running `capability`, when one does."""
        support = self.support(capability)
        return support.client if isinstance(support, Runs) else None

    def why_not(self, capability: Capability) -> str | None:
        """Why a stored key cannot run `capability` (None when it can)."""
        if self.retired is not None:
            return f"retired: {self.retired.reason}"
        support = self.capabilities.get(capability)
        if support is None:
            return f"{self.display_name} does not offer {capability.value}"
        if isinstance(support, KeyCheckOnly):
            return f"key check only: {support.reason}"
        return None

    @property
    def status_reason(self) -> str | None:
        """Why the provider is retired or key check only (None when active)."""
        if self.retired is not None:
            return self.retired.reason
        if self.status == "key_check_only":
            reasons = {s.reason for s in self.capabilities.values() if isinstance(s, KeyCheckOnly)}
            return " ".join(sorted(reasons))
        return None

    @property
    def status(self) -> Literal["active", "key_check_only", "retired"]:
        """`retired`, `key_check_only` (nothing listed runs), or `active`."""
        if self.retired is not None:
            return "retired"
        if not any(self.runs(c) for c in self.capabilities):
            return "key_check_only"
        return "active"


def bearer(notes: str | None = None) -> AuthSpec:
    """`Authorization: Bearer KEY`."""
    return AuthSpec(
        method=AuthMethod.BEARER, header_name="Authorization", scheme="Bearer", notes=notes
    )


def not_yet_run(display_name: str, capability: str) -> KeyCheckOnly:
    """The standard reason for a provider whose client has not landed."""
    return KeyCheckOnly(
        reason=f"Synthora has no {display_name} {capability} client yet: the key can be "
        "saved and checked, but no step uses it."
    )
