"""What every publisher shares: the target's saved progress, outcomes and error classes.

A publisher moves one post target through its platform's upload protocol in
resumable steps. Everything it learns from the platform that a retry must not
repeat (an upload session URI, a TikTok publish id, an Instagram container id,
"media_publish was attempted") is written to `UploadState` and saved by the
posts service *before* the next platform call, so a redelivered task resumes
the same session or asks the platform what already arrived, and never starts
a second publish after an outcome it could not confirm.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field, SecretStr

from synthora.settings import Settings

TIMEOUT = httpx.Timeout(60.0, connect=5.0)
USER_AGENT = "Synthora/0.1 (+https://github.com/synthora)"


class MediaFacts(BaseModel):
    """What ffprobe says about the video file, checked against each platform's rules."""

    duration_s: float
    size_bytes: int
    width: int
    height: int
    video_codec: str | None = None
    audio_codec: str | None = None
    fps: float | None = None
    sha256: str | None = None

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 0.0


class PostContent(BaseModel):
    """The effective text and settings of one target (post defaults + target overrides)."""

    title: str = ""
    caption: str = ""
    hashtags: list[str] = Field(default_factory=list)
    privacy: str | None = None
    cover_frame_s: float | None = None
    ai_generated: bool = True
    settings: dict[str, Any] = Field(default_factory=dict)

    def text_with_tags(self) -> str:
        tags = " ".join(t if t.startswith("#") else f"#{t}" for t in self.hashtags)
        return (self.caption + ("\n\n" + tags if tags else "")).strip()


class UploadState(BaseModel):
    """The platform-side progress of one target, saved after every milestone."""

    session_url: str | None = Field(default=None, description="YouTube resumable session URI.")
    publish_id: str | None = Field(default=None, description="TikTok publish_id.")
    upload_url: str | None = Field(default=None, description="TikTok / Facebook upload URL.")
    chunks_sent: int = 0
    container_id: str | None = Field(default=None, description="Instagram container id.")
    video_id: str | None = Field(default=None, description="YouTube / Facebook video id.")
    bytes_done: bool = False
    publish_attempted: bool = Field(
        default=False, description="Instagram media_publish / Facebook finish was sent."
    )
    polls: int = 0
    extra: dict[str, Any] = Field(default_factory=dict)


class StepResult(BaseModel):
    """Where one step left the target."""

    status: Literal["processing", "published"]
    state: UploadState
    platform_post_id: str | None = None
    url: str | None = None
    poll_after_s: float | None = None


class PublishError(Exception):
    """The platform refused or failed; `retryable` says whether trying again can help."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        retryable: bool,
        http_status: int | None = None,
        payload: Any = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retryable = retryable
        self.http_status = http_status
        self.payload = payload
        self.retry_after_s = retry_after_s

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "http_status": self.http_status,
            "retryable": self.retryable,
            "platform_response": self.payload,
        }


SaveState = Callable[[UploadState], None]


@dataclass
class PublishJob:
    """Everything a publisher needs for one step."""

    settings: Settings
    http: httpx.Client
    access_token: SecretStr
    platform_account_id: str
    account_handle: str | None
    video_path: Path
    facts: MediaFacts
    content: PostContent
    state: UploadState
    save: SaveState
    signed_url: Callable[[], str]


def body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:2000]


def transport_error(exc: httpx.HTTPError) -> PublishError:
    return PublishError(
        f"the platform could not be reached ({type(exc).__name__})",
        code="network",
        retryable=True,
    )


class Publisher(ABC):
    """One platform's upload protocol, as resumable steps."""

    platform: str
    chunk_size: int = 8 * 1024 * 1024

    @abstractmethod
    def step(self, job: PublishJob) -> StepResult:
        """Start or resume the upload and publish; or poll processing."""

    @staticmethod
    def read_range(path: Path, start: int, end: int) -> bytes:
        with path.open("rb") as fh:
            fh.seek(start)
            return fh.read(end - start)
