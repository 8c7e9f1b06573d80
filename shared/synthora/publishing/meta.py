"""Meta: Instagram Reels (container from a signed URL) and Facebook Page Reels.

Instagram (shared/reference/platform-apis.md section 8;
https://developers.facebook.com/docs/instagram-platform/content-publishing):
POST `/{ig-user}/media` with `media_type=REELS` and `video_url` (a short-lived
signed URL of the video, which Meta fetches at once), poll
`/{container}?fields=status_code,status` until `FINISHED`, then
`/{ig-user}/media_publish?creation_id=`. One container can be published only
once, so the publish call is repeated only on the same container, and after a
publish whose answer was lost the container's `PUBLISHED` status is the proof.

Facebook Page Reels (section 10; https://developers.facebook.com/docs/video-api/guides/reels-publishing):
`video_reels` `upload_phase=start` → bytes to `upload_url` with `offset` and
`file_size` → `upload_phase=finish` with `video_state=PUBLISHED` → poll
`/{video}?fields=status` until processing and publishing are complete.

AI disclosure: neither Graph API call has an "AI info" field; Meta applies its
label from industry metadata in the file (C2PA / IPTC) or the person's own
choice in the app. Synthora records the disclosure on the post and shows it to
the user; it does not claim to set a flag Meta's API does not have.
Errors follow section 11: 190 means reconnect; 4/17/32/613/80001/80002 are
throttles (retry later); 2207042 and error 32 on reels are the daily caps.
"""

from __future__ import annotations

from typing import Any

import httpx

from synthora.publishing.base import (
    Publisher,
    PublishError,
    PublishJob,
    StepResult,
    body_of,
    transport_error,
)

POLL_S = 15.0
THROTTLE_CODES = {4, 17, 32, 613, 80001, 80002}


def graph_error(response: httpx.Response, platform: str) -> PublishError:
    body = body_of(response)
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = int(error.get("code") or 0)
    sub = error.get("error_subcode")
    message = str(error.get("message") or body)
    if code == 190:
        return PublishError(
            f"{platform} refused the account's token ({message}); reconnect the account",
            code="auth_error",
            retryable=False,
            http_status=response.status_code,
            payload=body,
        )
    if sub == 2207042 or (code == 32 and platform == "Facebook"):
        return PublishError(
            f"{platform}'s 24-hour publishing limit is reached; it will go when it frees up",
            code="publishing_limit",
            retryable=True,
            http_status=response.status_code,
            payload=body,
            retry_after_s=3600.0,
        )
    throttled = code in THROTTLE_CODES or response.status_code == 429
    return PublishError(
        f"{platform} answered error {code}{f'/{sub}' if sub else ''}: {message}",
        code=f"graph_{code}" + (f"_{sub}" if sub else ""),
        retryable=throttled or response.status_code >= 500 or sub == 2207082,
        http_status=response.status_code,
        payload=body,
        retry_after_s=300.0 if throttled else None,
    )


