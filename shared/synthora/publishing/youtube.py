"""YouTube: resumable videos.insert, resumed after a broken connection, then processing polls.

Protocol (shared/reference/platform-apis.md section 2.1;
https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):
POST `/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status` with
the metadata answers 200 and a session URI in `Location`; PUT the bytes with
`Content-Range: bytes a-b/total`; a 308 keeps what arrived (its `Range` header)
and a broken connection is resumed by asking `Content-Range: bytes */total`.
The final chunk answers 200/201 with the video resource. The session URI is
saved before any byte goes out, so a redelivered task resumes the same
session instead of inserting a second video. `status.containsSyntheticMedia`
is set from how the video was made (section 2.2). Processing is polled with
videos.list (`status.uploadStatus`: uploaded → processed / failed / rejected).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from synthora.publishing.base import (
    Publisher,
    PublishError,
    PublishJob,
    StepResult,
    body_of,
    transport_error,
)

CHUNK = 256 * 1024 * 32  # 8 MiB, a multiple of 256 KiB as the protocol requires
MAX_RESUMES = 5
POLL_S = 15.0


def _reason(body: object) -> str:
    if isinstance(body, dict):
        errors = (body.get("error") or {}).get("errors") or [{}]
        return str(errors[0].get("reason") or (body.get("error") or {}).get("status") or "error")
    return "error"


def _next_pacific_midnight(now: datetime) -> float:
    pacific = now.astimezone(ZoneInfo("America/Los_Angeles"))
    tomorrow = (pacific + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - pacific).total_seconds()


def youtube_error(response: httpx.Response) -> PublishError:
    body = body_of(response)
    reason = _reason(body)
    message = str((body.get("error") or {}).get("message")) if isinstance(body, dict) else str(body)
    status = response.status_code
    if reason == "quotaExceeded":
        return PublishError(
            "YouTube's daily upload quota is used up; it resets at midnight Pacific time",
            code="quota_exceeded",
            retryable=True,
            http_status=status,
            payload=body,
            retry_after_s=_next_pacific_midnight(datetime.now(UTC)),
        )
    if reason == "uploadLimitExceeded":
        return PublishError(
            "this channel reached its upload limit for now",
            code="upload_limit_exceeded",
            retryable=True,
            http_status=status,
            payload=body,
            retry_after_s=3600.0,
        )
    if status == 401:
        return PublishError(
            f"YouTube refused the account's token ({message}); reconnect the account",
            code="auth_error",
            retryable=False,
            http_status=status,
            payload=body,
        )
    return PublishError(
        f"YouTube answered {status} {reason}: {message}",
        code=reason,
        retryable=status >= 500 or status == 429,
        http_status=status,
        payload=body,
    )


class YouTubePublisher(Publisher):
    platform = "youtube"
    chunk_size = CHUNK

    def _bases(self, job: PublishJob) -> dict[str, str]:
        return job.settings.platform_bases("google")

    def _auth(self, job: PublishJob) -> dict[str, str]:
        return {"Authorization": f"Bearer {job.access_token.get_secret_value()}"}

    def metadata(self, job: PublishJob) -> dict[str, object]:
        c = job.content
        s = c.settings
        status: dict[str, object] = {
            "privacyStatus": c.privacy or "public",
            "selfDeclaredMadeForKids": bool(s.get("made_for_kids", False)),
            "containsSyntheticMedia": c.ai_generated,
        }
        return {
            "snippet": {
                "title": c.title[:100],
                "description": c.text_with_tags()[:5000],
                "tags": [t.lstrip("#") for t in c.hashtags],
                "categoryId": str(s.get("category_id") or "22"),
            },
            "status": status,
        }

    def step(self, job: PublishJob) -> StepResult:
        if job.state.video_id:
            return self._poll(job)
        if not job.state.session_url:
            self._start_session(job)
        return self._upload(job)

    def _start_session(self, job: PublishJob) -> None:
        notify = job.content.settings.get("notify_subscribers", True)
        url = (
            f"{self._bases(job)['youtube_upload']}/videos?uploadType=resumable"
            f"&part=snippet,status&notifySubscribers={'true' if notify else 'false'}"
        )
        try:
            response = job.http.post(
                url,
                content=json.dumps(self.metadata(job)),
                headers={
                    **self._auth(job),
                    "Content-Type": "application/json; charset=UTF-8",
                    "X-Upload-Content-Length": str(job.facts.size_bytes),
                    "X-Upload-Content-Type": "video/mp4",
                },
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        if response.status_code != 200 or not response.headers.get("Location"):
            raise youtube_error(response)
        job.state.session_url = response.headers["Location"]
        job.save(job.state)

    def _probe(self, job: PublishJob) -> httpx.Response:
        """Ask the session what arrived (`Content-Range: bytes */total`)."""
        assert job.state.session_url
        try:
            return job.http.put(
                job.state.session_url,
                content=b"",
                headers={**self._auth(job), "Content-Range": f"bytes */{job.facts.size_bytes}"},
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc

    @staticmethod
    def _kept(response: httpx.Response) -> int:
        value = response.headers.get("Range")
        if not value:
            return 0
        return int(value.split("-")[-1]) + 1

    def _upload(self, job: PublishJob) -> StepResult:
        assert job.state.session_url
        total = job.facts.size_bytes
        # bytes already went out on an earlier delivery: ask the session what it kept
        offset: int | None = None if job.state.chunks_sent else 0
        for _ in range(MAX_RESUMES + 1):
            if offset is None:
                answer = self._probe(job)
                if answer.status_code in (200, 201):
                    return self._uploaded(job, answer)
                if answer.status_code == 404:
                    # the session expired (7 days) with nothing published: start a new one
                    job.state.session_url = None
                    job.save(job.state)
                    self._start_session(job)
                    offset = 0
                    continue
                if answer.status_code != 308:
                    raise youtube_error(answer)
                offset = self._kept(answer)
            end = min(offset + self.chunk_size, total)
            chunk = self.read_range(job.video_path, offset, end)
            job.state.chunks_sent += 1
            job.save(job.state)
            try:
                answer = job.http.put(
                    str(job.state.session_url),
                    content=chunk,
                    headers={
                        **self._auth(job),
                        "Content-Type": "video/mp4",
                        "Content-Range": f"bytes {offset}-{end - 1}/{total}",
                    },
                )
            except httpx.HTTPError:
                offset = None  # broken connection: resume from what the session kept
                continue
            if answer.status_code in (200, 201):
                return self._uploaded(job, answer)
            if answer.status_code == 308:
                offset = self._kept(answer)
                continue
            if answer.status_code >= 500 or answer.status_code == 429:
                offset = None
                continue
            raise youtube_error(answer)
        raise PublishError(
            "the upload kept breaking; it will resume from where it stopped",
            code="upload_interrupted",
            retryable=True,
        )

    def _uploaded(self, job: PublishJob, answer: httpx.Response) -> StepResult:
        body = body_of(answer)
        video_id = str(body.get("id")) if isinstance(body, dict) and body.get("id") else None
        if not video_id:
            raise PublishError(
                "YouTube accepted the bytes but returned no video id",
                code="no_video_id",
                retryable=False,
                payload=body,
            )
        job.state.video_id = video_id
        job.state.bytes_done = True
        job.save(job.state)
        return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)

    def _poll(self, job: PublishJob) -> StepResult:
        video_id = job.state.video_id
        try:
            response = job.http.get(
                f"{self._bases(job)['youtube']}/videos",
                params={"part": "status,processingDetails", "id": video_id},
                headers=self._auth(job),
            )
        except httpx.HTTPError as exc:
            raise transport_error(exc) from exc
        if response.status_code != 200:
            raise youtube_error(response)
        items = (body_of(response) or {}).get("items") or []
        job.state.polls += 1
        if not items:
            return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
        status = items[0].get("status") or {}
        upload = status.get("uploadStatus")
        url = f"https://www.youtube.com/watch?v={video_id}"
        if upload == "processed":
            return StepResult(
                status="published", state=job.state, platform_post_id=video_id, url=url
            )
        if upload in ("failed", "rejected"):
            why = status.get("failureReason") or status.get("rejectionReason") or upload
            raise PublishError(
                f"YouTube {upload} the video: {why}",
                code=f"youtube_{upload}",
                retryable=False,
                payload=items[0],
            )
        return StepResult(status="processing", state=job.state, poll_after_s=POLL_S)
