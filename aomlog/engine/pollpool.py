"""A follow's sources read side by side: each worker thread with its own connection.

Following the 64 tasks of a job, one after another, a round of reads at 50 ms a request
takes 3.2 s before any task is read again; side by side on 8 workers, 0.4 s. The follower
(``follow.py``) still decides which sources are read and when; this only reads them.

A worker reads one source at a time and hands its items over one by one: the next only
once the main thread has taken the one before (and written it, and stored its position),
so a source's position never runs ahead of what was written, each source's items come in
order, and an item is handed over whole. Items of different sources come as they are read.
"""

from __future__ import annotations

import math
import queue
import threading
from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

from aomlog.api.family import JobApi, Page, Target
from aomlog.engine.catchup.gate import Gate, GatedApi
from aomlog.engine.lanes import END, FAILED, ITEM, Lane
from aomlog.errors import ApiError
from aomlog.threads import blocked

RAISE = "raise"  # a worker met an error that ends the follow: the main thread raises it

Told = Tuple[Lane[Any], str, Any, Optional[threading.Event]]  # what a worker tells the main thread


class PollPool:
    """``workers`` threads reading a follow's due sources side by side (``Reading``).

    The threads start with the first read of more than one source, and stop with ``close``.
    A source's onward iterator runs on the worker reading it: its reads go through the
    worker's connection when the source's API is a ``PerThread``.
    """

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._work: "queue.Queue[Optional[Lane[Any]]]" = queue.Queue()
        self._told: "queue.Queue[Told]" = queue.Queue()
        self._lock = threading.Lock()
        self._held: List[threading.Event] = []  # workers waiting for the main thread to take an item
        self._started = False
        self._closed = False

    def read(self, lanes: Sequence[Lane[Any]]) -> Iterator[Tuple[Lane[Any], str, Any]]:
        """Every lane's items as they come, each lane's in order, then its end or its failure."""
        if not lanes:
            return
        self._start()
        for lane in lanes:
            self._work.put(lane)
        pending = len(lanes)
        while pending:
            lane, kind, payload, resume = self._told.get()
            if kind == RAISE:
                raise payload
            if kind != ITEM:
                pending -= 1
            yield lane, kind, payload
            if resume is not None:
                resume.set()  # taken: its worker reads on

    def close(self) -> None:
        """Stop the workers, each after the request it is making."""
        with self._lock:
            self._closed = True
            for held in self._held:
                held.set()
        for _ in range(self.workers if self._started else 0):
            self._work.put(None)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        with blocked():  # a signal goes to the main thread: the workers never take one
            for n in range(self.workers):
                threading.Thread(target=self._run, name=f"aomlog-poll-{n}", daemon=True).start()

    def _run(self) -> None:
        while True:
            lane = self._work.get()
            if lane is None:
                return
            self._one(lane)

    def _one(self, lane: Lane[Any]) -> None:
        """One source read to its end, its items handed over one by one."""
        items = iter(lane.source.onward())
        try:
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    self._told.put((lane, END, None, None))
                    return
                except ApiError as err:
                    self._told.put((lane, FAILED if err.transient else RAISE, err, None))
                    return
                if not self._hand_over(lane, item):
                    return
        except BaseException as exc:  # the main thread raises it
            self._told.put((lane, RAISE, exc, None))
        finally:
            getattr(items, "close", lambda: None)()

    def _hand_over(self, lane: Lane[Any], item: Any) -> bool:
        """Give ``item`` to the main thread and wait until it is taken; False: the follow is over."""
        resume = threading.Event()
        with self._lock:
            if self._closed:
                return False
            self._held.append(resume)
        self._told.put((lane, ITEM, item, resume))
        resume.wait()
        with self._lock:
            self._held.remove(resume)
            return not self._closed


class PollGate(Gate):
    """The requests in flight of a follow: a throttled answer (429) halves them, as the
    catch-up's ``Gate`` does, but at most once every ``every`` seconds (the 429s of requests
    made together are one message), and each ``REGROW_AFTER`` answers without one let them
    grow back by one. A follow makes few requests a second: with the catch-up's 50, a few
    stray 429s would keep it reading one task after another to the end (the 64 tasks of a
    job at 50 ms a request and 3% of 429s took 19 s to follow to their end)."""

    REGROW_AFTER = 10

    def __init__(self, limit: int, clock: Callable[[], float], every: float = 1.0):
        super().__init__(limit)
        self.clock = clock
        self.every = every
        self._shrunk = -math.inf

    def shrink(self) -> None:
        with self._cond:
            now = self.clock()
            if now - self._shrunk >= self.every:
                self._shrunk = now
                super().shrink()


class PerThread(JobApi):
    """The API of a follow's readers: on each worker thread a connection of its own, every
    request of theirs through ``gate``, which a throttled answer (429) shrinks; on the
    thread that made it, ``api`` itself."""

    def __init__(self, api: JobApi, gate: Gate):
        self.inner = api
        self.gate = gate
        self.family, self.stream_word = api.family, api.stream_word
        self.order_words, self.min_lines = api.order_words, api.min_lines
        self._owner = threading.get_ident()
        self._local = threading.local()

    def fetch(self, target: Target, base_line: Optional[str], lines: int, order: str) -> Page:
        if threading.get_ident() == self._owner:
            return self.inner.fetch(target, base_line, lines, order)
        mine: Optional[JobApi] = getattr(self._local, "api", None)
        if mine is None:
            mine = self._local.api = GatedApi(self.inner.clone(), self.gate)
        try:
            return mine.fetch(target, base_line, lines, order)
        except ApiError as err:
            if err.http_status == 429:
                self.gate.shrink()
            raise
