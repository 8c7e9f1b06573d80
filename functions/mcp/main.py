"""MCP: the creator's tools for AI agents (templates, videos, storyboards, posts, analytics).

One endpoint, POST /api/v1/mcp, speaking the Model Context Protocol over
streamable HTTP (`synthora.http.mcp`). Each tool calls the service its REST
route calls, with the same request and response models, the same role and
ownership checks and the same error codes; see docs/automation.md.
"""

import flask
import functions_framework
from pydantic import BaseModel, Field

from synthora import __version__
from synthora.http import Router
from synthora.http.mcp import McpEndpoint, ToolContext
from synthora.platform import get_platform
from synthora.services import analytics, suggestions, templates, videos
from synthora.services import posts as posting
from synthora.services import social_accounts as accounts
from synthora.services import storyboard as boards
from synthora.services import video_generation as generation

#: No REST routes: the group exists for the manifest and the gateway (MCP is one path).
router = Router(
    group="mcp",
    prefix="/api/v1/mcp",
    description="The Model Context Protocol endpoint (streamable HTTP) for AI agents.",
)

endpoint = McpEndpoint(
    name="synthora",
    function="mcp",
    version=__version__,
    instructions=(
        "Make, post and measure short videos as the signed-in creator. Start with "
        "list_templates, then create_video; follow it with get_video until its status is "
        "completed (or review: read and edit the storyboard, then continue_video). Post with "
        "create_post to the accounts list_social_accounts returns."
    ),
)


class VideoRef(BaseModel):
    video_id: str = Field(min_length=1, max_length=128, description="A video's id.")


class PostRef(BaseModel):
    post_id: str = Field(min_length=1, max_length=128, description="A post's id.")


class StoryboardEdit(boards.StoryboardUpdate):
    """The storyboard update of PUT /videos/{video_id}/storyboard, with the video named."""

    video_id: str = Field(min_length=1, max_length=128, description="A video's id.")


@endpoint.tool(
    "list_templates",
    input=templates.ListTemplatesQuery,
    output=templates.TemplatePage,
    access="user",
    read_only=True,
)
def list_templates(ctx: ToolContext, args: templates.ListTemplatesQuery) -> templates.TemplatePage:
    """Templates I can use (system, public and mine), with their ids, filters and pages."""
    return templates.list_accessible(
        platform=get_platform(),
        uid=ctx.uid,
        is_admin=ctx.is_admin,
        filters=templates.TemplateFilter(
            category=args.category, platform=args.platform, search=args.search
        ),
        limit=args.limit,
        cursor=args.cursor,
    )


@endpoint.tool(
    "create_video",
    input=videos.CreateVideoRequest,
    output=videos.VideoOut,
    access="user",
    rate_limit="generation",
    scope="videos:create",
)
def create_video(ctx: ToolContext, args: videos.CreateVideoRequest) -> videos.VideoOut:
    """Start a video from a template and a topic, with the Create screen's choices
    (duration, voice, music, aspect ratio, script review, integrations)."""
    platform = get_platform()
    video = generation.create_video(platform=platform, uid=ctx.uid, request=args)
    return videos.video_out(platform, video)


@endpoint.tool(
    "get_video", input=VideoRef, output=videos.VideoOut, access="owner", read_only=True,
    ids=("video_id",),
)  # fmt: skip
def get_video(ctx: ToolContext, args: VideoRef) -> videos.VideoOut:
    """One of my videos: status, progress, every step, the error, and the file's links once done."""
    platform = get_platform()
    video = videos.get_owned_video(platform=platform, uid=ctx.uid, video_id=args.video_id)
    return videos.video_out(platform, video)


@endpoint.tool(
    "get_storyboard", input=VideoRef, output=boards.StoryboardOut, access="owner",
    read_only=True, ids=("video_id",),
)  # fmt: skip
def get_storyboard(ctx: ToolContext, args: VideoRef) -> boards.StoryboardOut:
    """The script as scenes (narration, on-screen text, visual keywords, timing)."""
    return boards.get_storyboard(platform=get_platform(), uid=ctx.uid, video_id=args.video_id)


