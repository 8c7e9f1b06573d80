"""What every analytics fetcher shares: the metric set, a fetch result, error classes.

A fetcher reads one platform's numbers for many published posts of one
account (batched per call where the platform allows it) and the account's
channel-level figures. It never stores anything: the analytics service
(`synthora.services.analytics`) writes each answer as an immutable snapshot
with the fetch time and `definitions` (the platform's metric-definition
version, so a renamed or redefined metric never mixes silently with the old
one in a history).

Errors are `SocialPlatformError` with the shared classes (dead grant,
transient with `retry_after_s`, refused, config) so sync acts on the class,
never on a platform's wording.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
from pydantic import BaseModel, Field, SecretStr

from synthora.providers.social import (
    EMULATOR_PREFIX,
    ErrorKind,
    SocialPlatform,
    SocialPlatformError,
    json_object,
    send_call,
)
from synthora.providers.social import throttled as throttled_answer
from synthora.settings import Settings

TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class Metrics(BaseModel):
    """Lifetime totals of one post at one instant; None = the platform does not report it."""

    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    reach: int | None = None
    watch_time_s: float | None = None
    avg_view_duration_s: float | None = None
    subscribers_gained: int | None = None


#: The metrics summed by the rollups (averages are derived, never summed).
COUNTERS: tuple[str, ...] = (
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "watch_time_s",
    "subscribers_gained",
)


class PostRef(BaseModel):
    """One published post as the fetcher needs it."""

    key: str = Field(description="The analytics item id (post and target).")
    platform_post_id: str | None = None
    publish_id: str | None = Field(
        default=None, description="TikTok publish_id, when the id is late."
    )
    published_at: datetime | None = None


class PostMetrics(BaseModel):
    key: str
    platform_post_id: str
    metrics: Metrics
    #: Platform-side figures that are reported later than the counters (YouTube Analytics lag).
    lagging: list[str] = Field(default_factory=list)


class FetchResult(BaseModel):
    """One batch: what came back, what is not there (yet), and the definition version."""

    definitions: str
    posts: list[PostMetrics] = Field(default_factory=list)
    missing: list[str] = Field(
        default_factory=list, description="Keys the platform did not return."
    )
    resolved_ids: dict[str, str] = Field(
        default_factory=dict, description="key -> platform post id learnt during this fetch."
    )


class ChannelFigures(BaseModel):
    """Account-level figures on one day (followers, lifetime totals)."""

    day: date
    followers: int | None = None
    total_views: int | None = None
    video_count: int | None = None
    daily_views: int | None = None
    subscribers_gained: int | None = None
    definitions: str


@dataclass
class FetchJob:
    settings: Settings
    http: httpx.Client
    access_token: SecretStr
    platform_account_id: str


class AnalyticsFetcher(ABC):
    """One platform's analytics reads (`ANALYTICS` capability of its module)."""

    platform: SocialPlatform
    #: How many posts one call may carry (the platform's documented id limit).
    batch_size: int = 1
    #: Identifies the metric definitions the numbers follow (stored on every snapshot).
    definitions: str = ""

    @abstractmethod
    def fetch_posts(self, job: FetchJob, posts: list[PostRef]) -> FetchResult:
        """Lifetime metrics for at most `batch_size` posts."""

    @abstractmethod
    def fetch_channel(self, job: FetchJob, *, day: date) -> ChannelFigures:
        """The account's followers and totals as of `day`."""

    # -- shared plumbing -----------------------------------------------------------

    def bases(self, settings: Settings) -> dict[str, str]:
        return settings.platform_bases(EMULATOR_PREFIX[self.platform])

    def error(
        self,
        kind: ErrorKind,
        code: str,
        message: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> SocialPlatformError:
        return SocialPlatformError(
            platform=self.platform,
            kind=kind,
            code=code,
            message=message,
            http_status=status,
            retry_after_s=retry_after_s,
        )

    def send(self, job: FetchJob, method: str, url: str, **kw: Any) -> httpx.Response:
        return send_call(job.http, self.error, method, url, **kw)

    def body(self, response: httpx.Response) -> dict[str, Any]:
        return json_object(response, self.error)

    def throttled(self, response: httpx.Response) -> SocialPlatformError | None:
        return throttled_answer(response, self.error)


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
