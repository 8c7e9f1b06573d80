"""`synthora generate`: the pipeline in one process, no server."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from synthora.cli import generate, main
from synthora.media import probe

pytestmark = pytest.mark.slow


def test_generate_writes_a_playable_mp4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTHORA_RENDER_SCALE", "0.25")
    out = tmp_path / "clip.mp4"
    import argparse

    args = argparse.Namespace(
        topic="how bees make honey",
        template="sys-trending-challenge",
        instructions=None,
        out=str(out),
        data_dir=str(tmp_path / "data"),
        timeout=300,
    )
    printed = io.StringIO()
    assert generate(args, out=printed) == 0, printed.getvalue()
    info = probe(out)
    assert info.width == 270 and info.height == 480
    assert any(s.codec_type == "audio" for s in info.streams)
    text = printed.getvalue()
    assert "100%" in text or "done" in text
    assert f"wrote {out}" in text


def test_unknown_template_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "generate",
            "--topic",
            "bees",
            "--template",
            "no-such-template",
            "--out",
            str(tmp_path / "x.mp4"),
            "--data-dir",
            str(tmp_path / "d"),
        ]
    )
    assert code == 2
    assert "error:" in capsys.readouterr().out
