from __future__ import annotations

import logging

import pytest

from synthora.media import music
from synthora.media.models import MusicMood


@pytest.mark.skipif(music.library_dir() is None, reason="immich-memories-music not installed")
def test_pick_is_deterministic_and_carries_licence() -> None:
    first = music.pick_track(mood="calm", seed="video-1")
    again = music.pick_track(mood="calm", seed="video-1")
    assert first is not None and first == again
    assert first.path.is_file()
    assert first.mood in music.MOOD_FOLDERS["calm"]
    assert first.licence == "MIT" and "immich-memories-music" in first.attribution
    picks = {music.pick_track(mood="upbeat", seed=s) for s in range(30)}
    assert len(picks) > 1, "different seeds should spread over the mood's tracks"


@pytest.mark.skipif(music.library_dir() is None, reason="immich-memories-music not installed")
@pytest.mark.parametrize("mood", ["upbeat", "calm", "dramatic", "inspiring", "energetic"])
def test_every_mood_has_tracks(mood: MusicMood) -> None:
    assert music.tracks_for(mood=mood)


def test_mood_none_means_no_music() -> None:
    assert music.pick_track(mood="none", seed=1) is None


def test_missing_library_gives_no_music_and_logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(music, "library_dir", lambda: None)
    with caplog.at_level(logging.WARNING, logger=music.__name__):
        assert music.pick_track(mood="upbeat", seed=1) is None
    assert any("no music" in r.getMessage() for r in caplog.records)
