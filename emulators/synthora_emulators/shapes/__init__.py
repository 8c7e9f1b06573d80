"""Documented response shapes: one source of truth for the emulators and for unit tests.

Each module holds example responses (constants, safe to deep-copy and edit) and
builders for the error bodies, each citing the documentation page it follows.
The emulators build their answers from these; unit tests' respx routes import
them, e.g. `synthora_emulators.shapes.tiktok.CREATOR_INFO`, so a shape changes
in one place. The modules import nothing but the standard library.
"""

from __future__ import annotations

import copy
from typing import Any


def clone(shape: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a shape, to fill in without touching the constant."""
    return copy.deepcopy(shape)
