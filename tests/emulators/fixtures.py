"""Session-scoped emulator fixtures; import the ones a test module uses.

They hand out the same per-process instances the contract suites' factories use
(`processes.shared_emulator`), so one test process runs at most one emulator of
each kind; each is stopped when the session ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulators.processes import Emulator, shared_emulator, stop_shared


@pytest.fixture(scope="session")
def tasks_emulator() -> Iterator[Emulator]:
    """gcloud-tasks-emulator on a free 127.0.0.1 port for the whole session."""
    yield shared_emulator("cloud-tasks")
    stop_shared("cloud-tasks")


@pytest.fixture(scope="session")
def storage_emulator() -> Iterator[Emulator]:
    """gcp-storage-emulator (in memory) on a free 127.0.0.1 port for the whole session."""
    yield shared_emulator("cloud-storage")
    stop_shared("cloud-storage")


@pytest.fixture(scope="session")
def firestore_emulator() -> Iterator[Emulator]:
    """@firestore-emulator/server on a free 127.0.0.1 port for the whole session."""
    yield shared_emulator("firestore")
    stop_shared("firestore")
