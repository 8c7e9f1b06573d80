"""Reading each platform's numbers: one fetcher module per platform.

`youtube`, `tiktok`, `instagram` and `facebook` each hold the platform's
`ANALYTICS` capability (an `AnalyticsFetcher`); the analytics service
(`synthora.services.analytics`) stores, rolls up and schedules.
"""

from synthora.analytics import facebook, instagram, tiktok, youtube
from synthora.analytics.base import AnalyticsFetcher

FETCHERS: dict[str, AnalyticsFetcher] = {
    "youtube": youtube.FETCHER,
    "tiktok": tiktok.FETCHER,
    "instagram": instagram.FETCHER,
    "facebook": facebook.FETCHER,
}

__all__ = ["FETCHERS", "AnalyticsFetcher"]
