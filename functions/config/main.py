"""GET /api/v1/config: what the web app needs before anyone signs in."""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora import __version__
from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services.app_settings import Announcement, get_announcement

router = Router(
    group="config", prefix="/api/v1/config", description="Public runtime configuration."
)


class FirebaseWebConfig(BaseModel):
    apiKey: str
    authDomain: str
    projectId: str


class PublicConfig(BaseModel):
    firebase: FirebaseWebConfig
    auth_emulator_url: str | None
    version: str
    environment: str
    announcement: Announcement | None = Field(
        default=None, description="The admin's message to everyone; absent when there is none."
    )


@router.get("", name="get", auth="public", response=PublicConfig)
def get_config(ctx: RequestContext) -> PublicConfig:
    """Firebase web config, the Auth emulator's URL when running locally, the announcement."""
    s = ctx.settings
    emulator = f"http://{s.firebase_auth_emulator_host}" if s.firebase_auth_emulator_host else None
    return PublicConfig(
        firebase=FirebaseWebConfig(
            apiKey=s.firebase_api_key,
            authDomain=f"{s.project_id}.firebaseapp.com",
            projectId=s.project_id,
        ),
        auth_emulator_url=emulator,
        version=__version__,
        environment=s.environment,
        announcement=get_announcement(platform=get_platform()),
    )


@functions_framework.http
def config(request: flask.Request) -> flask.Response:
    return router(request)
