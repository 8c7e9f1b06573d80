"""The five system templates every installation starts with (spec 7.3).

Each has a stable id (so seeding never duplicates) and a content `version`:
the seeder inserts a missing template and replaces a stored one whose version
is lower, so bump `version` whenever a template's content changes here.

The five are deliberately far apart on every axis that changes the output
(hook, structure, pace, look, captions, voice, music, CTA), so picking one
over another visibly changes the video.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from synthora.templates.config import (
    AspectRatio,
    AudioStyle,
    CameraMotion,
    CaptionStyle,
    ColorPalette,
    CtaType,
    DurationRange,
    FontStyle,
    HookStyle,
    MusicMood,
    NarrativeStructure,
    Pacing,
    PlatformStyle,
    ScriptStyle,
    TargetPlatform,
    TemplateCategory,
    TemplateConfig,
    TextPosition,
    TextStyle,
    ThumbnailStyle,
    Transition,
    VideoStructure,
    VisualAesthetic,
    VisualStyle,
    VoiceGender,
    VoiceTone,
)


class SystemTemplate(BaseModel):
    """A seeded template: metadata, content version and config."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^sys-[a-z0-9-]+$", max_length=64)
    version: int = Field(ge=1, description="Content version; raise it to re-seed.")
    name: str = Field(min_length=1, max_length=80)
    description: str = Field(max_length=500)
    category: TemplateCategory
    tags: list[str] = Field(max_length=20)
    platforms: list[TargetPlatform] = Field(min_length=1)
    is_public: bool = True
    config: TemplateConfig


VIRAL_HOOK = SystemTemplate(
    id="sys-viral-hook",
    version=1,
    name="Viral Hook",
    description=(
        "Fast-paced and bold: a scroll-stopping first line, quick cuts and punchy "
        "captions. 15-30 seconds, made for TikTok and Instagram Reels."
    ),
    category=TemplateCategory.VIRAL,
    tags=["viral", "hook", "fast", "short-form"],
    platforms=[TargetPlatform.TIKTOK, TargetPlatform.INSTAGRAM],
    config=TemplateConfig(
        video_structure=VideoStructure(
            hook_style=HookStyle.BOLD_CLAIM,
            narrative_structure=NarrativeStructure.LISTICLE,
            num_scenes=5,
            duration=DurationRange(min_seconds=15, max_seconds=30),
            pacing=Pacing.FAST,
        ),
        visual_style=VisualStyle(
            aspect_ratio=AspectRatio.PORTRAIT,
            color_palette=ColorPalette(
                primary="#FF2D55",
                secondary="#111111",
                accent="#FFE600",
                background="#000000",
                text="#FFFFFF",
            ),
            visual_aesthetic=VisualAesthetic.BOLD,
            transitions=Transition.ZOOM,
            camera_motion=CameraMotion.KEN_BURNS,
        ),
        text_style=TextStyle(
            caption_style=CaptionStyle.BOLD_POP,
            font_style=FontStyle.BOLD_SANS,
            font_family="Montserrat",
            text_position=TextPosition.CENTER,
            hook_text_overlay=True,
        ),
        audio=AudioStyle(
            voice_gender=VoiceGender.MALE,
            voice_tone=VoiceTone.ENERGETIC,
            voice_speed=1.15,
            music_mood=MusicMood.ENERGETIC,
            music_volume=0.3,
            sound_effects=True,
        ),
        script=ScriptStyle(
            script_structure_prompt=(
                "Open with one bold, specific claim in under eight words. Then give "
                "quick, concrete points, one per scene, each a single short sentence."
            ),
            tone_instructions="Confident, punchy and conversational. No jargon, no hedging.",
            cta_type=CtaType.FOLLOW,
        ),
        platform=PlatformStyle(
            thumbnail_style=ThumbnailStyle.BOLD_TEXT,
            suggested_hashtags=["#fyp", "#viral", "#didyouknow"],
            target_platforms=[TargetPlatform.TIKTOK, TargetPlatform.INSTAGRAM],
        ),
    ),
)

