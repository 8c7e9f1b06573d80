"""TikTok: Content Posting API direct post, FILE_UPLOAD in chunks, status polled to the post id.

Protocol (shared/reference/platform-apis.md section 5;
https://developers.tiktok.com/doc/content-posting-api-reference-direct-post,
https://developers.tiktok.com/doc/content-posting-api-media-transfer-guide):
`POST /v2/post/publish/creator_info/query/` first (the creator's current privacy options,
interaction switches and longest video;
https://developers.tiktok.com/doc/content-posting-api-reference-query-creator-info), then
`POST /v2/post/publish/video/init/` with `post_info` (title, privacy_level from
creator_info, interaction toggles, `is_aigc`) and `source_info`
(`FILE_UPLOAD`, video_size, chunk_size, total_chunk_count): under 5 MB one
chunk of the whole file; else chunks of 5-64 MB, `total_chunk_count =
floor(size / chunk_size)`, the last chunk taking the remainder. PUT each chunk
to `upload_url` with `Content-Range`; 206 while more is expected, 201 at the
end. Then `POST /v2/post/publish/status/fetch/` until `PUBLISH_COMPLETE` and,
for public posts, `publicaly_available_post_id` (the API's spelling) is known.

The publish id and upload URL are saved before the first byte; an upload that
never completed cannot publish, so a broken one is started again from init,
while a completed one is only ever polled.
"""

from __future__ import annotations

from typing import Any

import httpx

from synthora.publishing.base import (
    Publisher,
    PublishError,
    PublishJob,
    StepResult,
    UploadState,
    body_of,
    transport_error,
)

SINGLE_CHUNK_LIMIT = 5 * 1024 * 1024
CHUNK = 10 * 1024 * 1024
POLL_S = 10.0
#: After this many polls a completed public post without its public id yet is
#: recorded as published; analytics resolves the id from the publish id later.
MAX_ID_POLLS = 60

_RETRY_AFTER = {
    "rate_limit_exceeded": 60.0,
    "spam_risk_too_many_posts": 3600.0,
    "spam_risk_too_many_pending_share": 3600.0,
    "reached_active_user_cap": 3600.0,
}


