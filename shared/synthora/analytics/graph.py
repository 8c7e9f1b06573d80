"""The Graph API plumbing the Instagram and Facebook fetchers share.

Error envelope and codes: https://developers.facebook.com/docs/graph-api/guides/error-handling
(shared/reference/platform-apis.md section 11): 190 is a dead token; 4, 17,
32, 613, 80001/80002 are throttles (back off); code 10 on insights with a
small audience means "not enough viewers" (no data yet, not an error of ours).
"""

from __future__ import annotations

from typing import Any

import httpx

from synthora.analytics.base import AnalyticsFetcher, FetchJob
from synthora.providers.social import SocialPlatformError

THROTTLES = {4, 17, 32, 613, 80001, 80002}


class NoData(Exception):
    """Insights exist but have nothing yet (small audience, still delayed)."""


class GraphFetcher(AnalyticsFetcher):
    def _graph_error(self, response: httpx.Response) -> SocialPlatformError | NoData:
        try:
            body = response.json()
        except ValueError:
            body = {}
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        code = as_code(error.get("code"))
        message = str(error.get("message") or f"Graph answered HTTP {response.status_code}")
        throttled = self.throttled(response)
        if code in THROTTLES or error.get("is_transient") or code in (1, 2):
            return self.error(
                "transient",
                f"graph_{code}",
                message,
                status=response.status_code,
                retry_after_s=throttled.retry_after_s if throttled else None,
            )
        if code == 190:
            return self.error("dead_grant", "graph_190", message, status=response.status_code)
        if code == 10 and "viewer" in message.lower():
            return NoData(message)
        if throttled is not None:
            return throttled
        return self.error("refused", f"graph_{code}", message, status=response.status_code)

    def graph_get(self, job: FetchJob, path: str, params: dict[str, str]) -> dict[str, Any]:
        base = self.bases(job.settings)["graph"]
        response = self.send(
            job,
            "GET",
            f"{base}/{path}",
            params={**params, "access_token": job.access_token.get_secret_value()},
        )
        if response.status_code != 200:
            failure = self._graph_error(response)
            raise failure
        return self.body(response)


def as_code(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def insight_values(body: dict[str, Any]) -> dict[str, Any]:
    """`{"data": [{name, values: [{value}]}]}` -> {name: value}; an empty data set stays empty."""
    out: dict[str, Any] = {}
    for item in body.get("data") or []:
        values = item.get("values") or []
        if values:
            out[str(item.get("name"))] = values[-1].get("value")
    return out
