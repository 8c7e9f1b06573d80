"""Task: send one notification's email through SMTP (at most once per notification)."""

import flask
import functions_framework

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.mail.service import EmailResult, EmailTask, deliver

router = Router(group="notifications_email", prefix="", function="notifications_email")


@router.post("/", name="run", auth="internal", body=EmailTask, response=EmailResult)
def run(ctx: RequestContext, *, body: EmailTask) -> EmailResult:
    """Email one notification, unless sent already or no longer wanted (idempotent)."""
    return deliver(platform=get_platform(), task=body)


@functions_framework.http
def notifications_email(request: flask.Request) -> flask.Response:
    return router(request)
