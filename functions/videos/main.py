"""Videos: create (start a generation), list, read, status, storyboard, retry, cancel, delete."""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora.http import Page, RequestContext, Router
from synthora.http.pagination import PageQuery
from synthora.pipeline.models import VideoStatus
from synthora.platform import get_platform
from synthora.services import batch, storyboard
from synthora.services import video_generation as generation
from synthora.services import videos as service

router = Router(
    group="videos",
    prefix="/api/v1/videos",
    write_scope="videos:create",
    description="Video generation.",
)


class ListVideosQuery(PageQuery):
    status: VideoStatus | None = Field(default=None, description="Only videos in this status.")


class DeleteResult(BaseModel):
    deleted: bool
    blobs_removed: int


@router.get("", name="list", auth="user", query=ListVideosQuery, response=Page[service.VideoOut])
def list_videos(ctx: RequestContext, *, query: ListVideosQuery) -> Page[service.VideoOut]:
    """My videos, newest first, optionally filtered by status."""
    return service.list_videos(
        platform=get_platform(),
        uid=ctx.uid,
        status=query.status,
        limit=query.limit,
        cursor=query.cursor,
    )


@router.post(
    "",
    name="create",
    auth="user",
    body=service.CreateVideoRequest,
    response=service.VideoOut,
    status=201,
    errors=(403, 404, 409, 429, 503),
    rate_limit="generation",
)
def create_video(ctx: RequestContext, *, body: service.CreateVideoRequest) -> service.VideoOut:
    """Start generating a video from a template and a topic."""
    platform = get_platform()
    video = generation.create_video(platform=platform, uid=ctx.uid, request=body)
    return service.video_out(platform, video)


@router.post(
    "/batch/validate",
    name="validate_batch",
    auth="user",
    body=batch.BatchFileIn,
    response=batch.BatchParse,
    max_body=batch.MAX_BODY,
    errors=(413, 422),
)
def validate_batch(ctx: RequestContext, *, body: batch.BatchFileIn) -> batch.BatchParse:
    """Check a batch file (CSV or YAML): its rows, and each bad row's errors. Creates nothing."""
    return batch.validate_batch(platform=get_platform(), uid=ctx.uid, request=body)


@router.post(
    "/batch",
    name="start_batch",
    auth="user",
    body=batch.BatchStartIn,
    response=batch.BatchStartOut,
    max_body=batch.MAX_BODY,
    errors=(413, 422, 429),
    rate_limit="generation",
)
def start_batch(ctx: RequestContext, *, body: batch.BatchStartIn) -> batch.BatchStartOut:
    """Start a batch file's videos: each row once (by its key), limits refuse single rows."""
    return batch.start_batch(platform=get_platform(), uid=ctx.uid, request=body)


@router.get("/stats/me", name="stats_me", auth="user", response=service.VideoStats)
def my_stats(ctx: RequestContext) -> service.VideoStats:
    """Counts of my videos by status."""
    return service.video_stats(platform=get_platform(), uid=ctx.uid)


@router.get("/admin/stats", name="admin_stats", auth="admin", response=service.VideoStats)
def admin_stats(ctx: RequestContext) -> service.VideoStats:
    """Platform-wide counts of videos by status."""
    return service.video_stats(platform=get_platform(), uid=None)


@router.get("/{video_id}", name="get", auth="owner", response=service.VideoOut)
def get_video(ctx: RequestContext, *, video_id: str) -> service.VideoOut:
    """One of my videos, with signed URLs for the file and thumbnail once it is done."""
    platform = get_platform()
    video = service.get_owned_video(platform=platform, uid=ctx.uid, video_id=video_id)
    return service.video_out(platform, video)


@router.get("/{video_id}/status", name="status", auth="owner", response=service.VideoStatusOut)
def video_status(ctx: RequestContext, *, video_id: str) -> service.VideoStatusOut:
    """Progress, current step, every step's state and the error, for polling."""
    video = service.get_owned_video(platform=get_platform(), uid=ctx.uid, video_id=video_id)
    return service.status_out(video)


