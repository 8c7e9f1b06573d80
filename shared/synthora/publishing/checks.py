"""Pre-publish checks: one table of rules per platform, read from the platforms' documentation.

Sources: shared/reference/platform-apis.md sections 2 (YouTube), 5 (TikTok),
8 (Instagram Reels), 10 (Facebook Reels). The same checks run when a post is
created (each failure becomes a field-level 422 naming the target and the
rule) and again just before upload (account state, scopes and daily caps can
change in between). Video facts come from ffprobe through `synthora.media`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from synthora.media import binaries
from synthora.media.errors import FfmpegError
from synthora.publishing.base import MediaFacts, PostContent


@dataclass(frozen=True)
class PlatformRules:
    """One platform's documented limits (None: no limit we check)."""

    name: str
    min_duration_s: float
    max_duration_s: float
    max_size_bytes: int
    min_short_side: int
    aspects: tuple[float, float]  # allowed width/height range
    video_codecs: tuple[str, ...]
    min_fps: float | None
    max_fps: float | None
    title_max: int | None
    caption_max: int
    hashtags_max: int | None
    privacy: tuple[str, ...]
    publish_scopes: tuple[str, ...]
    daily_cap: int
    daily_cap_rule: str


YOUTUBE = PlatformRules(
    name="YouTube",
    min_duration_s=1,
    max_duration_s=12 * 3600,  # verified accounts; unverified are capped at 15 min (2.4)
    max_size_bytes=256 * 1024**3,
    min_short_side=144,
    aspects=(0.3, 3.0),
    video_codecs=("h264", "hevc", "vp9", "av1", "mpeg4"),
    min_fps=None,
    max_fps=60,
    title_max=100,
    caption_max=5000,
    hashtags_max=60,  # more than 60 hashtags makes YouTube ignore them all
    privacy=("public", "unlisted", "private"),
    publish_scopes=("https://www.googleapis.com/auth/youtube.upload",),
    daily_cap=100,  # videos.insert at 100 units per 10,000-unit default quota (2.3)
    daily_cap_rule="youtube_daily_upload_quota",
)
TIKTOK = PlatformRules(
    name="TikTok",
    min_duration_s=3,
    max_duration_s=600,  # the creator's own max_video_post_duration_sec is checked too
    max_size_bytes=4 * 1024**3,
    min_short_side=360,
    aspects=(0.5, 2.0),
    video_codecs=("h264", "hevc", "vp8", "vp9"),
    min_fps=23,
    max_fps=60,
    title_max=None,
    caption_max=2200,
    hashtags_max=None,
    privacy=("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"),
    publish_scopes=("video.publish",),
    daily_cap=15,  # posts per creator per 24 h (spam_risk_too_many_posts, section 5)
    daily_cap_rule="tiktok_creator_daily_cap",
)
INSTAGRAM = PlatformRules(
    name="Instagram",
    min_duration_s=3,
    max_duration_s=900,
    max_size_bytes=300 * 1024**2,
    min_short_side=320,
    aspects=(0.01, 10.0),  # any; 9:16 recommended
    video_codecs=("h264", "hevc"),
    min_fps=23,
    max_fps=60,
    title_max=None,
    caption_max=2200,
    hashtags_max=30,
    privacy=("public",),
    publish_scopes=("instagram_content_publish",),
    daily_cap=100,  # content_publishing_limit quota_total (section 8)
    daily_cap_rule="instagram_content_publishing_limit",
)
FACEBOOK = PlatformRules(
    name="Facebook",
    min_duration_s=3,
    max_duration_s=90,  # Reels (section 10)
    max_size_bytes=1024**3,
    min_short_side=540,
    aspects=(0.5, 0.6),  # 9:16 reels
    video_codecs=("h264", "hevc", "vp9"),
    min_fps=24,
    max_fps=60,
    title_max=255,
    caption_max=63206,
    hashtags_max=None,
    privacy=("public",),
    publish_scopes=("pages_manage_posts",),
    daily_cap=30,  # API-published reels per Page per rolling 24 h (section 10)
    daily_cap_rule="facebook_reels_daily_cap",
)
RULES: dict[str, PlatformRules] = {
    "youtube": YOUTUBE,
    "tiktok": TIKTOK,
    "instagram": INSTAGRAM,
    "facebook": FACEBOOK,
}


class CheckFailure(BaseModel):
    """One rule a target breaks."""

    target: str
    field: str
    rule: str
    message: str


class AccountFacts(BaseModel):
    """What the checks need to know about the account being posted to."""

    status: str
    scopes: list[str]
    can_publish: bool = True
    privacy_level_options: list[str] | None = None
    max_video_post_duration_sec: int | None = None
    posts_last_24h: int = 0


