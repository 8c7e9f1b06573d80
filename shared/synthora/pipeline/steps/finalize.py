"""The finalize step: check the output, record it and its expiry, tell the owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from synthora.logs import fields, get_logger
from synthora.media import probe
from synthora.pipeline.models import Step, VideoOutputs
from synthora.pipeline.runner import Done, StepOutcome, StepRun
from synthora.providers.errors import ProviderError

log = get_logger(__name__)


def finalize_step(run: StepRun) -> StepOutcome:
    """Record the outputs, the expiry, and tell whoever needs to know."""
    assembly = run.outputs_of(Step.assembly)
    stat = run.platform.blobs.stat(assembly["video_key"])
    if stat is None:
        raise ProviderError(
            "the assembled video is missing from storage", provider="storage", code="missing_output"
        )
    local = run.fetch(assembly["video_key"], "final.mp4")
    info = probe(local)
    if not any(s.codec_type == "audio" for s in info.streams):
        raise ProviderError(
            "the assembled video has no audio stream",
            provider=run.video.steps[Step.assembly].provider or "synthora",
            code="invalid_output",
        )
    outputs = VideoOutputs(
        video_key=assembly["video_key"],
        thumbnail_key=assembly.get("thumbnail_key"),
        duration_s=round(info.duration_s, 3),
        width=info.width or 0,
        height=info.height or 0,
        size_bytes=stat.size,
    )
    retention = run.services.retention_days(platform=run.platform, uid=run.video.owner_id)
    expires_at = datetime.now(UTC) + timedelta(days=retention) if retention is not None else None
    run.services.video_completed(platform=run.platform, video=run.video)
    log.info("video finalized", extra=fields(duration_s=outputs.duration_s, size=stat.size))
    return Done(
        outputs={"duration_s": outputs.duration_s, "size_bytes": stat.size},
        provider="synthora",
        updates={"outputs": outputs.model_dump(), "expires_at": expires_at},
    )