def chunk_plan(size: int) -> tuple[int, int]:
    """(chunk_size, total_chunk_count) per TikTok's media transfer rules."""
    if size < SINGLE_CHUNK_LIMIT:
        return size, 1
    chunk = min(CHUNK, size)
    return chunk, max(1, size // chunk)


def tiktok_error(response: httpx.Response) -> PublishError:
    body = body_of(response)
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = str(error.get("code") or f"http_{response.status_code}")
    message = str(error.get("message") or body)
    if code in ("access_token_invalid", "scope_not_authorized"):
        return PublishError(
            f"TikTok refused the account's token ({code}); reconnect the account",
            code=code,
            retryable=False,
            http_status=response.status_code,
            payload=body,
        )
    retry_after = _RETRY_AFTER.get(code)
    return PublishError(
        f"TikTok answered {code}: {message}",
        code=code,
        retryable=retry_after is not None or response.status_code >= 500,
        http_status=response.status_code,
        payload=body,
        retry_after_s=retry_after,
    )


class TikTokPublisher(Publisher):
    platform = "tiktok"

    def _api(self, job: PublishJob) -> str:
        return job.settings.platform_bases("tiktok")["api"]

    def _headers(self, job: PublishJob) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {job.access_token.get_secret_value()}",
            "Content-Type": "application/json; charset=UTF-8",
        }

    def _call(self, job: PublishJob, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = job.http.post(
                f"{self._api(job)}{path}", json=body, headers=self._headers(job)
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        data = body_of(response)
        if (
            response.status_code != 200
            or not isinstance(data, dict)
            or (data.get("error") or {}).get("code") != "ok"
        ):
            raise tiktok_error(response)
        return dict(data.get("data") or {})

    def creator_info(self, job: PublishJob) -> dict[str, Any]:
        """The creator's posting settings as TikTok has them now, checked before each post.

        TikTok's Content Posting guidelines ask for a `creator_info` query right before a
        post: the creator may have changed who can see their posts, turned off comments,
        duets or stitches in the app, or been given a different maximum length since the
        account was connected. An interaction the creator turned off is posted off (never
        refused: our stored settings cannot tell a choice from a default); a privacy level
        or a length TikTok no longer allows refuses the target with the reason.
        """
        info = self._call(job, "/v2/post/publish/creator_info/query/", {})
        privacy = job.content.privacy or "SELF_ONLY"
        options = info.get("privacy_level_options")
        if isinstance(options, list) and options and privacy not in options:
            raise PublishError(
                f"TikTok no longer lets this account post as {privacy} "
                f"(it offers {', '.join(str(o) for o in options)}); edit the post's privacy",
                code="privacy_level_option_mismatch",
                retryable=False,
            )
        longest = info.get("max_video_post_duration_sec")
        if isinstance(longest, int) and longest > 0 and job.facts.duration_s > longest:
            raise PublishError(
                f"TikTok now allows this creator videos up to {longest} s; "
                f"this one is {job.facts.duration_s:.0f} s",
                code="duration_over_creator_max",
                retryable=False,
            )
        return info

    def post_info(self, job: PublishJob, creator: dict[str, Any] | None = None) -> dict[str, Any]:
        c = job.content
        s = c.settings
        off = creator or {}
        info: dict[str, Any] = {
            "title": c.text_with_tags()[:2200],
            "privacy_level": c.privacy or "SELF_ONLY",
            "disable_comment": off.get("comment_disabled") is True
            or not s.get("allow_comments", True),
            "disable_duet": off.get("duet_disabled") is True or not s.get("allow_duet", True),
            "disable_stitch": off.get("stitch_disabled") is True or not s.get("allow_stitch", True),
            "is_aigc": c.ai_generated,
        }
        if c.cover_frame_s is not None:
            info["video_cover_timestamp_ms"] = int(c.cover_frame_s * 1000)
        return info

    def step(self, job: PublishJob) -> StepResult:
        if job.state.bytes_done:
            return self._poll(job)
        if job.state.publish_id and job.state.chunks_sent:
            status = self._status(job)
            if status.get("status") != "PROCESSING_UPLOAD":
                job.state.bytes_done = True  # the last chunk arrived before the crash
                job.save(job.state)
                return self._poll(job)
        if not job.state.publish_id:
            self._init(job)
        return self._upload(job)

    def _init(self, job: PublishJob) -> None:
        size = job.facts.size_bytes
        chunk, count = chunk_plan(size)
        creator = self.creator_info(job)
        data = self._call(
            job,
            "/v2/post/publish/video/init/",
            {
                "post_info": self.post_info(job, creator),
                "source_info": {
                    "source": "FILE_UPLOAD",
                    "video_size": size,
                    "chunk_size": chunk,
                    "total_chunk_count": count,
                },
            },
        )
        job.state.publish_id = str(data["publish_id"])
        job.state.upload_url = str(data["upload_url"])
        job.state.chunks_sent = 0
        job.state.extra = {"chunk_size": chunk, "chunk_count": count}
        job.save(job.state)

    def _upload(self, job: PublishJob) -> StepResult:
        size = job.facts.size_bytes
        chunk = int(job.state.extra.get("chunk_size", size))
        count = int(job.state.extra.get("chunk_count", 1))
        for index in range(job.state.chunks_sent, count):
            start = index * chunk
            end = size if index == count - 1 else start + chunk
            try:
                answer = job.http.put(
                    str(job.state.upload_url),
                    content=self.read_range(job.video_path, start, end),
                    headers={
                        "Content-Type": "video/mp4",
                        "Content-Range": f"bytes {start}-{end - 1}/{size}",
                    },
                )
            except httpx.HTTPError as exc:
                raise transport_error(exc) from exc
            if answer.status_code not in (201, 206):
                if answer.status_code < 500:
                    # an incomplete upload never publishes: start over from init next time
                    job.state = UploadState()
                    job.save(job.state)
                err = tiktok_error(answer)
                err.retryable = True
                raise err
            job.state.chunks_sent = index + 1
            job.save(job.state)
        job.state.bytes_done = True
        job.save(job.state)
        return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)

    def _status(self, job: PublishJob) -> dict[str, Any]:
        return self._call(
            job, "/v2/post/publish/status/fetch/", {"publish_id": job.state.publish_id}
        )

    def _poll(self, job: PublishJob) -> StepResult:
        data = self._status(job)
        job.state.polls += 1
        status = data.get("status")
        if status == "FAILED":
            raise PublishError(
                f"TikTok could not publish the video: {data.get('fail_reason')}",
                code=str(data.get("fail_reason") or "failed"),
                retryable=False,
                payload=data,
            )
        if status != "PUBLISH_COMPLETE":
            return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
        ids = data.get("publicaly_available_post_id") or []
        public = (job.content.privacy or "SELF_ONLY") == "PUBLIC_TO_EVERYONE"
        if ids:
            post_id = str(ids[0])
            handle = (job.account_handle or "").lstrip("@")
            url = f"https://www.tiktok.com/@{handle}/video/{post_id}"
            return StepResult(
                status="published", state=job.state, platform_post_id=post_id, url=url
            )
        if public and job.state.polls < MAX_ID_POLLS:
            return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
        return StepResult(
            status="published", state=job.state, platform_post_id=job.state.publish_id, url=None
        )
