"""GET /api/v1/health: version, adapters and store reachability."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.health import HealthReport, check_health

router = Router(group="health", prefix="/api/v1/health", description="Platform health.")


@router.get("", name="get", auth="public", response=HealthReport)
def get_health(ctx: RequestContext) -> HealthReport:
    """Report version, the adapter behind each port, and whether the store answers."""
    report = check_health(platform=get_platform())
    if report.status != "ok":
        return report, 503  # type: ignore[return-value]
    return report


@functions_framework.http
def health(request: flask.Request) -> flask.Response:
    return router(request)