EDUCATIONAL_EXPLAINER = SystemTemplate(
    id="sys-educational-explainer",
    version=1,
    name="Educational Explainer",
    description=(
        "Problem-solution explainer in a clear, professional voice: names the "
        "problem, explains why it happens, then walks through the fix. 30-90 seconds."
    ),
    category=TemplateCategory.EDUCATIONAL,
    tags=["educational", "explainer", "how-it-works", "learning"],
    platforms=[TargetPlatform.YOUTUBE, TargetPlatform.INSTAGRAM, TargetPlatform.TIKTOK],
    config=TemplateConfig(
        video_structure=VideoStructure(
            hook_style=HookStyle.QUESTION,
            narrative_structure=NarrativeStructure.PROBLEM_SOLUTION,
            num_scenes=6,
            duration=DurationRange(min_seconds=30, max_seconds=90),
            pacing=Pacing.MEDIUM,
        ),
        visual_style=VisualStyle(
            aspect_ratio=AspectRatio.PORTRAIT,
            color_palette=ColorPalette(
                primary="#2563EB",
                secondary="#0F172A",
                accent="#22C55E",
                background="#F8FAFC",
                text="#0F172A",
            ),
            visual_aesthetic=VisualAesthetic.CLEAN_PROFESSIONAL,
            transitions=Transition.SLIDE,
            camera_motion=CameraMotion.PAN,
        ),
        text_style=TextStyle(
            caption_style=CaptionStyle.BOXED,
            font_style=FontStyle.CLEAN_SANS,
            font_family="Inter",
            text_position=TextPosition.BOTTOM,
            hook_text_overlay=True,
        ),
        audio=AudioStyle(
            voice_gender=VoiceGender.FEMALE,
            voice_tone=VoiceTone.PROFESSIONAL,
            voice_speed=1.0,
            music_mood=MusicMood.CALM,
            music_volume=0.15,
            sound_effects=False,
        ),
        script=ScriptStyle(
            script_structure_prompt=(
                "Ask the question the viewer already has. State the problem, explain "
                "the cause in plain words, give the solution in clear steps, and end "
                "with a one-line recap."
            ),
            tone_instructions=(
                "Clear, patient and precise, like a good teacher. Define any term you use."
            ),
            cta_type=CtaType.SUBSCRIBE,
        ),
        platform=PlatformStyle(
            thumbnail_style=ThumbnailStyle.MINIMAL,
            suggested_hashtags=["#learnontiktok", "#explained", "#education"],
            target_platforms=[
                TargetPlatform.YOUTUBE,
                TargetPlatform.INSTAGRAM,
                TargetPlatform.TIKTOK,
            ],
        ),
    ),
)

PRODUCT_SHOWCASE = SystemTemplate(
    id="sys-product-showcase",
    version=1,
    name="Product Showcase",
    description=(
        "Cinematic demo: an aspirational promise, the product in action feature by "
        "feature, and a clear invitation to try it. 20-60 seconds."
    ),
    category=TemplateCategory.PRODUCT,
    tags=["product", "demo", "showcase", "cinematic"],
    platforms=[TargetPlatform.INSTAGRAM, TargetPlatform.YOUTUBE, TargetPlatform.FACEBOOK],
    config=TemplateConfig(
        video_structure=VideoStructure(
            hook_style=HookStyle.PROMISE,
            narrative_structure=NarrativeStructure.DEMO,
            num_scenes=5,
            duration=DurationRange(min_seconds=20, max_seconds=60),
            pacing=Pacing.MEDIUM,
        ),
        visual_style=VisualStyle(
            aspect_ratio=AspectRatio.PORTRAIT,
            color_palette=ColorPalette(
                primary="#D4AF37",
                secondary="#1C1C1E",
                accent="#F5F5F7",
                background="#0B0B0C",
                text="#F5F5F7",
            ),
            visual_aesthetic=VisualAesthetic.CINEMATIC,
            transitions=Transition.DISSOLVE,
            camera_motion=CameraMotion.KEN_BURNS,
        ),
        text_style=TextStyle(
            caption_style=CaptionStyle.MINIMAL,
            font_style=FontStyle.SERIF,
            font_family="Playfair Display",
            text_position=TextPosition.BOTTOM,
            hook_text_overlay=True,
        ),
        audio=AudioStyle(
            voice_gender=VoiceGender.FEMALE,
            voice_tone=VoiceTone.WARM,
            voice_speed=0.95,
            music_mood=MusicMood.INSPIRING,
            music_volume=0.3,
            sound_effects=False,
        ),
        script=ScriptStyle(
            script_structure_prompt=(
                "Lead with the life the product makes possible. Show one feature per "
                "scene as a benefit the viewer can picture, then invite them to try it."
            ),
            tone_instructions="Aspirational and polished, never pushy. Sensory, concrete language.",
            cta_type=CtaType.VISIT_LINK,
        ),
        platform=PlatformStyle(
            thumbnail_style=ThumbnailStyle.PRODUCT_HERO,
            suggested_hashtags=["#productdemo", "#musthave", "#newlaunch"],
            target_platforms=[
                TargetPlatform.INSTAGRAM,
                TargetPlatform.YOUTUBE,
                TargetPlatform.FACEBOOK,
            ],
        ),
    ),
)