@router.post(
    "/{video_id}/retry",
    name="retry",
    auth="owner",
    body=service.RetryVideoRequest,
    response=service.VideoOut,
    status=202,
    errors=(403, 404, 409, 429, 503),
    rate_limit="generation",
)
def retry_video(
    ctx: RequestContext, *, video_id: str, body: service.RetryVideoRequest
) -> service.VideoOut:
    """Retry a failed video from its failed step, optionally with another integration."""
    platform = get_platform()
    video = generation.retry_video(platform=platform, uid=ctx.uid, video_id=video_id, request=body)
    return service.video_out(platform, video)


@router.get(
    "/{video_id}/storyboard",
    name="storyboard",
    auth="owner",
    response=storyboard.StoryboardOut,
    errors=(409,),
)
def get_storyboard(ctx: RequestContext, *, video_id: str) -> storyboard.StoryboardOut:
    """The script as scenes: narration, on-screen text, visual keywords and timing."""
    return storyboard.get_storyboard(platform=get_platform(), uid=ctx.uid, video_id=video_id)


@router.put(
    "/{video_id}/storyboard",
    name="update_storyboard",
    auth="owner",
    body=storyboard.StoryboardUpdate,
    response=storyboard.StoryboardOut,
    errors=(409,),
)
def update_storyboard(
    ctx: RequestContext, *, video_id: str, body: storyboard.StoryboardUpdate
) -> storyboard.StoryboardOut:
    """Replace the scenes (edited, reordered, added, deleted) or paste a whole script."""
    return storyboard.update_storyboard(
        platform=get_platform(), uid=ctx.uid, video_id=video_id, update=body
    )


@router.post(
    "/{video_id}/storyboard/continue",
    name="continue_storyboard",
    auth="owner",
    response=service.VideoOut,
    status=202,
    errors=(409, 429),
)
def continue_storyboard(ctx: RequestContext, *, video_id: str) -> service.VideoOut:
    """Make the video from the reviewed storyboard (voice, visuals, assembly)."""
    platform = get_platform()
    video = storyboard.continue_storyboard(platform=platform, uid=ctx.uid, video_id=video_id)
    return service.video_out(platform, video)


@router.post(
    "/{video_id}/storyboard/scenes/{scene}/regenerate",
    name="regenerate_scene",
    auth="owner",
    body=storyboard.RegenerateSceneRequest,
    response=storyboard.StoryboardOut,
    errors=(409, 422, 502),
)
def regenerate_scene(
    ctx: RequestContext, *, video_id: str, scene: str, body: storyboard.RegenerateSceneRequest
) -> storyboard.StoryboardOut:
    """Rewrite one scene (numbered from 0) with the user's script model."""
    return storyboard.regenerate_scene(
        platform=get_platform(),
        uid=ctx.uid,
        video_id=video_id,
        index=storyboard.scene_index(scene),
        request=body,
    )


@router.post(
    "/{video_id}/cancel",
    name="cancel",
    auth="owner",
    response=service.VideoOut,
    errors=(409,),
)
def cancel_video(ctx: RequestContext, *, video_id: str) -> service.VideoOut:
    """Cancel a generation in progress (or waiting for review); its files are removed."""
    platform = get_platform()
    video = generation.cancel_video(platform=platform, uid=ctx.uid, video_id=video_id)
    return service.video_out(platform, video)


@router.delete("/{video_id}", name="delete", auth="owner", response=DeleteResult, errors=(409,))
def delete_video(ctx: RequestContext, *, video_id: str) -> DeleteResult:
    """Delete a finished or failed video and its files."""
    removed = service.delete_video(platform=get_platform(), uid=ctx.uid, video_id=video_id)
    return DeleteResult(deleted=True, blobs_removed=removed)


@functions_framework.http
def videos(request: flask.Request) -> flask.Response:
    return router(request)
