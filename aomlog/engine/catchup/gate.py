"""How many requests are in flight while catching up: at most a limit that a throttled answer halves."""

from __future__ import annotations

import statistics
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, List, Optional

from aomlog.api.family import JobApi, Page, Target


FAST_ANSWER = 0.006  # seconds: about what the client spends on a 500-line page itself


class Gate:
    """At most ``limit`` requests in flight. A throttled answer (429) halves it; each run of
    ``REGROW_AFTER`` answers without one lets it grow back by one, up to where it started.

    It also times the first ``TIMED`` answers: when they come back within ``FAST_ANSWER``
    (a server next door), reading side by side saves nothing that the cuts' extra requests
    and the threads do not cost back (``fast``)."""

    REGROW_AFTER = 50
    TIMED = 5
    FAST_ANSWER = FAST_ANSWER

    def __init__(self, limit: int, clock: Callable[[], float] = time.perf_counter, fast_answer: float = FAST_ANSWER):
        self.fast_answer = fast_answer
        self.limit = self.most = max(1, limit)
        self.in_use = 0
        self.calm = 0  # answers since the last throttled one
        self._cond = threading.Condition()
        self._clock = clock
        self._times: List[float] = []  # of the first answers

    @property
    def fast(self) -> bool:
        """The answers so far (two at least) came back within ``FAST_ANSWER``, as a median."""
        with self._cond:
            times = list(self._times)
        return len(times) >= 2 and statistics.median(times) < self.fast_answer

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._cond:
            while self.in_use >= self.limit:
                self._cond.wait()
            self.in_use += 1
        started = self._clock()
        try:
            yield
        finally:
            took = self._clock() - started
            with self._cond:
                if len(self._times) < self.TIMED:
                    self._times.append(took)
                self.in_use -= 1
                self.calm += 1
                if self.calm >= self.REGROW_AFTER and self.limit < self.most:
                    self.limit += 1
                    self.calm = 0
                self._cond.notify_all()

    def shrink(self) -> None:
        with self._cond:
            self.limit = max(1, self.limit // 2)
            self.calm = 0


class GatedApi(JobApi):
    """A worker's view of the API: its own connection, and every request through the gate."""

    def __init__(self, api: JobApi, gate: Gate):
        self.inner = api
        self.gate = gate
        self.family, self.stream_word = api.family, api.stream_word
        self.order_words, self.min_lines = api.order_words, api.min_lines

    def fetch(self, target: Target, base_line: Optional[str], lines: int, order: str) -> Page:
        with self.gate.slot():
            return self.inner.fetch(target, base_line, lines, order)


