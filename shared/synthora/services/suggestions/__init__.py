"""Suggestions (spec 12): what to make next, learned from the creator's own results.

Split along its seams: `store` (the stored suggestions and their state),
`history` (a creator's posts joined to their videos' settings), `analysis`
(the analysers of `synthora.suggestions` over that history, OpenAI content
ideas), `generate` (the per-type task, the daily cron, on-demand generation)
and `loop` (whether acted-on suggestions did better). This module is the
public face the functions import. docs/suggestions.md has the formulas.
"""

from __future__ import annotations

from synthora.platform import Platform
from synthora.services.suggestions.analysis import (
    VideoPrediction,
    attribution_for,
    content_ideas_for,
    history_of,
    improvements_for,
    posting_times_for,
    predict_video,
    trends_for,
)
from synthora.services.suggestions.generate import (
    DailyPlan,
    GenerateRequest,
    GenerateRequested,
    GenerateResult,
    GenerateTask,
    plan_daily,
    request_generate,
    run_generate,
)
from synthora.services.suggestions.loop import LoopReport, closed_loop, outcome_of, video_ratios
from synthora.services.suggestions.store import (
    ActedRequest,
    BulkResult,
    CleanupResult,
    Evidence,
    NewSuggestion,
    Outcome,
    SuggestionListQuery,
    SuggestionOut,
    SuggestionPage,
    SuggestionType,
    UnreadCount,
    cleanup_expired,
    create_suggestion,
    dismiss,
    get_suggestion,
    list_suggestions,
    mark_acted,
    mark_all_read,
    mark_read,
    require_access,
    unread_count,
)


class SuggestionDetail(SuggestionOut):
    outcome: Outcome | None = None


def get_suggestion_detail(*, platform: Platform, uid: str, suggestion_id: str) -> SuggestionDetail:
    """One suggestion, with how the video made from it did when it was acted on with one."""
    out = get_suggestion(platform=platform, uid=uid, suggestion_id=suggestion_id)
    outcome = None
    if out.acted_video_id:
        history = history_of(platform=platform, uid=uid)
        outcome = outcome_of(history, video_ratios(history), out.acted_video_id)
    return SuggestionDetail(**out.model_dump(), outcome=outcome)


__all__ = [
    "ActedRequest",
    "BulkResult",
    "CleanupResult",
    "DailyPlan",
    "Evidence",
    "GenerateRequest",
    "GenerateRequested",
    "GenerateResult",
    "GenerateTask",
    "LoopReport",
    "NewSuggestion",
    "Outcome",
    "SuggestionDetail",
    "SuggestionListQuery",
    "SuggestionOut",
    "SuggestionPage",
    "SuggestionType",
    "UnreadCount",
    "VideoPrediction",
    "attribution_for",
    "cleanup_expired",
    "closed_loop",
    "content_ideas_for",
    "create_suggestion",
    "dismiss",
    "get_suggestion",
    "get_suggestion_detail",
    "history_of",
    "improvements_for",
    "list_suggestions",
    "mark_acted",
    "mark_all_read",
    "mark_read",
    "plan_daily",
    "posting_times_for",
    "predict_video",
    "request_generate",
    "require_access",
    "run_generate",
    "trends_for",
    "unread_count",
]
