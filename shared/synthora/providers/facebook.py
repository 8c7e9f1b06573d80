"""Facebook Pages through Facebook Login: each managed Page with its own Page token.

A person managing several Pages chooses which ones Synthora connects (the
service keeps the candidates encrypted for ten minutes while they choose).
Page tokens derived from a long-lived user token do not expire; they die when
the person changes their password, loses their role on the Page or removes the
app (Graph error 190), which is when the account needs reconnecting.

Documentation: https://developers.facebook.com/docs/pages-api/getting-started and
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived
(shared/reference/platform-apis.md sections 7, 10, 11). Shared Login/Graph code:
`synthora.providers.meta`.
"""

from __future__ import annotations

from pydantic import SecretStr

from synthora.providers.base import Capability
from synthora.providers.meta import MetaLoginClient, picture_url
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
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "read_insights",
)
PUBLISH_SCOPES: tuple[str, ...] = ("pages_show_list", "pages_manage_posts")
ANALYTICS_SCOPES: tuple[str, ...] = ("pages_read_engagement", "read_insights")


class FacebookOAuth(MetaLoginClient):
    platform = SocialPlatform.FACEBOOK
    scopes = SCOPES

    def accounts(self, *, tokens: TokenSet) -> list[ConnectedAccount]:
        granted = list(tokens.scopes)
        if "pages_show_list" not in granted:
            raise self.error(
                "refused",
                "missing_scope",
                "Facebook's permission to list your Pages (pages_show_list) was not granted",
                missing_scopes=("pages_show_list",),
            )
        pages = [p for p in self.pages(tokens=tokens) if p.get("id") and p.get("access_token")]
        if not pages:
            raise self.error(
                "refused",
                "no_pages",
                "this Facebook login manages no Page Synthora was allowed to see; "
                "choose your Pages on Facebook's consent screen",
            )
        found: list[ConnectedAccount] = []
        for page in pages:
            tasks = [str(t) for t in page.get("tasks") or []]
            lacking = missing(SCOPES, granted)
            notes: list[str] = []
            can_post = not missing(PUBLISH_SCOPES, granted)
            if tasks and "CREATE_CONTENT" not in tasks:
                can_post = False
                notes.append("Your role on this Page does not allow creating content.")
            followers = page.get("followers_count", page.get("fan_count"))
            found.append(
                ConnectedAccount(
                    profile=PlatformProfile(
                        platform_account_id=str(page["id"]),
                        display_name=str(page.get("name") or page["id"]),
                        handle=None,
                        avatar_url=picture_url(page),
                        profile_url=f"https://www.facebook.com/{page['id']}",
                        followers=int(followers) if isinstance(followers, int) else None,
                        extra={"category": page.get("category"), "tasks": tasks},
                    ),
                    tokens=TokenSet(
                        access_token=SecretStr(str(page["access_token"])),
                        expires_in=None,
                        scopes=granted,
                        subject=tokens.subject,
                    ),
                    scopes=granted,
                    capabilities=Capabilities(
                        can_publish=can_post,
                        can_read_analytics=not missing(ANALYTICS_SCOPES, granted),
                        missing_scopes=lacking,
                        notes=notes,
                    ),
                )
            )
        return found


DECLARATION = SocialDeclaration(
    id=SocialPlatform.FACEBOOK,
    display_name="Facebook",
    docs_url="https://developers.facebook.com/docs/pages-api/getting-started",
    client_id_setting="SYNTHORA_META_APP_ID",
    client_secret_setting="SYNTHORA_META_APP_SECRET",
    scopes=SCOPES,
    publish_scopes=PUBLISH_SCOPES,
    analytics_scopes=ANALYTICS_SCOPES,
    capabilities={
        Capability.CONNECT: Connects(
            client=FacebookOAuth, tests="tests/providers/test_social_platforms.py"
        ),
        Capability.PUBLISH: Publishes(
            publisher="synthora.publishing.meta.FacebookReelsPublisher",
            tests="tests/services/test_posts.py",
        ),
        Capability.ANALYTICS: Fetches(
            fetcher="synthora.analytics.facebook", tests="tests/analytics/test_fetchers.py"
        ),
    },
)
