"""The social platforms: the one list of their modules, as `registry` is for the pipeline's.

Each module (`youtube`, `tiktok`, `instagram`, `facebook`) declares a
`SocialDeclaration` (`DECLARATION`); the social accounts service asks here for a
platform's OAuth client class, scopes and capabilities. Nothing registers
itself by being imported.
"""

from __future__ import annotations

from types import MappingProxyType

from synthora.providers import facebook, instagram, tiktok, youtube
from synthora.providers.social import SocialDeclaration, SocialPlatform

#: In the order the Social Accounts page shows them.
_DECLARATIONS: tuple[SocialDeclaration, ...] = (
    youtube.DECLARATION,
    tiktok.DECLARATION,
    instagram.DECLARATION,
    facebook.DECLARATION,
)

PLATFORMS: MappingProxyType[SocialPlatform, SocialDeclaration] = MappingProxyType(
    {d.id: d for d in _DECLARATIONS}
)


def declaration(platform: SocialPlatform) -> SocialDeclaration:
    return PLATFORMS[platform]


def all_platforms() -> tuple[SocialDeclaration, ...]:
    return _DECLARATIONS