class _Graph(Publisher):
    display = "Meta"

    def graph(self, job: PublishJob) -> str:
        return job.settings.platform_bases("meta")["graph"]

    def call(
        self,
        job: PublishJob,
        method: str,
        path: str,
        *,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        token = job.access_token.get_secret_value()
        try:
            if method == "GET":
                response = job.http.get(
                    f"{self.graph(job)}{path}", params={**(params or {}), "access_token": token}
                )
            else:
                response = job.http.post(
                    f"{self.graph(job)}{path}", data={**(data or {}), "access_token": token}
                )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        body = body_of(response)
        if response.status_code != 200 or not isinstance(body, dict):
            raise graph_error(response, self.display)
        return body


class InstagramPublisher(_Graph):
    platform = "instagram"
    display = "Instagram"

    def step(self, job: PublishJob) -> StepResult:
        ig = job.platform_account_id
        if not job.state.container_id:
            data: dict[str, Any] = {
                "media_type": "REELS",
                "video_url": job.signed_url(),
                "caption": job.content.text_with_tags()[:2200],
                "share_to_feed": "true"
                if job.content.settings.get("share_to_feed", True)
                else "false",
            }
            if job.content.cover_frame_s is not None:
                data["thumb_offset"] = str(int(job.content.cover_frame_s * 1000))
            created = self.call(job, "POST", f"/{ig}/media", data=data)
            job.state.container_id = str(created["id"])
            job.state.bytes_done = True
            job.save(job.state)
            return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
        status = self.call(
            job, "GET", f"/{job.state.container_id}", params={"fields": "status_code,status"}
        )
        job.state.polls += 1
        code = status.get("status_code")
        if code == "IN_PROGRESS":
            return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
        if code == "ERROR":
            raise PublishError(
                f"Instagram could not process the video: {status.get('status')}",
                code="container_error",
                retryable=False,
                payload=status,
            )
        if code == "EXPIRED":
            raise PublishError(
                "Instagram's container expired before it was published",
                code="container_expired",
                retryable=not job.state.publish_attempted,
                payload=status,
            )
        if code == "PUBLISHED":
            return self._found(job)
        # FINISHED: publish this container (the only call that makes a post)
        job.state.publish_attempted = True
        job.save(job.state)
        try:
            published = self.call(
                job, "POST", f"/{ig}/media_publish", data={"creation_id": job.state.container_id}
            )
        except PublishError as exc:
            if exc.code.startswith("graph_9007"):
                return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
            raise
        return self._published(job, str(published["id"]))

    def _found(self, job: PublishJob) -> StepResult:
        """The container is published but its media id was lost: find it in the media list."""
        listing = self.call(
            job,
            "GET",
            f"/{job.platform_account_id}/media",
            params={"fields": "id,caption,permalink,timestamp"},
        )
        caption = job.content.text_with_tags()[:2200]
        for item in listing.get("data") or []:
            if item.get("caption") == caption:
                return self._published(job, str(item["id"]), item.get("permalink"))
        return StepResult(status="published", state=job.state, platform_post_id=None, url=None)

    def _published(
        self, job: PublishJob, media_id: str, permalink: str | None = None
    ) -> StepResult:
        if permalink is None:
            try:
                permalink = self.call(
                    job, "GET", f"/{media_id}", params={"fields": "permalink"}
                ).get("permalink")
            except PublishError:
                permalink = None  # a live post is not failed for its link (section 8.4)
        return StepResult(
            status="published", state=job.state, platform_post_id=media_id, url=permalink
        )


class FacebookReelsPublisher(_Graph):
    platform = "facebook"
    display = "Facebook"

    def step(self, job: PublishJob) -> StepResult:
        page = job.platform_account_id
        if job.state.publish_attempted:
            return self._poll(job)
        if not job.state.video_id:
            started = self.call(job, "POST", f"/{page}/video_reels", data={"upload_phase": "start"})
            job.state.video_id = str(started["video_id"])
            job.state.upload_url = str(started["upload_url"])
            job.save(job.state)
        if not job.state.bytes_done:
            size = job.facts.size_bytes
            try:
                answer = job.http.post(
                    str(job.state.upload_url),
                    content=job.video_path.read_bytes(),
                    headers={
                        "Authorization": f"OAuth {job.access_token.get_secret_value()}",
                        "offset": "0",
                        "file_size": str(size),
                    },
                )
            except httpx.HTTPError as exc:
                raise transport_error(exc) from exc
            if answer.status_code != 200:
                raise graph_error(answer, self.display)
            job.state.bytes_done = True
            job.save(job.state)
        job.state.publish_attempted = True
        job.save(job.state)
        self.call(
            job,
            "POST",
            f"/{page}/video_reels",
            data={
                "upload_phase": "finish",
                "video_id": job.state.video_id,
                "video_state": "PUBLISHED",
                "description": job.content.text_with_tags(),
                "title": job.content.title,
            },
        )
        return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)

    def _poll(self, job: PublishJob) -> StepResult:
        body = self.call(job, "GET", f"/{job.state.video_id}", params={"fields": "status"})
        job.state.polls += 1
        status = body.get("status") or {}
        if status.get("video_status") == "error":
            raise PublishError(
                "Facebook could not process the reel",
                code="video_error",
                retryable=False,
                payload=body,
            )
        publishing = (status.get("publishing_phase") or {}).get("status")
        if publishing == "complete":
            vid = job.state.video_id
            return StepResult(
                status="published",
                state=job.state,
                platform_post_id=vid,
                url=f"https://www.facebook.com/reel/{vid}",
            )
        return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
