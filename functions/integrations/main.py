"""Integrations: connect provider keys, check them, see which provider runs each step."""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.http import RequestContext, Router
from synthora.http.bodies import PatchBody
from synthora.platform import get_platform
from synthora.services import integrations as service

router = Router(
    group="integrations",
    prefix="/api/v1/integrations",
    write_scope="session",
    description="Provider keys (stored encrypted, shown masked) and generation readiness.",
)


class UpdateIntegrationRequest(PatchBody, service.UpdateIntegrationRequest):
    """Replace the key and/or the options (at least one); neither may be null."""

    at_least_one = True


class ToggleRequest(PatchBody, service.ToggleRequest):
    """Set `is_active`, or leave it out to flip the current state (null is refused)."""


class ValidateQuery(BaseModel):
    sync: bool = Field(default=False, description="Check inline and return the result.")


@router.get("", name="list", auth="user", response=service.IntegrationList)
def list_integrations(ctx: RequestContext) -> service.IntegrationList:
    """My integrations with masked keys, validation state and per-step readiness."""
    return service.list_integrations(platform=get_platform(), uid=ctx.uid)


@router.get("/available", name="available", auth="user", response=service.AvailableList)
def available(ctx: RequestContext) -> service.AvailableList:
    """The provider catalogue, with whether I configured each provider."""
    return service.list_available(platform=get_platform(), uid=ctx.uid)


@router.get("/providers", name="providers", auth="public", response=service.ProvidersByCategory)
def providers(ctx: RequestContext) -> service.ProvidersByCategory:
    """Providers grouped by pipeline step, with each step's offline fallback."""
    return service.list_providers()


@router.get("/status", name="status", auth="user", response=service.Readiness)
def status(ctx: RequestContext) -> service.Readiness:
    """Which provider each pipeline step will use for me (or the offline one)."""
    return service.integration_readiness(platform=get_platform(), uid=ctx.uid)


@router.post(
    "",
    name="create",
    auth="user",
    body=service.AddIntegrationRequest,
    response=service.IntegrationOut,
    status=201,
    errors=(409, 422, 429),
    rate_limit="connect_account",
)
def create(ctx: RequestContext, *, body: service.AddIntegrationRequest) -> service.IntegrationOut:
    """Connect a provider; the key is encrypted and checked in the background."""
    return service.add_integration(platform=get_platform(), uid=ctx.uid, request=body)


@router.patch(
    "/{integration_id}",
    name="update",
    auth="owner",
    body=UpdateIntegrationRequest,
    response=service.IntegrationOut,
    errors=(404, 422, 429),
    rate_limit="connect_account",
)
def update(
    ctx: RequestContext, *, integration_id: str, body: UpdateIntegrationRequest
) -> service.IntegrationOut:
    """Replace the key and/or options; the key is checked again in the background."""
    return service.update_integration(
        platform=get_platform(), uid=ctx.uid, integration_id=integration_id, request=body
    )


@router.delete("/{integration_id}", name="delete", auth="owner", status=204, errors=(404,))
def delete(ctx: RequestContext, *, integration_id: str) -> None:
    """Remove an integration."""
    service.delete_integration(platform=get_platform(), uid=ctx.uid, integration_id=integration_id)


@router.post(
    "/{integration_id}/validate",
    name="validate",
    auth="owner",
    query=ValidateQuery,
    response=service.ValidateOutcome,
    status=202,
    statuses=(200,),
    errors=(404,),
)
def validate(
    ctx: RequestContext, *, integration_id: str, query: ValidateQuery
) -> tuple[service.ValidateOutcome, int]:
    """Check the key again: queued (202), or inline with `?sync=true` (200)."""
    outcome = service.request_validation(
        platform=get_platform(), uid=ctx.uid, integration_id=integration_id, sync=query.sync
    )
    return outcome, 200 if query.sync else 202


@router.post(
    "/{integration_id}/reveal",
    name="reveal",
    auth="owner",
    response=service.RevealedKey,
    errors=(401, 404, 429),
    rate_limit="key_reveal",
    check_revoked=True,
)
def reveal(ctx: RequestContext, *, integration_id: str) -> service.RevealedKey:
    """Show my full key (audited; at most 10 reveals per hour)."""
    return service.reveal_key(
        platform=get_platform(),
        uid=ctx.uid,
        integration_id=integration_id,
        client_ip=ctx.client_ip,
        user_agent=ctx.request.headers.get("User-Agent"),
    )


@router.patch(
    "/{integration_id}/toggle",
    name="toggle",
    auth="owner",
    body=ToggleRequest,
    response=service.IntegrationOut,
    errors=(404,),
)
def toggle(
    ctx: RequestContext, *, integration_id: str, body: ToggleRequest
) -> service.IntegrationOut:
    """Turn an integration on or off (no body flips it)."""
    return service.set_active(
        platform=get_platform(),
        uid=ctx.uid,
        integration_id=integration_id,
        is_active=body.is_active,
    )


@functions_framework.http
def integrations(request: flask.Request) -> flask.Response:
    return router(request)
