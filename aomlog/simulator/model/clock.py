"""Time sources for the simulator.

Everything time-dependent (which lines are visible, job status, positions of a
growing job) reads one injectable clock, so tests can drive a job's life with
``ManualClock.advance`` instead of waiting.
"""

from __future__ import annotations

import threading
import time

# 2026-11-27 07:32:39.254 UTC: a fixed, recognisable default "now" for tests.
DEFAULT_MANUAL_START = 1795764759.254


class Clock:
    """Real wall-clock time in seconds since the epoch."""

    def now(self) -> float:
        return time.time()


class ManualClock(Clock):
    """A clock that only moves when told to; safe to share with server threads.

    ``sleep`` is an alias of ``advance`` so it can be injected directly as the
    follow loop's sleep function.
    """

    def __init__(self, start: float = DEFAULT_MANUAL_START):
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        with self._lock:
            self._now += seconds
            return self._now

    sleep = advance

    def set(self, when: float) -> None:
        with self._lock:
            self._now = float(when)
