"""The emulators' clock: real time, shifted by `advance` and sped up by a factor.

Token lifetimes, processing delays, metric growth and Stripe billing periods all
read `Clock.now()`, so a test can compress a day into seconds (factor) or jump
over a billing period (advance) without sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self, *, factor: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._real_start = time.time()
        self._virtual_start = self._real_start
        self._factor = factor

    def time(self) -> float:
        """Seconds since the epoch, on the emulated timeline."""
        with self._lock:
            return self._virtual_start + (time.time() - self._real_start) * self._factor

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), tz=UTC)

    @property
    def factor(self) -> float:
        return self._factor

    def advance(self, seconds: float) -> float:
        """Jump forward (never back: tokens and events must stay ordered)."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            now_real = time.time()
            self._virtual_start = (
                self._virtual_start + (now_real - self._real_start) * self._factor + seconds
            )
            self._real_start = now_real
            return self._virtual_start

    def set_factor(self, factor: float) -> None:
        if factor <= 0:
            raise ValueError("factor must be positive")
        with self._lock:
            now_real = time.time()
            self._virtual_start += (now_real - self._real_start) * self._factor
            self._real_start = now_real
            self._factor = factor

    def lifetime(self, seconds: float) -> float:
        """A documented lifetime in emulated seconds (unchanged: the clock runs faster)."""
        return seconds
