"""Instagram professional accounts through Facebook Login and a Page's `instagram_business_account`.

The choice (Facebook Login rather than Instagram Login) is recorded in
docs/decisions/0007-instagram-through-facebook-login.md. Each Instagram
account is reached with the token of the Page it is linked to (Page tokens
from a long-lived user token do not expire); when a login reaches several
Instagram accounts, the person chooses which ones to connect.

Documentation: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login
and https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user
(fields `username, name, profile_picture_url, followers_count`), with
shared/reference/platform-apis.md sections 7-9 and 11. Shared Login/Graph code:
`synthora.providers.meta`.
"""

from __future__ import annotations

from pydantic import SecretStr

from synthora.providers.base import Capability
from synthora.providers.meta import MetaLoginClient
from synthora.providers.social import (
    Capabilities,
    ConnectedAccount,
    Connects,
    Fetches,
    PlatformProfile,
    Publishes,
    SocialDeclaration,
    SocialPlatform,
    TokenSet,
    missing,
)

SCOPES: tuple[str, ...] = (
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_insights",
    "pages_show_list",
    "pages_read_engagement",
)
PUBLISH_SCOPES: tuple[str, ...] = ("instagram_basic", "instagram_content_publish")
ANALYTICS_SCOPES: tuple[str, ...] = ("instagram_basic", "instagram_manage_insights")
IG_FIELDS = "id,username,name,profile_picture_url,followers_count"


class InstagramOAuth(MetaLoginClient):
    platform = SocialPlatform.INSTAGRAM
    scopes = SCOPES

    def accounts(self, *, tokens: TokenSet) -> list[ConnectedAccount]:
        granted = list(tokens.scopes)
        needed = [s for s in ("pages_show_list", "instagram_basic") if s not in granted]
        if needed:
            raise self.error(
                "refused",
                "missing_scope",
                "Instagram needs the permissions " + ", ".join(needed) + "; they were not granted",
                missing_scopes=tuple(needed),
            )
        found: list[ConnectedAccount] = []
        for page in self.pages(tokens=tokens):
            ig = page.get("instagram_business_account")
            if not isinstance(ig, dict) or not ig.get("id") or not page.get("access_token"):
                continue
            page_token = SecretStr(str(page["access_token"]))
            user = self.call("GET", str(ig["id"]), token=page_token, params={"fields": IG_FIELDS})
            username = user.get("username") or ig.get("username")
            followers = user.get("followers_count")
            found.append(
                ConnectedAccount(
                    profile=PlatformProfile(
                        platform_account_id=str(ig["id"]),
                        display_name=str(user.get("name") or username or ig["id"]),
                        handle=str(username) if username else None,
                        avatar_url=(
                            str(user["profile_picture_url"])
                            if user.get("profile_picture_url")
                            else None
                        ),
                        profile_url=f"https://www.instagram.com/{username}" if username else None,
                        followers=int(followers) if isinstance(followers, int) else None,
                        extra={"page_id": str(page["id"]), "page_name": page.get("name")},
                    ),
                    tokens=TokenSet(
                        access_token=page_token,
                        expires_in=None,
                        scopes=granted,
                        subject=tokens.subject,
                    ),
                    scopes=granted,
                    capabilities=Capabilities(
                        can_publish=not missing(PUBLISH_SCOPES, granted),
                        can_read_analytics=not missing(ANALYTICS_SCOPES, granted),
                        missing_scopes=missing(SCOPES, granted),
                        notes=[
                            "If the linked Page requires Page Publishing Authorization, "
                            "complete it on Facebook before posting."
                        ],
                    ),
                )
            )
        if not found:
            raise self.error(
                "refused",
                "no_instagram_account",
                "none of the Pages you shared has an Instagram professional account linked; "
                "link one in the Instagram app (Settings > Account type and tools) and reconnect",
            )
        return found


DECLARATION = SocialDeclaration(
    id=SocialPlatform.INSTAGRAM,
    display_name="Instagram",
    docs_url="https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login",
    client_id_setting="SYNTHORA_META_APP_ID",
    client_secret_setting="SYNTHORA_META_APP_SECRET",
    scopes=SCOPES,
    publish_scopes=PUBLISH_SCOPES,
    analytics_scopes=ANALYTICS_SCOPES,
    capabilities={
        Capability.CONNECT: Connects(
            client=InstagramOAuth, tests="tests/providers/test_social_platforms.py"
        ),
        Capability.PUBLISH: Publishes(
            publisher="synthora.publishing.meta.InstagramPublisher",
            tests="tests/services/test_posts.py",
        ),
        Capability.ANALYTICS: Fetches(
            fetcher="synthora.analytics.instagram", tests="tests/analytics/test_fetchers.py"
        ),
    },
)
