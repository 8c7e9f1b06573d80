"""One write lock per SQLite file per process, taken before `BEGIN IMMEDIATE`.

SQLite lets one writer in at a time. Threads that find the file locked wait in
SQLite's busy handler, which sleeps in steps of up to 100 ms and retries: under
many concurrent writers (the queue dispatcher and the task handlers of one
gateway process all write the same file) a waiter often sleeps on after the lock
is free, and writes queue up behind sleeps rather than behind work. Writers of
the same process therefore first take this lock, which hands over at once; the
busy handler is left for writers in other processes. The document store and the
task queue share a file, so they share its lock.
"""

from __future__ import annotations

import threading
from pathlib import Path

_locks: dict[str, threading.RLock] = {}
_guard = threading.Lock()


def write_lock(path: Path) -> threading.RLock:
    """The process-wide write lock of the SQLite file at `path`."""
    key = str(Path(path).resolve())
    with _guard:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = threading.RLock()
        return lock
