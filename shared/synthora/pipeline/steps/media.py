"""The media step."""

from __future__ import annotations

import json
from typing import Any

from synthora.media import visuals
from synthora.media.models import RESOLUTIONS
from synthora.pipeline.models import Step
from synthora.pipeline.runner import Done, StepOutcome, StepRun
from synthora.pipeline.steps.common import (
    choose,
    client,
    config_of,
    content_type,
    load_script,
    palette,
    used,
)
from synthora.providers.base import Capability
from synthora.providers.contracts import MediaRequest, orientation_for
from synthora.providers.errors import ProviderError


def media_step(run: StepRun) -> StepOutcome:
    """A visual per scene: stock footage/photos from the user's provider, or generated."""
    config = config_of(run)
    script = load_script(run)
    choice = choose(run, Step.media)
    aspect = config.visual_style.aspect_ratio.value
    width, height = RESOLUTIONS[aspect]
    colours = palette(config)
    online = client(Capability.MEDIA, choice)
    assets: list[dict[str, Any]] = []
    for scene in script.scenes:
        keywords = scene.visual_keywords or run.video.topic.split()[:3]
        if online is not None:
            try:
                asset = online.fetch(
                    request=MediaRequest(
                        keywords=keywords[:10],
                        orientation=orientation_for(aspect),
                        min_duration_s=scene.duration_s,
                        seed=scene.index,
                    ),
                    out_dir=run.workdir / f"scene{scene.index}",
                )
            except ProviderError as exc:
                if exc.code != "no_results":
                    raise
                asset = None  # nothing matched: this scene gets a generated background
            if asset is not None:
                key = run.put_file(
                    f"media/scene-{scene.index:02d}{asset.path.suffix}",
                    asset.path,
                    content_type=content_type(asset.path),
                )
                assets.append(
                    {
                        "index": scene.index,
                        "key": key,
                        "kind": asset.kind,
                        "provider": asset.provider,
                        "attribution": asset.attribution.model_dump(),
                        "keywords": keywords,
                    }
                )
                continue
        path = visuals.render_background(
            palette=colours, width=width // 2, height=height // 2, seed=scene.index,
            out_path=run.workdir / f"bg-{scene.index:02d}.png",
        )  # fmt: skip
        key = run.put_file(f"media/scene-{scene.index:02d}.png", path, content_type="image/png")
        assets.append(
            {
                "index": scene.index,
                "key": key,
                "kind": "image",
                "provider": "generated",
                "attribution": {"license": "generated"},
                "keywords": keywords,
            }
        )
    key = run.put_bytes(
        "media.json", json.dumps({"assets": assets}).encode(), content_type="application/json"
    )
    providers = sorted({a["provider"] for a in assets})
    return Done(
        outputs={"media_key": key, "assets": len(assets), "providers": providers},
        provider="+".join(providers),
        integration_id=used(run, choice) if online is not None else None,
    )
