"""TikTok analytics through the Display API: video/query by public post id (20 a call).

Documentation followed (shared/reference/platform-apis.md sections 5 and 6):
- https://developers.tiktok.com/doc/tiktok-api-v2-video-query (POST
  `/v2/video/query/?fields=...`, body `{"filters": {"video_ids": [...]}}`, at
  most 20 ids owned by the user, only public videos)
- https://developers.tiktok.com/doc/content-posting-api-reference-get-video-status
  (`publicaly_available_post_id`, the public id, arrives after moderation)
- https://developers.tiktok.com/doc/tiktok-api-v2-error-handling (`error.code`,
  `rate_limit_exceeded` is 429, `access_token_invalid` is 401)

Per-post analytics need the public post id, never the publish_id (the cause
of Postiz #1470's empty numbers): a post whose id arrived late is resolved
from its publish_id through the status call first. Saves and watch time are
not in the Display API, so they stay absent (never zero).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from synthora.analytics.base import (
    AnalyticsFetcher,
    ChannelFigures,
    FetchJob,
    FetchResult,
    Metrics,
    PostMetrics,
    PostRef,
    as_int,
)
from synthora.providers.social import SocialPlatform, SocialPlatformError

FIELDS = "id,create_time,view_count,like_count,comment_count,share_count"


class TikTokAnalytics(AnalyticsFetcher):
    platform = SocialPlatform.TIKTOK
    batch_size = 20
    definitions = "tiktok-display-v2"

    def _call(self, job: FetchJob, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self.send(
            job,
            "POST",
            url,
            json=payload,
            headers={"Authorization": f"Bearer {job.access_token.get_secret_value()}"},
        )
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        code = str(error.get("code")) if isinstance(error, dict) else None
        if response.status_code == 200 and code == "ok":
            return body.get("data") or {}
        raise self._error(response, code, str((error or {}).get("message") or ""))

    def _error(
        self, response: httpx.Response, code: str | None, message: str
    ) -> SocialPlatformError:
        status = response.status_code
        if code == "rate_limit_exceeded" or status == 429:
            throttled = self.throttled(response)
            return self.error(
                "transient",
                "rate_limit_exceeded",
                message or "TikTok rate limit",
                status=status,
                retry_after_s=throttled.retry_after_s if throttled else None,
            )
        if code in ("access_token_invalid", "invalid_token") or (status == 401 and code is None):
            return self.error(
                "dead_grant", code or "unauthorized", message or "token refused", status=status
            )
        if status >= 500 or code == "internal_error":
            return self.error(
                "transient", code or f"http_{status}", message or "TikTok failed", status=status
            )
        return self.error(
            "refused", code or f"http_{status}", message or "TikTok refused", status=status
        )

    def resolve(self, job: FetchJob, publish_id: str) -> str | None:
        """The public post id of a publish, once TikTok has made it public."""
        api = self.bases(job.settings)["api"]
        data = self._call(job, f"{api}/v2/post/publish/status/fetch/", {"publish_id": publish_id})
        ids = data.get("publicaly_available_post_id") or []
        return str(ids[0]) if ids else None

    def fetch_posts(self, job: FetchJob, posts: list[PostRef]) -> FetchResult:
        result = FetchResult(definitions=self.definitions)
        wanted: dict[str, PostRef] = {}
        for ref in posts:
            post_id = ref.platform_post_id
            if not post_id and ref.publish_id:
                post_id = self.resolve(job, ref.publish_id)
                if post_id:
                    result.resolved_ids[ref.key] = post_id
            if post_id:
                wanted[post_id] = ref
            else:
                result.missing.append(ref.key)
        if not wanted:
            return result
        api = self.bases(job.settings)["api"]
        data = self._call(
            job, f"{api}/v2/video/query/?fields={FIELDS}", {"filters": {"video_ids": list(wanted)}}
        )
        seen: set[str] = set()
        for video in data.get("videos") or []:
            vid = str(video.get("id"))
            ref = wanted.get(vid)
            if ref is None:
                continue
            seen.add(vid)
            result.posts.append(
                PostMetrics(
                    key=ref.key,
                    platform_post_id=vid,
                    metrics=Metrics(
                        views=as_int(video.get("view_count")),
                        likes=as_int(video.get("like_count")),
                        comments=as_int(video.get("comment_count")),
                        shares=as_int(video.get("share_count")),
                    ),
                )
            )
        result.missing += [ref.key for vid, ref in wanted.items() if vid not in seen]
        return result

    def fetch_channel(self, job: FetchJob, *, day: date) -> ChannelFigures:
        api = self.bases(job.settings)["api"]
        response = self.send(
            job,
            "GET",
            f"{api}/v2/user/info/",
            params={"fields": "open_id,follower_count,video_count,likes_count"},
            headers={"Authorization": f"Bearer {job.access_token.get_secret_value()}"},
        )
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        error = body.get("error") if isinstance(body, dict) else None
        code = str(error.get("code")) if isinstance(error, dict) else None
        if response.status_code != 200 or code != "ok":
            raise self._error(response, code, str((error or {}).get("message") or ""))
        user = (body.get("data") or {}).get("user") or {}
        return ChannelFigures(
            day=day,
            followers=as_int(user.get("follower_count")),
            video_count=as_int(user.get("video_count")),
            definitions=self.definitions,
        )


FETCHER = TikTokAnalytics()