@endpoint.tool(
    "update_storyboard", input=StoryboardEdit, output=boards.StoryboardOut, access="owner",
    ids=("video_id",), scope="videos:create",
)  # fmt: skip
def update_storyboard(ctx: ToolContext, args: StoryboardEdit) -> boards.StoryboardOut:
    """Replace the scenes of a video waiting for review, or paste a whole script."""
    return boards.update_storyboard(
        platform=get_platform(), uid=ctx.uid, video_id=args.video_id, update=args
    )


@endpoint.tool(
    "continue_video", input=VideoRef, output=videos.VideoOut, access="owner",
    ids=("video_id",), scope="videos:create",
)  # fmt: skip
def continue_video(ctx: ToolContext, args: VideoRef) -> videos.VideoOut:
    """Make the video from its reviewed storyboard (voice, visuals, assembly)."""
    platform = get_platform()
    video = boards.continue_storyboard(platform=platform, uid=ctx.uid, video_id=args.video_id)
    return videos.video_out(platform, video)


@endpoint.tool(
    "list_social_accounts",
    input=accounts.AccountListQuery,
    output=accounts.SocialAccountList,
    access="user",
    read_only=True,
)
def list_social_accounts(
    ctx: ToolContext, args: accounts.AccountListQuery
) -> accounts.SocialAccountList:
    """My connected YouTube, TikTok, Instagram and Facebook accounts (ids to post to)."""
    return accounts.list_accounts(
        platform=get_platform(),
        uid=ctx.uid,
        social_platform=args.platform,
        include_disconnected=args.include_disconnected,
    )


@endpoint.tool(
    "create_post",
    input=posting.CreatePostRequest,
    output=posting.PostOut,
    access="user",
    scope="posts",
)
def create_post(ctx: ToolContext, args: posting.CreatePostRequest) -> posting.PostOut:
    """Post a finished video to several accounts now, or schedule it (`scheduled_at`),
    with per-platform settings for each target."""
    return posting.create_post(platform=get_platform(), uid=ctx.uid, request=args)


@endpoint.tool(
    "get_post", input=PostRef, output=posting.PostOut, access="owner", read_only=True,
    ids=("post_id",),
)  # fmt: skip
def get_post(ctx: ToolContext, args: PostRef) -> posting.PostOut:
    """One of my posts with each target's status, link and error."""
    return posting.get_post(platform=get_platform(), uid=ctx.uid, post_id=args.post_id)


@endpoint.tool(
    "analytics_overview",
    input=analytics.PeriodQuery,
    output=analytics.Overview,
    access="user",
    read_only=True,
)
def analytics_overview(ctx: ToolContext, args: analytics.PeriodQuery) -> analytics.Overview:
    """Totals over the last `days` and their change against the `days` before."""
    return analytics.overview(platform=get_platform(), uid=ctx.uid, days=args.days)


@endpoint.tool(
    "analytics_heatmap",
    input=analytics.HeatmapQuery,
    output=analytics.Heatmap,
    access="user",
    read_only=True,
)
def analytics_heatmap(ctx: ToolContext, args: analytics.HeatmapQuery) -> analytics.Heatmap:
    """My best posting times: weekday x hour from my own posts, with sample sizes."""
    return analytics.heatmap(
        platform=get_platform(), uid=ctx.uid, days=args.days, social=args.platform, tz=args.tz
    )


@endpoint.tool(
    "list_suggestions",
    input=suggestions.SuggestionListQuery,
    output=suggestions.SuggestionPage,
    access="premium",
    read_only=True,
)
def list_suggestions(
    ctx: ToolContext, args: suggestions.SuggestionListQuery
) -> suggestions.SuggestionPage:
    """My suggestions (premium), newest first: what to make next and when to post."""
    platform = get_platform()
    suggestions.require_access(platform=platform, uid=ctx.uid)
    return suggestions.list_suggestions(
        platform=platform,
        uid=ctx.uid,
        limit=args.limit,
        cursor=args.cursor,
        type=args.type,
        read=args.read,
        dismissed=args.dismissed,
    )


@functions_framework.http
def mcp(request: flask.Request) -> flask.Response:
    return endpoint(request)
