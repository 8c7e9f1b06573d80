"""Royalty-free music bed by mood, from the `immich-memories-music` wheel (MIT).

The wheel ships 28 Opus tracks in five mood folders (happy, calm, tender,
nostalgic, energetic), generated with ACE-Step 1.5 by its authors; its licence
file says no attribution is required. We still record source and licence on
every pick so a video's credits can name them.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from synthora.logs import fields, get_logger
from synthora.media.models import MusicMood, MusicTrack

log = get_logger(__name__)

#: Our moods -> the library's mood folders, best first.
MOOD_FOLDERS: dict[str, tuple[str, ...]] = {
    "upbeat": ("happy", "energetic"),
    "calm": ("calm", "tender"),
    "dramatic": ("nostalgic", "tender"),
    "inspiring": ("tender", "happy"),
    "energetic": ("energetic", "happy"),
}
SOURCE = "immich-memories-music 0.1.0 (PyPI)"
LICENCE = "MIT"
ATTRIBUTION = (
    "Music from immich-memories-music (Immich Memories Contributors, MIT), generated with "
    "ACE-Step 1.5; no attribution required"
)
_EXTENSIONS = (".opus", ".ogg", ".mp3", ".m4a", ".wav", ".flac")


def library_dir() -> Path | None:
    """Folder of mood folders, or None when the music wheel is not installed."""
    spec = importlib.util.find_spec("immich_memories_music")
    if spec is None or not spec.submodule_search_locations:
        return None
    tracks = Path(next(iter(spec.submodule_search_locations))) / "tracks"
    return tracks if tracks.is_dir() else None


def tracks_for(*, mood: MusicMood) -> list[Path]:
    """Installed tracks for `mood`, sorted by name (empty when none or mood 'none')."""
    root = library_dir()
    if root is None or mood == "none":
        return []
    for folder in MOOD_FOLDERS[mood]:
        found = sorted(p for p in (root / folder).glob("*") if p.suffix in _EXTENSIONS)
        if found:
            return found
    return []


def pick_track(*, mood: MusicMood, seed: int | str) -> MusicTrack | None:
    """Pick one track for `mood`, the same one for the same seed; None means no music.

    Returns None (and logs why) when the mood is 'none' or the library is not installed.
    """
    if mood == "none":
        return None
    tracks = tracks_for(mood=mood)
    if not tracks:
        log.warning(
            "no music: library not installed or mood empty; pip install immich-memories-music",
            extra=fields(mood=mood, library=str(library_dir())),
        )
        return None
    # A stable hash (not hash()) so the pick survives interpreter restarts.
    digest = hashlib.sha256(f"{mood}:{seed}".encode()).digest()
    path = tracks[int.from_bytes(digest[:4], "big") % len(tracks)]
    return MusicTrack(
        path=path,
        mood=path.parent.name,
        title=path.stem,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        source=SOURCE,
    )
