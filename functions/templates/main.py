"""Templates: system (seeded), public and personal video templates, and their configs."""

import flask
import functions_framework
from pydantic import BaseModel

from synthora.http import PageQuery, RequestContext, Router
from synthora.platform import get_platform
from synthora.services import templates as service

router = Router(
    group="templates",
    prefix="/api/v1/templates",
    write_scope="videos:create",
    description="Video templates: system, public and personal; the config the pipeline uses.",
)

#: A template is a few kilobytes of settings; anything near this is not one.
MAX_BODY = 64_000


ListTemplatesQuery = service.ListTemplatesQuery


class TemplateList(BaseModel):
    items: list[service.TemplateOut]


@router.get("", name="list", auth="user", query=ListTemplatesQuery, response=service.TemplatePage)
def list_templates(ctx: RequestContext, *, query: ListTemplatesQuery) -> service.TemplatePage:
    """Templates I can use: system, public and mine; system first, then by name."""
    return service.list_accessible(
        platform=get_platform(),
        uid=ctx.uid,
        is_admin=ctx.is_admin,
        filters=service.TemplateFilter(
            category=query.category, platform=query.platform, search=query.search
        ),
        limit=query.limit,
        cursor=query.cursor,
    )


@router.get("/system", name="system", auth="user", response=TemplateList)
def system(ctx: RequestContext) -> TemplateList:
    """The system templates."""
    return TemplateList(
        items=service.list_system(platform=get_platform(), uid=ctx.uid, is_admin=ctx.is_admin)
    )


@router.get("/my", name="mine", auth="user", query=PageQuery, response=service.TemplatePage)
def mine(ctx: RequestContext, *, query: PageQuery) -> service.TemplatePage:
    """My own templates, newest first."""
    return service.list_mine(
        platform=get_platform(), uid=ctx.uid, limit=query.limit, cursor=query.cursor
    )


@router.get("/stats", name="stats", auth="admin", response=service.TemplateStats)
def stats(ctx: RequestContext) -> service.TemplateStats:
    """Counts by category, system vs user, and the most used templates (admin)."""
    return service.template_stats(platform=get_platform())


@router.post("/seed", name="seed", auth="admin", response=service.SeedReport)
def seed(ctx: RequestContext) -> service.SeedReport:
    """Insert missing system templates and upgrade outdated ones (admin; idempotent)."""
    return service.seed_system_templates(platform=get_platform())


@router.post(
    "",
    name="create",
    auth="user",
    body=service.CreateTemplateRequest,
    response=service.TemplateOut,
    status=201,
    max_body=MAX_BODY,
    errors=(403, 413, 422),
)
def create(ctx: RequestContext, *, body: service.CreateTemplateRequest) -> service.TemplateOut:
    """Create a personal template (admins: `is_system: true` for a system one)."""
    return service.create_template(
        platform=get_platform(), uid=ctx.uid, is_admin=ctx.is_admin, request=body
    )


@router.get("/{template_id}", name="get", auth="owner", response=service.TemplateOut, errors=(404,))
def get(ctx: RequestContext, *, template_id: str) -> service.TemplateOut:
    """One template with its full config."""
    return service.get_template(
        platform=get_platform(), uid=ctx.uid, is_admin=ctx.is_admin, template_id=template_id
    )


@router.get(
    "/{template_id}/config",
    name="config",
    auth="owner",
    response=service.TemplateConfigOut,
    errors=(404,),
)
def config(ctx: RequestContext, *, template_id: str) -> service.TemplateConfigOut:
    """The template's config as the video pipeline uses it."""
    return service.get_template_config(
        platform=get_platform(), uid=ctx.uid, template_id=template_id
    )


@router.patch(
    "/{template_id}",
    name="update",
    auth="owner",
    body=service.UpdateTemplateRequest,
    response=service.TemplateOut,
    max_body=MAX_BODY,
    errors=(403, 404, 413, 422),
)
def update(
    ctx: RequestContext, *, template_id: str, body: service.UpdateTemplateRequest
) -> service.TemplateOut:
    """Change some fields (config merged and re-validated); the version goes up by one."""
    return service.update_template(
        platform=get_platform(),
        uid=ctx.uid,
        is_admin=ctx.is_admin,
        template_id=template_id,
        request=body,
    )


@router.delete("/{template_id}", name="delete", auth="owner", status=204, errors=(403, 404, 409))
def delete(ctx: RequestContext, *, template_id: str) -> None:
    """Delete a template I own (admins: system templates not seeded at start-up)."""
    service.delete_template(
        platform=get_platform(), uid=ctx.uid, is_admin=ctx.is_admin, template_id=template_id
    )


@router.post(
    "/{template_id}/duplicate",
    name="duplicate",
    auth="owner",
    response=service.TemplateOut,
    status=201,
    errors=(404,),
)
def duplicate(ctx: RequestContext, *, template_id: str) -> service.TemplateOut:
    """Copy a template into my collection (private, named "Copy of ...")."""
    return service.duplicate_template(platform=get_platform(), uid=ctx.uid, template_id=template_id)


@functions_framework.http
def templates(request: flask.Request) -> flask.Response:
    return router(request)
