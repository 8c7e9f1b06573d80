"""The suggestions service over a history stored like a real one: store, generators, loop, AI."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx

from synthora.errors import Forbidden, NotFound, RateLimited
from synthora.platform import Platform
from synthora.services import app_settings, integrations
from synthora.services import suggestions as service
from synthora.services.suggestions import (
    ActedRequest,
    Evidence,
    GenerateRequest,
    GenerateTask,
    NewSuggestion,
    SuggestionType,
)
from synthora.suggestions import Basis
from tests.suggestions import plant
from tests.suggestions.synthetic import NOW, history

UID = "creator1"
OPENAI = "https://api.openai.com/v1/chat/completions"
BASIS = Basis(posts=0, videos=0, platforms=[], start=None, end=None, summary="none")


def _new(key: str, type: SuggestionType = SuggestionType.template) -> NewSuggestion:
    return NewSuggestion(
        type=type,
        key=key,
        title=f"Title {key}",
        body="Body",
        evidence=Evidence(basis=BASIS, points=[]),
    )


@pytest.fixture
def creator(platform: Platform) -> Platform:
    plant.user(platform, UID)
    plant.history(
        platform,
        UID,
        history(best_hour=18, better_hook="question", declining_template="Explainer", posts=75),
    )
    return platform


# --------------------------------------------------------------------------- store


def test_create_is_idempotent_per_conclusion_and_lists_with_filters(platform: Platform) -> None:
    a, created = service.create_suggestion(platform=platform, uid=UID, new=_new("a"), now=NOW)
    again, created_again = service.create_suggestion(platform=platform, uid=UID, new=_new("a"))
    assert created and not created_again and again.id == a.id
    service.create_suggestion(
        platform=platform,
        uid=UID,
        new=_new("b", SuggestionType.trend),
        now=NOW + timedelta(seconds=1),
    )
    service.create_suggestion(platform=platform, uid="someone-else", new=_new("c"), now=NOW)
    page = service.list_suggestions(platform=platform, uid=UID, limit=1, cursor=None)
    assert [i.title for i in page.items] == ["Title b"] and page.has_more and page.unread_count == 2
    rest = service.list_suggestions(platform=platform, uid=UID, limit=1, cursor=page.next_cursor)
    assert [i.title for i in rest.items] == ["Title a"] and not rest.has_more
    trends_only = service.list_suggestions(
        platform=platform, uid=UID, limit=10, cursor=None, type=SuggestionType.trend
    )
    assert [i.type for i in trends_only.items] == [SuggestionType.trend]
    assert service.unread_count(platform=platform, uid=UID).by_type == {"template": 1, "trend": 1}
    assert a.expires_at == NOW + timedelta(days=30)


def test_read_dismiss_read_all_and_ownership(platform: Platform) -> None:
    a, _ = service.create_suggestion(platform=platform, uid=UID, new=_new("a"))
    b, _ = service.create_suggestion(platform=platform, uid=UID, new=_new("b"))
    assert service.mark_read(platform=platform, uid=UID, suggestion_id=a.id).read
    with pytest.raises(NotFound):
        service.mark_read(platform=platform, uid="intruder", suggestion_id=a.id)
    dismissed = service.dismiss(platform=platform, uid=UID, suggestion_id=b.id)
    assert dismissed.dismissed and dismissed.read
    listed = service.list_suggestions(platform=platform, uid=UID, limit=10, cursor=None)
    assert [i.id for i in listed.items] == [a.id]
    gone = service.list_suggestions(
        platform=platform, uid=UID, limit=10, cursor=None, dismissed=True
    )
    assert [i.id for i in gone.items] == [b.id]
    c, _ = service.create_suggestion(platform=platform, uid=UID, new=_new("c"))
    assert service.mark_all_read(platform=platform, uid=UID).updated == 1
    assert service.unread_count(platform=platform, uid=UID).total == 0
    assert service.get_suggestion(platform=platform, uid=UID, suggestion_id=c.id).read


def test_cleanup_deletes_only_expired(platform: Platform) -> None:
    old, _ = service.create_suggestion(
        platform=platform, uid=UID, new=_new("old"), now=NOW - timedelta(days=40)
    )
    new, _ = service.create_suggestion(platform=platform, uid=UID, new=_new("new"), now=NOW)
    result = service.cleanup_expired(platform=platform, now=NOW)
    assert result.deleted == 1 and not result.more
    with pytest.raises(NotFound):
        service.get_suggestion(platform=platform, uid=UID, suggestion_id=old.id)
    assert service.get_suggestion(platform=platform, uid=UID, suggestion_id=new.id)


def test_access_needs_the_role_limit_and_the_flag(platform: Platform) -> None:
    plant.user(platform, "free1", role="free")
    with pytest.raises(Forbidden) as info:
        service.require_access(platform=platform, uid="free1")
    assert info.value.code == "premium_required"
    plant.user(platform, UID)
    service.require_access(platform=platform, uid=UID)
    app_settings.put_setting(
        platform=platform, admin_uid="admin", key="features", value={"ai_suggestions": False}
    )
    with pytest.raises(Forbidden) as info:
        service.require_access(platform=platform, uid=UID)
    assert info.value.code == "ai_suggestions_disabled"


# --------------------------------------------------------------------------- analyses over storage


def test_the_stored_history_is_read_back_with_its_settings(creator: Platform) -> None:
    h = service.history_of(platform=creator, uid=UID, now=NOW)
    assert len(h.observations) == 75
    first = next(o for o in h.observations if o.video_id == "video0")
    assert first.settings["hook_style"] == "question" and first.settings["length"] == "15_30s"
    assert first.template_name and first.topic == "why cats purr"


def test_posting_times_and_attribution_recover_the_planted_effects(creator: Platform) -> None:
    h = service.history_of(platform=creator, uid=UID, now=NOW)
    times = service.posting_times_for(platform=creator, uid=UID, history=h)
    (tiktok,) = times.platforms
    assert tiktok.best_hours[0].value == "18"
    assert tiktok.heatmap_slots[0].hour == 18
    hook = service.attribution_for(platform=creator, uid=UID, history=h).dimension("hook_style")
    assert hook is not None and hook.best is not None and hook.best.value == "question"


def test_generating_every_type_stores_cited_suggestions_once(creator: Platform) -> None:
    created: dict[str, int] = {}
    for t in SuggestionType:
        result = service.run_generate(platform=creator, task=GenerateTask(uid=UID, type=t), now=NOW)
        assert result.outcome == "generated"
        created[t.value] = result.created
    assert created["posting_time"] == 1 and created["template"] >= 1 and created["trend"] >= 1
    assert created["content_idea"] >= 1 and created["improvement"] >= 1
    items = service.list_suggestions(platform=creator, uid=UID, limit=100, cursor=None).items
    hook = next(i for i in items if i.title == "Question hooks work best for you")
    assert hook.evidence.points[0].startswith("question hooks: ")
    assert hook.evidence.basis.posts == 75
    assert hook.prefill is not None and hook.prefill.template_id
    posting = next(i for i in items if i.type == "posting_time")
    assert posting.title == "Post on tiktok at 18:00-19:00 (UTC)"
    falling = [i for i in items if i.type == "trend" and "Explainer" in i.title]
    assert falling and "falling" in falling[0].title
    idea = next(i for i in items if i.type == "content_idea")
    assert idea.prefill is not None and idea.prefill.topic == idea.title
    again = service.run_generate(
        platform=creator, task=GenerateTask(uid=UID, type=SuggestionType.template), now=NOW
    )
    assert again.created == 0 and again.existing == created["template"]


def test_generation_stores_nothing_on_too_little_or_without_access(platform: Platform) -> None:
    plant.user(platform, UID)
    plant.history(platform, UID, history(posts=5))
    for t in SuggestionType:
        assert (
            service.run_generate(
                platform=platform, task=GenerateTask(uid=UID, type=t), now=NOW
            ).created
            == 0
        )
    plant.user(platform, "free1", role="free")
    out = service.run_generate(
        platform=platform, task=GenerateTask(uid="free1", type=SuggestionType.trend)
    )
    assert out.outcome == "not_allowed"


def test_prediction_of_an_unposted_video(creator: Platform) -> None:
    plant.video(creator, UID, "fresh", settings={"hook_style": "question"})
    h = service.history_of(platform=creator, uid=UID, now=NOW)
    better = service.predict_video(platform=creator, uid=UID, video_id="fresh", hour=18, history=h)
    plant.video(creator, UID, "plain", settings={"hook_style": "bold_claim"})
    worse = service.predict_video(platform=creator, uid=UID, video_id="plain", hour=9, history=h)
    assert better.status == "ok" and better.platform == "tiktok"
    assert better.expected_views and worse.expected_views
    assert better.expected_views > 2 * worse.expected_views
    assert {f.name for f in better.factors} >= {"hook_style", "hour"}
    assert better.baseline_source == "own_and_platform"
    with pytest.raises(NotFound):
        service.predict_video(platform=creator, uid="intruder", video_id="fresh")


def test_the_closed_loop_measures_acted_on_videos(creator: Platform) -> None:
    h = service.history_of(platform=creator, uid=UID, now=NOW)
    ratios = service.video_ratios(h)
    best = sorted(ratios, key=lambda v: ratios[v][0], reverse=True)[:3]
    for n, video_id in enumerate(best):
        s, _ = service.create_suggestion(platform=creator, uid=UID, new=_new(f"s{n}"))
        acted = service.mark_acted(
            platform=creator, uid=UID, suggestion_id=s.id, request=ActedRequest(video_id=video_id)
        )
        assert acted.acted and acted.acted_video_id == video_id and acted.read
    s, _ = service.create_suggestion(platform=creator, uid=UID, new=_new("unposted"))
    plant.video(creator, UID, "unposted-video", settings={})
    service.mark_acted(
        platform=creator,
        uid=UID,
        suggestion_id=s.id,
        request=ActedRequest(video_id="unposted-video"),
    )
    other, _ = service.create_suggestion(platform=creator, uid=UID, new=_new("other"))
    with pytest.raises(NotFound):
        service.mark_acted(
            platform=creator,
            uid=UID,
            suggestion_id=other.id,
            request=ActedRequest(video_id="video-of-nobody"),
        )
    report = service.closed_loop(platform=creator, uid=UID, history=h)
    assert report.status == "ok" and report.acted == 4 and report.measured == 3
    assert report.lift is not None and report.lift > 1.5
    assert {o.status for o in report.outcomes} == {"measured", "not_posted"}
    detail = service.get_suggestion_detail(platform=creator, uid=UID, suggestion_id=s.id)
    assert detail.outcome is not None and detail.outcome.status == "not_posted"


def test_the_loop_says_what_it_needs(creator: Platform) -> None:
    report = service.closed_loop(platform=creator, uid=UID)
    assert report.status == "insufficient_data" and report.lift is None
    assert "0 measured video(s) made from suggestions" in (report.message or "")


def test_generate_on_demand_enqueues_each_type_once_per_cooldown(creator: Platform) -> None:
    out = service.request_generate(platform=creator, uid=UID, request=GenerateRequest(), now=NOW)
    assert out.enqueued == len(SuggestionType) and out.next_allowed_at == NOW + timedelta(
        minutes=15
    )
    with pytest.raises(RateLimited):
        service.request_generate(
            platform=creator, uid=UID, request=GenerateRequest(), now=NOW + timedelta(minutes=5)
        )
    later = service.request_generate(
        platform=creator,
        uid=UID,
        request=GenerateRequest(types=["trend"]),
        now=NOW + timedelta(minutes=16),
    )
    assert later.enqueued == 1


def test_daily_plan_fans_out_premium_users_and_cleans(platform: Platform) -> None:
    plant.user(platform, "p1")
    plant.user(platform, "p2", role="admin")
    plant.user(platform, "f1", role="free")
    service.create_suggestion(
        platform=platform, uid="p1", new=_new("old"), now=NOW - timedelta(days=60)
    )
    plan = service.plan_daily(platform=platform, now=NOW)
    assert plan.users == 2 and plan.enqueued == 2 * len(SuggestionType)
    assert plan.expired_deleted.deleted == 1
    again = service.plan_daily(platform=platform, now=NOW)
    assert again.enqueued == 0 and again.already_enqueued == 2 * len(SuggestionType)


# --------------------------------------------------------------------------- OpenAI ideas


def _completion(content: str | None, *, refusal: str | None = None) -> dict[str, Any]:
    """A Chat Completions answer as documented (Structured Outputs: content or refusal)."""
    return {
        "id": "chatcmpl-ideas",
        "object": "chat.completion",
        "created": 1732440000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 200, "completion_tokens": 90, "total_tokens": 290},
    }


@pytest.fixture
def with_openai(creator: Platform) -> Platform:
    integrations.add_integration(
        platform=creator,
        uid=UID,
        request=integrations.AddIntegrationRequest(provider="openai", api_key="sk-" + "a" * 40),
    )
    return creator


@respx.mock
def test_content_ideas_with_openai_are_grounded_in_the_best_topics(with_openai: Platform) -> None:
    ideas = {"ideas": [{"topic": "Why dogs purr too", "angle": "a twist", "why": "cats did 3x"}]}
    route = respx.post(OPENAI).mock(
        return_value=httpx.Response(200, json=_completion(json.dumps(ideas)))
    )
    h = service.history_of(platform=with_openai, uid=UID, now=NOW)
    result = service.content_ideas_for(platform=with_openai, uid=UID, history=h)
    assert result.source == "openai" and [i.topic for i in result.ideas] == ["Why dogs purr too"]
    assert (
        result.ideas[0].prefill.template_id and result.ideas[0].prefill.topic == "Why dogs purr too"
    )
    body = json.loads(route.calls.last.request.content)
    assert body["response_format"]["json_schema"]["strict"] is True
    prompt = body["messages"][1]["content"]
    assert "x median views" in prompt and "question hooks: " in prompt


@pytest.mark.parametrize(
    ("response", "code"),
    [
        (httpx.Response(200, json=_completion(None, refusal="I can't help with that.")), "refusal"),
        (httpx.Response(200, json=_completion("{not json")), "invalid_response"),
        (
            httpx.Response(
                401,
                json={
                    "error": {
                        "message": "Incorrect API key provided.",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": "invalid_api_key",
                    }
                },
            ),
            "invalid_api_key",
        ),
    ],
    ids=["refusal", "malformed", "bad-key"],
)
@respx.mock
def test_openai_failures_fall_back_to_offline_ideas(
    with_openai: Platform, response: httpx.Response, code: str
) -> None:
    respx.post(OPENAI).mock(return_value=response)
    h = service.history_of(platform=with_openai, uid=UID, now=NOW)
    result = service.content_ideas_for(platform=with_openai, uid=UID, history=h)
    assert result.source == "offline" and result.ideas
    assert result.ai_error is not None and result.ai_error.startswith(f"{code}: ")
