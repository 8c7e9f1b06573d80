"""Suggestions (premium): what to make next, learned from my own results.

Every route is `premium` (the role) and also checks the role's `ai_suggestions`
limit and the `ai_suggestions` feature flag (403 when either is off).
"""

from typing import Literal

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.http import RequestContext, Router
from synthora.platform import get_platform
from synthora.services import suggestions as service
from synthora.suggestions.attribution import Attribution
from synthora.suggestions.ideas import Ideas
from synthora.suggestions.improvements import Improvements
from synthora.suggestions.posting_times import PostingTimes
from synthora.suggestions.trends import Trends

router = Router(
    group="suggestions",
    prefix="/api/v1/suggestions",
    write_scope="analytics",
    description=(
        "Premium suggestions from the creator's own results, each citing its evidence: list, "
        "read, dismiss, act (with the video made from it), analyses, prediction, the closed loop."
    ),
)

SocialName = Literal["youtube", "tiktok", "instagram", "facebook"]


ListQuery = service.SuggestionListQuery


class PredictQuery(BaseModel):
    platform: SocialName | None = Field(
        default=None, description="Default: the template's first target platform."
    )
    hour: int | None = Field(default=None, ge=0, le=23, description="Planned hour, my time zone.")


def _uid(ctx: RequestContext) -> str:
    service.require_access(platform=get_platform(), uid=ctx.uid)
    return ctx.uid


@router.get(
    "",
    name="list",
    auth="premium",
    query=ListQuery,
    response=service.SuggestionPage,
    errors=(403,),
)
def list_suggestions(ctx: RequestContext, *, query: ListQuery) -> service.SuggestionPage:
    """My suggestions, newest first, with type, read and dismissed filters and my unread count."""
    return service.list_suggestions(
        platform=get_platform(),
        uid=_uid(ctx),
        limit=query.limit,
        cursor=query.cursor,
        type=query.type,
        read=query.read,
        dismissed=query.dismissed,
    )


@router.get(
    "/unread-count",
    name="unread_count",
    auth="premium",
    response=service.UnreadCount,
    errors=(403,),
)
def unread_count(ctx: RequestContext) -> service.UnreadCount:
    """How many unread, not dismissed suggestions I have, in total and by type."""
    return service.unread_count(platform=get_platform(), uid=_uid(ctx))


@router.post(
    "/read-all", name="read_all", auth="premium", response=service.BulkResult, errors=(403,)
)
def read_all(ctx: RequestContext) -> service.BulkResult:
    """Mark all my suggestions read."""
    return service.mark_all_read(platform=get_platform(), uid=_uid(ctx))


@router.post(
    "/generate",
    name="generate",
    auth="premium",
    body=service.GenerateRequest,
    response=service.GenerateRequested,
    status=202,
    errors=(403, 429),
)
def generate(ctx: RequestContext, *, body: service.GenerateRequest) -> service.GenerateRequested:
    """Generate my suggestions now, in the background (one task per type); once per 15 min."""
    return service.request_generate(platform=get_platform(), uid=_uid(ctx), request=body)


@router.get(
    "/analysis/posting-times",
    name="posting_times",
    auth="premium",
    response=PostingTimes,
    errors=(403,),
)
def posting_times(ctx: RequestContext) -> PostingTimes:
    """My best hours and heatmap slots per platform, with confidence and sample sizes."""
    return service.posting_times_for(platform=get_platform(), uid=_uid(ctx))


@router.get(
    "/analysis/performance",
    name="performance",
    auth="premium",
    response=Attribution,
    errors=(403,),
)
def performance(ctx: RequestContext) -> Attribution:
    """Each template and setting value against my median views (hook, structure, length...)."""
    return service.attribution_for(platform=get_platform(), uid=_uid(ctx))