STORYTELLING = SystemTemplate(
    id="sys-storytelling",
    version=1,
    name="Storytelling",
    description=(
        "Narrative-driven: a story that opens in a moment, builds tension, turns and "
        "lands with a lesson, for an emotional connection. 45-120 seconds."
    ),
    category=TemplateCategory.STORYTELLING,
    tags=["story", "narrative", "emotional", "long-form"],
    platforms=[TargetPlatform.YOUTUBE, TargetPlatform.FACEBOOK, TargetPlatform.INSTAGRAM],
    config=TemplateConfig(
        video_structure=VideoStructure(
            hook_style=HookStyle.STORY_OPENER,
            narrative_structure=NarrativeStructure.STORY_ARC,
            num_scenes=7,
            duration=DurationRange(min_seconds=45, max_seconds=120),
            pacing=Pacing.SLOW,
        ),
        visual_style=VisualStyle(
            aspect_ratio=AspectRatio.PORTRAIT,
            color_palette=ColorPalette(
                primary="#C2410C",
                secondary="#431407",
                accent="#FDBA74",
                background="#1C1917",
                text="#FFF7ED",
            ),
            visual_aesthetic=VisualAesthetic.WARM,
            transitions=Transition.FADE,
            camera_motion=CameraMotion.KEN_BURNS,
        ),
        text_style=TextStyle(
            caption_style=CaptionStyle.KARAOKE,
            font_style=FontStyle.SERIF,
            font_family="Lora",
            text_position=TextPosition.BOTTOM,
            hook_text_overlay=False,
        ),
        audio=AudioStyle(
            voice_gender=VoiceGender.MALE,
            voice_tone=VoiceTone.WARM,
            voice_speed=0.9,
            music_mood=MusicMood.DRAMATIC,
            music_volume=0.2,
            sound_effects=False,
        ),
        script=ScriptStyle(
            script_structure_prompt=(
                "Open inside a specific moment. Set the scene, raise the stakes, show "
                "the turning point, and close with what it taught us. One beat per scene."
            ),
            tone_instructions="Intimate and vivid, in the present tense. Let pauses breathe.",
            cta_type=CtaType.COMMENT,
        ),
        platform=PlatformStyle(
            thumbnail_style=ThumbnailStyle.CINEMATIC_FRAME,
            suggested_hashtags=["#storytime", "#truestory", "#lifelessons"],
            target_platforms=[
                TargetPlatform.YOUTUBE,
                TargetPlatform.FACEBOOK,
                TargetPlatform.INSTAGRAM,
            ],
        ),
    ),
)

TRENDING_CHALLENGE = SystemTemplate(
    id="sys-trending-challenge",
    version=1,
    name="Trending Challenge",
    description=(
        "Ultra-short and participation-focused: dares the viewer, shows the moves in "
        "a few beats and asks them to join in. 10-30 seconds."
    ),
    category=TemplateCategory.TRENDING,
    tags=["trending", "challenge", "participation", "ultra-short"],
    platforms=[TargetPlatform.TIKTOK, TargetPlatform.INSTAGRAM],
    config=TemplateConfig(
        video_structure=VideoStructure(
            hook_style=HookStyle.CHALLENGE,
            narrative_structure=NarrativeStructure.CHALLENGE_STEPS,
            num_scenes=4,
            duration=DurationRange(min_seconds=10, max_seconds=30),
            pacing=Pacing.FAST,
        ),
        visual_style=VisualStyle(
            aspect_ratio=AspectRatio.PORTRAIT,
            color_palette=ColorPalette(
                primary="#00F5D4",
                secondary="#9B5DE5",
                accent="#FEE440",
                background="#15002B",
                text="#FFFFFF",
            ),
            visual_aesthetic=VisualAesthetic.VIBRANT,
            transitions=Transition.WIPE,
            camera_motion=CameraMotion.PAN,
        ),
        text_style=TextStyle(
            caption_style=CaptionStyle.BOLD_POP,
            font_style=FontStyle.CONDENSED,
            font_family="Bebas Neue",
            text_position=TextPosition.TOP,
            hook_text_overlay=True,
        ),
        audio=AudioStyle(
            voice_gender=VoiceGender.NEUTRAL,
            voice_tone=VoiceTone.ENERGETIC,
            voice_speed=1.2,
            music_mood=MusicMood.UPBEAT,
            music_volume=0.4,
            sound_effects=True,
        ),
        script=ScriptStyle(
            script_structure_prompt=(
                "Dare the viewer in the first line. Give the challenge in two or three "
                "tiny steps, then ask them to try it and tag a friend."
            ),
            tone_instructions="Playful, hyped and inclusive. Talk to the viewer as 'you'.",
            cta_type=CtaType.TRY_IT,
        ),
        platform=PlatformStyle(
            thumbnail_style=ThumbnailStyle.FACE_CLOSEUP,
            suggested_hashtags=["#challenge", "#trend", "#tryit"],
            target_platforms=[TargetPlatform.TIKTOK, TargetPlatform.INSTAGRAM],
        ),
    ),
)

SYSTEM_TEMPLATES: list[SystemTemplate] = [
    VIRAL_HOOK,
    EDUCATIONAL_EXPLAINER,
    PRODUCT_SHOWCASE,
    STORYTELLING,
    TRENDING_CHALLENGE,
]


def get_system_template(template_id: str) -> SystemTemplate | None:
    """The system template with this id, or None."""
    return next((t for t in SYSTEM_TEMPLATES if t.id == template_id), None)


__all__ = ["SYSTEM_TEMPLATES", "SystemTemplate", "get_system_template"]
