"""The catch-up's workers: threads that read ahead of the one writer, in bounded memory.

Work is a job that fills one segment (``Segment``) with pages. The workers take jobs
in the order they are queued; each opens its connection with its first job and keeps
it. Memory stays bounded two ways: a segment holds at most ``QUEUE_PAGES`` pages (its
worker waits for the writer to take some), and at most ``window`` segments are taken
and not yet all written (taken in order, so the writer can always finish the first
of them). A job's error stops the workers and is raised to the writer.

One lock, two conditions: the writer waits on one (pages to write, a segment done, an
error, news of reading back), the workers on the other (work, room in the window, room
in their segment). A put wakes the writer only; the writer wakes the workers only when
one of them waits for what it has freed.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Callable, Deque, Optional, Sequence, Tuple

from aomlog.api.family import JobApi, Page
from aomlog.engine.catchup.chunks import CHUNK_PAGES
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.pagestack import PageStack
from aomlog.threads import blocked

# Pages a segment may hold before its worker waits for the writer: a chunk's worth, so that
# a worker the writer keeps up with never waits.
QUEUE_PAGES = CHUNK_PAGES

Job = Callable[[JobApi], None]  # fills a segment, reading with the worker's API


class Closed(Exception):
    """The writer went away (Ctrl-C, a closed pipe, an error elsewhere): workers stop."""


class Pool:
    """``workers`` threads doing queued jobs, at most ``window`` segments ahead of the writer.

    Args:
        workers: how many threads; each opens its API with ``connect(first)`` (``first``:
            the first worker's, which may go on with the connection the job was found on).
        window: how many segments may be taken and not yet all written.
        connect: opens a worker's API, with its first job.
        room: how many pages a segment may hold before its worker waits for the writer; None:
            it never waits (the pages past a few go to disk), for a writer that must see every
            stream's next page before it writes one.
    """

    def __init__(self, workers: int, window: float, connect: Callable[[bool], JobApi],
                 room: Optional[int] = QUEUE_PAGES):
        self.workers = workers
        self.window = window
        self.room = room
        self._connect = connect
        self.lock = threading.Lock()
        self._writer = threading.Condition(self.lock)
        self._workers = threading.Condition(self.lock)
        self._work: Deque[Tuple[str, Job]] = deque()
        self._taken = 0  # segments taken and not yet all written
        self._idle = 0  # workers waiting for work, or for room in the window
        self._error: Optional[BaseException] = None
        self._closed = False

    def start(self) -> None:
        with blocked():  # a signal goes to the main thread: the workers never take one
            for n in range(self.workers):
                threading.Thread(target=self._run, args=(n == 0,), name=f"aomlog-reader-{n}",
                                 daemon=True).start()

    def submit(self, stream: str, jobs: Sequence[Job], first: bool = False) -> None:
        """Queue ``jobs`` of ``stream`` (named in their errors) in order: last, or ``first``."""
        with self.lock:
            if first:
                self._work.extendleft((stream, job) for job in reversed(jobs))
            else:
                self._work.extend((stream, job) for job in jobs)
            if self._idle:
                self._workers.notify_all()

    # -- the workers' side -------------------------------------------------------------

    def put(self, segment: Segment, page: Page) -> None:
        """Add ``page`` to ``segment`` once it has room; raises ``Closed`` if the writer went away."""
        if not page.count:
            return
        with self.lock:
            while self.room is not None and len(segment.pages) >= self.room and not self._closed:
                segment.waits_for_room = True
                self._workers.wait()
            segment.waits_for_room = False
            if self._closed:
                raise Closed
            segment.pages.append(page)
            self._writer.notify()

    def finish(self, segment: Segment, cursor: Optional[str] = None,
               last_lines: Optional[PageStack] = None) -> None:
        """``segment`` is all read: the reading stopped at ``cursor``; ``last_lines``: a stream's
        last N lines, written as one."""
        with self.lock:
            segment.last_lines = last_lines
            segment.done = True
            segment.cursor = cursor
            self._writer.notify()

    def tell_writer(self) -> None:
        """Wake the writer to look again (e.g. at how far reading back has come)."""
        with self.lock:
            self._writer.notify()

    def _run(self, first: bool) -> None:
        api: Optional[JobApi] = None  # this worker's connection, opened with its first job
        while True:
            taken = self._take()
            if taken is None:
                return
            stream, job = taken
            try:
                if api is None:
                    api = self._connect(first)
                job(api)
            except Closed:
                return
            except BaseException as exc:  # the writer raises it in the main thread
                exc.stream = stream  # type: ignore[attr-defined]
                with self.lock:
                    if self._error is None:
                        self._error = exc
                    self._wake_all()
                return

    def _take(self) -> Optional[Tuple[str, Job]]:
        """The next job, once there is one and room in the window; None: stop."""
        with self.lock:
            while (not self._work or self._taken >= self.window) and not self._stopped():
                self._idle += 1
                self._workers.wait()
                self._idle -= 1
            if self._stopped():
                return None
            self._taken += 1
            return self._work.popleft()

    def _stopped(self) -> bool:
        return self._closed or self._error is not None

    # -- the writer's side: with the lock held -----------------------------------------

    def wait(self) -> None:
        """Wait for news from the workers."""
        self._writer.wait()  # a signal wakes it: the workers' threads never take one

    def check(self) -> None:
        """Raise the error a job met, if one did."""
        if self._error is not None:
            raise self._error

    def took(self, segment: Segment) -> None:
        """The writer took the pages of ``segment``: its worker may go on."""
        if segment.waits_for_room:
            self._workers.notify_all()

    def written(self) -> None:
        """The writer wrote all of a segment: room in the window."""
        self._taken -= 1
        if self._idle:
            self._workers.notify_all()

    def close(self) -> None:
        """The writer goes away: the workers stop (each after the request it is making)."""
        with self.lock:
            self._closed = True
            self._wake_all()

    def _wake_all(self) -> None:
        self._writer.notify_all()
        self._workers.notify_all()
