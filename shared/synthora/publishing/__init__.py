"""Publishing a finished video to social platforms: per-platform rules and upload protocols.

`checks` holds one table of documented limits per platform; `youtube`,
`tiktok` and `meta` hold the resumable publishers. The posts service
(`synthora.services.posts`) owns storage, claims, scheduling and retries.
"""

from synthora.publishing.base import Publisher
from synthora.publishing.meta import FacebookReelsPublisher, InstagramPublisher
from synthora.publishing.tiktok import TikTokPublisher
from synthora.publishing.youtube import YouTubePublisher

PUBLISHERS: dict[str, Publisher] = {
    "youtube": YouTubePublisher(),
    "tiktok": TikTokPublisher(),
    "instagram": InstagramPublisher(),
    "facebook": FacebookReelsPublisher(),
}

__all__ = ["PUBLISHERS", "Publisher"]