@router.get(
    "/analysis/content-ideas",
    name="content_ideas",
    auth="premium",
    response=Ideas,
    errors=(403,),
)
def content_ideas(ctx: RequestContext) -> Ideas:
    """Next-video ideas from my best performers (with my OpenAI key: grounded AI ideas)."""
    return service.content_ideas_for(platform=get_platform(), uid=_uid(ctx))


@router.get("/analysis/trends", name="trends", auth="premium", response=Trends, errors=(403,))
def trends(ctx: RequestContext) -> Trends:
    """Rising and falling topics, templates and formats within my own results."""
    return service.trends_for(platform=get_platform(), uid=_uid(ctx))


@router.get(
    "/analysis/predict/{video_id}",
    name="predict",
    auth="premium",
    query=PredictQuery,
    response=service.VideoPrediction,
    errors=(403, 404),
    ids=("video_id",),
)
def predict(ctx: RequestContext, *, video_id: str, query: PredictQuery) -> service.VideoPrediction:
    """Expected views of one of my videos before posting: a range and the factors behind it."""
    return service.predict_video(
        platform=get_platform(),
        uid=_uid(ctx),
        video_id=video_id,
        social=query.platform,
        hour=query.hour,
    )


@router.get(
    "/analysis/improvements",
    name="improvements",
    auth="premium",
    response=Improvements,
    errors=(403,),
)
def improvements(ctx: RequestContext) -> Improvements:
    """My underperforming posts, each with tips tied to evidence."""
    return service.improvements_for(platform=get_platform(), uid=_uid(ctx))


@router.get(
    "/analysis/outcomes",
    name="outcomes",
    auth="premium",
    response=service.LoopReport,
    errors=(403,),
)
def outcomes(ctx: RequestContext) -> service.LoopReport:
    """Whether the videos I made from suggestions did better than my median (the closed loop)."""
    return service.closed_loop(platform=get_platform(), uid=_uid(ctx))


@router.get(
    "/{suggestion_id}",
    name="get",
    auth="premium",
    response=service.SuggestionDetail,
    errors=(403, 404),
    ids=("suggestion_id",),
)
def get_suggestion(ctx: RequestContext, *, suggestion_id: str) -> service.SuggestionDetail:
    """One of my suggestions; acted on with a video, how that video did."""
    return service.get_suggestion_detail(
        platform=get_platform(), uid=_uid(ctx), suggestion_id=suggestion_id
    )


@router.post(
    "/{suggestion_id}/read",
    name="read",
    auth="premium",
    response=service.SuggestionOut,
    errors=(403, 404),
    ids=("suggestion_id",),
)
def read(ctx: RequestContext, *, suggestion_id: str) -> service.SuggestionOut:
    """Mark one suggestion read."""
    return service.mark_read(platform=get_platform(), uid=_uid(ctx), suggestion_id=suggestion_id)


@router.post(
    "/{suggestion_id}/dismiss",
    name="dismiss",
    auth="premium",
    response=service.SuggestionOut,
    errors=(403, 404),
    ids=("suggestion_id",),
)
def dismiss(ctx: RequestContext, *, suggestion_id: str) -> service.SuggestionOut:
    """Dismiss one suggestion (it stays dismissed until it expires)."""
    return service.dismiss(platform=get_platform(), uid=_uid(ctx), suggestion_id=suggestion_id)


@router.post(
    "/{suggestion_id}/acted",
    name="acted",
    auth="premium",
    body=service.ActedRequest,
    response=service.SuggestionOut,
    errors=(403, 404),
    ids=("suggestion_id",),
)
def acted(
    ctx: RequestContext, *, suggestion_id: str, body: service.ActedRequest
) -> service.SuggestionOut:
    """Record that I acted on it, with the video made from it (then measured for the loop)."""
    return service.mark_acted(
        platform=get_platform(), uid=_uid(ctx), suggestion_id=suggestion_id, request=body
    )


@functions_framework.http
def suggestions(request: flask.Request) -> flask.Response:
    return router(request)