def check_target(
    *,
    target: str,
    platform: str,
    facts: MediaFacts,
    content: PostContent,
    account: AccountFacts,
    check_cap: bool = True,
) -> list[CheckFailure]:
    """Every rule of `platform` that this target breaks (empty: good to go)."""
    r = RULES[platform]
    out: list[CheckFailure] = []

    def fail(field: str, rule: str, message: str) -> None:
        out.append(CheckFailure(target=target, field=field, rule=rule, message=message))

    max_duration = r.max_duration_s
    if platform == "tiktok" and account.max_video_post_duration_sec:
        max_duration = min(max_duration, account.max_video_post_duration_sec)
    if not r.min_duration_s <= facts.duration_s <= max_duration:
        fail(
            "video.duration",
            "duration",
            f"{r.name} takes videos of {r.min_duration_s:g}-{max_duration:g} s; "
            f"this one is {facts.duration_s:.1f} s",
        )
    if facts.size_bytes > r.max_size_bytes:
        fail("video.size", "file_size", f"{r.name} takes files up to {r.max_size_bytes} bytes")
    if min(facts.width, facts.height) < r.min_short_side:
        fail(
            "video.resolution",
            "resolution",
            f"{r.name} needs at least {r.min_short_side} px on the short side; "
            f"this video is {facts.width}x{facts.height}",
        )
    low, high = r.aspects
    if not low <= facts.aspect <= high:
        fail(
            "video.aspect",
            "aspect_ratio",
            f"{r.name} needs a width/height ratio of {low:g}-{high:g}; this is {facts.aspect:.3f}",
        )
    if facts.video_codec and facts.video_codec not in r.video_codecs:
        fail("video.codec", "codec", f"{r.name} does not take {facts.video_codec} video")
    if facts.fps is not None and (
        (r.min_fps is not None and facts.fps < r.min_fps - 0.5)
        or (r.max_fps is not None and facts.fps > r.max_fps + 0.5)
    ):
        fail(
            "video.fps",
            "frame_rate",
            f"{r.name} takes {r.min_fps}-{r.max_fps} fps; this is {facts.fps:g}",
        )
    if r.title_max is not None:
        if not content.title.strip() and platform == "youtube":
            fail("title", "title_required", "YouTube needs a title")
        if len(content.title) > r.title_max:
            fail("title", "title_length", f"{r.name} titles are at most {r.title_max} characters")
        if platform == "youtube" and ("<" in content.title or ">" in content.title):
            fail("title", "title_characters", "YouTube titles cannot contain < or >")
    if len(content.text_with_tags()) > r.caption_max:
        fail(
            "caption",
            "caption_length",
            f"{r.name} captions (with hashtags) are at most {r.caption_max} characters",
        )
    if r.hashtags_max is not None and len(content.hashtags) > r.hashtags_max:
        fail("hashtags", "hashtag_count", f"{r.name} takes at most {r.hashtags_max} hashtags")
    privacy_allowed = list(r.privacy)
    if platform == "tiktok" and account.privacy_level_options:
        privacy_allowed = account.privacy_level_options
    if content.privacy is not None and content.privacy not in privacy_allowed:
        fail(
            "privacy",
            "privacy_not_allowed",
            f"this {r.name} account allows privacy {', '.join(privacy_allowed)}",
        )
    if platform == "tiktok" and content.privacy is None:
        fail(
            "privacy", "privacy_required", "choose who can see the TikTok post (from creator_info)"
        )
    if account.status != "connected":
        fail("account", "account_state", f"the {r.name} account is {account.status}; reconnect it")
    missing = [s for s in r.publish_scopes if s not in account.scopes]
    if missing or not account.can_publish:
        fail(
            "account",
            "scopes",
            f"the {r.name} account did not grant publishing ({', '.join(missing) or 'publish'}); "
            "reconnect it and allow posting",
        )
    if check_cap and account.posts_last_24h >= r.daily_cap:
        fail(
            "account",
            r.daily_cap_rule,
            f"{r.name} allows {r.daily_cap} posts per 24 h for this account; it will wait",
        )
    return out


def _rate(value: object) -> float | None:
    try:
        num, den = (float(x) for x in str(value).split("/"))
    except ValueError:
        return None
    return num / den if den else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_facts(path: Path) -> MediaFacts:
    """Read the file's facts with one ffprobe run (the media package's binary).

    Without ffprobe (imageio-ffmpeg on Cloud Run ships none) the media
    package's `probe` reads ffmpeg's header instead, which has no frame rate;
    the frame-rate rule is then skipped rather than guessed.
    """
    ffprobe = binaries.ffprobe_path()
    if ffprobe is None:
        # The render engine (numpy, Pillow) loads only on this path, not with the module.
        from synthora.media import assemble

        probe = assemble.probe(path)
        video_s = next((s for s in probe.streams if s.codec_type == "video"), None)
        audio_s = next((s for s in probe.streams if s.codec_type == "audio"), None)
        return MediaFacts(
            duration_s=probe.duration_s,
            size_bytes=path.stat().st_size,
            width=probe.width or 0,
            height=probe.height or 0,
            video_codec=video_s.codec_name if video_s else None,
            audio_codec=audio_s.codec_name if audio_s else None,
            fps=None,
            sha256=_sha256(path),
        )
    proc = subprocess.run(
        [ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        raise FfmpegError(f"ffprobe {path}", returncode=proc.returncode, stderr_tail=proc.stderr)
    data = json.loads(proc.stdout)
    streams = data.get("streams") or []
    video: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "video"), {})
    audio: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "audio"), {})
    return MediaFacts(
        duration_s=float((data.get("format") or {}).get("duration") or 0.0),
        size_bytes=path.stat().st_size,
        width=int(video.get("width") or 0),
        height=int(video.get("height") or 0),
        video_codec=video.get("codec_name"),
        audio_codec=audio.get("codec_name"),
        fps=_rate(video.get("avg_frame_rate")),
        sha256=_sha256(path),
    )
