"""The tail engine: which streams, where to start, the catch-up, following, cursors.

``Tail.pages()`` yields ``(stream, page)`` pairs in the order they are to be
written and prints nothing: the caller writes each page before asking for the
next, and only then is the page's position stored in the cursor file, so a
restart never skips a line that was not written. It serves ``tail``,
``metrics`` and the tests alike, and knows no API family: it speaks to one
``JobApi``.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable, Dict, Generator, Iterator, List, Optional, Protocol, Tuple

from aomlog.api.family import JobApi, JobRef, JobState, Page, Phase, Target
from aomlog.transport.backoff import Backoff
from aomlog.engine.catchup.catchup import WORKERS, CatchUp
from aomlog.engine.cursorfile import CursorFile
from aomlog.errors import NotFoundError, UsageError
from aomlog.engine.follow import Follower, Outage, Timing
from aomlog.engine.paging import Direction, LogReader
from aomlog.engine.signals import guard
from aomlog.engine.start import AFTER, FROM, LAST, Start

# While a job waits to start: the first and the longest wait between looks at it. Its first lines
# are what the user waits for, so the wait stays short (a pending job costs a request in 3 s).
START_POLL = (1.0, 3.0)


class Progress(Protocol):
    def update(self, lines: int, pages: int, fraction: Optional[float]) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Streams:
    """Which streams to read: the ones named, every one, or (neither) the job's only one."""

    names: Tuple[str, ...] = ()
    every: bool = False


class Tail:
    def __init__(self, api: JobApi, job: JobRef, streams: Streams = Streams(), start: Start = Start.last(50), *,
                 follow: bool = False, cursor_path: Optional[str] = None, start_given: bool = False,
                 timing: Optional[Timing] = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, notify: Callable[[str], None] = lambda text: None,
                 status: Callable[[Optional[str]], None] = lambda text: None,
                 debug: Optional[Callable[[str], None]] = None, parallel: int = WORKERS, retries: int = 4,
                 progress: Optional["Progress"] = None):
        self.api = api
        self.job = job
        self.choice = streams
        self.start = start
        self.follow = follow
        self.cursor_path = cursor_path
        self.cursor = CursorFile(cursor_path, job.job_id, job.version) if cursor_path else None
        self.start_given = start_given
        self.timing = timing or Timing()
        self.clock = clock
        self.sleep = sleep
        self.notify = notify
        self.status = status  # the one line saying what a job that has not started is doing; None clears it
        self.outage = Outage(notify, Backoff(self.timing.interval, self.timing.max_backoff), clock, debug=debug)
        self.parallel = parallel  # requests in flight while catching up
        self.retries = retries  # of each request while catching up without follow
        self.progress = progress  # told how the catch-up goes, and when it is over
        self.streams: List[str] = []  # the streams read, once chosen
        self.end: Optional[JobState] = None  # with follow: how the job ended
        self.silent = True  # with follow: the job ended with no line in its log (not: none printed)
        self.resumed = False  # whether a cursor file said where to go on from
        # What the reader of the pages keeps with a stream's position (metrics: the epoch of the
        # last Keras banner), set before the page is done with, stored and restored with it; None:
        # it keeps nothing, and what another reader kept in the cursor file is dropped as it moves on.
        self.carry: Optional[Dict[str, dict]] = None
        self._skip: Dict[str, int] = {}

    # -- the run -------------------------------------------------------------

    def pages(self) -> Iterator[Tuple[str, Page]]:
        # A bad cursor file is refused before any request.
        stored = self.cursor.load() if self.cursor else {}
        if self.carry is not None:
            self.carry = dict(self.cursor.carried) if self.cursor else {}
        self.resumed = bool(stored)
        state = waited = None
        if self.follow:
            state, waited = self._wait_for_start()
        self.streams = self._choose(state)
        if not self.streams:  # only a follow of a job that ended before it started gets here
            self.end = state
            return
        direction = Direction(self.api.order_words)  # learned once per job, shared by its streams
        readers = [LogReader(self.api, Target(self.job, name), direction) for name in self.streams]
        # A job that had not started when we came: every line is new, and the newest N of
        # them are all of them (a position or a time still says where to start).
        default = Start.from_line(1) if waited and (self.start.kind == LAST or not self.start_given) else self.start
        starts = {name: default for name in self.streams}
        resumed = [name for name in self.streams if name in stored]  # in the job's order, not the file's
        for name in resumed:
            starts[name] = Start.after(stored[name])
        if resumed and self.start_given:
            self.notify(f"aomlog: {', '.join(resumed)}: going on from the {'position' if len(resumed) == 1 else 'positions'} "
                        f"in {self.cursor_path}; the start asked for applies only to a {self.api.stream_word} "
                        f"it has no position for")
        # `-n +N` leaves out the first N-1 lines of the log, even when fewer exist yet and
        # the rest arrive while following.
        self._skip = {name: int(s.value) - 1 if s.kind == FROM else 0 for name, s in starts.items()}
        for reader in readers:
            if starts[reader.stream].kind == AFTER:
                reader.cursor = str(starts[reader.stream].value)
        catchup = CatchUp(self.api, readers, starts,
                          workers=self.parallel, retries=float("inf") if self.follow else self.retries,
                          progress=self.progress.update if self.progress else None, notify=self.notify,
                          notice_after=4 if self.follow else 2)  # a blip says nothing
        try:
            for reader, pages, newest in catchup.items():
                if newest:  # all read before the first is written; the position stored once all are out
                    # Only a cursor file makes them one: without it Ctrl-C need not wait for them all.
                    with guard.page() if self.cursor else nullcontext():
                        for page in pages:
                            yield from self._emit(reader, page, save=False)
                        self._save(reader)
                else:
                    for page in pages:
                        yield from self._emit(reader, page)
        except NotFoundError as err:
            self._explain(getattr(err, "stream", self.streams[0]), err)
            raise
        finally:
            if self.progress:
                self.progress.close()
        with guard.page():
            for reader in readers:  # streams with nothing new store where they stand too
                self._save(reader)
        if not self.follow:
            return
        follower = Follower(readers, lambda: self.api.state(self.job), timing=self.timing, clock=self.clock,
                            sleep=self.sleep, notify=self.notify, outage=self.outage)
        self.end = yield from self._through(follower.run(state))
        self.silent = not any(reader.cursor for reader in readers)  # a position: the log had a line

    def _through(self, polled: Generator[Tuple[LogReader, Page], None, JobState]):
        """The follower's pages, emitted; its value (the job's final state) is this one's."""
        while True:
            try:
                reader, page = next(polled)
            except StopIteration as stop:
                return stop.value
            yield from self._emit(reader, page)

    def _emit(self, reader: LogReader, page: Page, save: bool = True) -> Iterator[Tuple[str, Page]]:
        skip = self._skip.get(reader.stream, 0)
        if skip:
            self._skip[reader.stream] = max(0, skip - page.count)
            page = _without_first(page, skip)
        with guard.page():  # written, then its position stored: a signal waits for both
            if page.count:
                yield reader.stream, page
            if save:
                self._save(reader)

    def _save(self, reader: LogReader) -> None:
        if self.cursor:
            self.cursor.save(reader.stream, reader.cursor, self.carry.get(reader.stream) if self.carry else None)

    # -- before the first line ---------------------------------------------

    def _wait_for_start(self) -> Tuple[JobState, bool]:
        """The job's state once it runs (or is over), and whether it had to be waited for."""
        try:
            return self._poll_until_started()
        except BaseException:  # Ctrl-C, an error: the shell's prompt (or the Error:) gets a clean line
            self.status(None)
            raise

    def _poll_until_started(self) -> Tuple[JobState, bool]:
        waited, shown, wait = False, None, START_POLL[0]
        while True:
            state = self.outage.attempt(lambda: self.api.state(self.job))
            if state is not None and state.streams is None and self._needs_streams(state):
                # Listed here, through the outage, never later unguarded: a blip is no "not started".
                streams = self.outage.attempt(lambda: self.api.streams(self.job))
                if streams is None:
                    state = None
                else:
                    state.streams = streams
            if state is None:
                self.sleep(self.outage.wait())
                continue
            if state.phase is not Phase.WAITING and (state.phase.final or state.streams):
                if waited:
                    self.status(None)
                    self.notify(f"aomlog: {self.job} is {state.shown}")
                return state, waited
            if state.shown != shown:
                shown = state.shown
                self.status(f"aomlog: {self.job} is {shown}: waiting for it to start (Ctrl-C to stop)")
            waited = True
            self.sleep(wait)
            wait = min(wait * 1.5, START_POLL[1])

    def _needs_streams(self, state: JobState) -> bool:
        """Whether the streams must be listed: a running job may have none yet; an ended job's are
        wanted unless one was named (``_choose`` then lets its first page check it)."""
        if state.phase is Phase.WAITING:
            return False
        return not state.phase.final or len(self.choice.names) != 1

    def _choose(self, state: Optional[JobState]) -> List[str]:
        """The streams to read, checked before any line is printed."""
        choice, word = self.choice, self.api.stream_word
        free = state.streams if state is not None else None  # the state call named them
        if len(choice.names) == 1 and free is None:
            return list(choice.names)  # checked by its first page: a round trip saved
        known = free if free is not None else self.api.streams(self.job)
        if not known:
            if state is not None and state.phase.final:
                return []
            raise self._no_streams()
        if choice.every:
            return list(known)
        if choice.names:
            unknown = [name for name in choice.names if name not in known]
            if unknown:
                raise NotFoundError(f"{self.job} has no {word} {', '.join(unknown)}",
                                    f"Its {word}s: {', '.join(known)}.")
            return list(choice.names)
        if len(known) == 1:
            return known
        option = "--file" if self.job.api == "v1" else "--task"
        raise UsageError(f"{self.job} has {len(known)} {word}s: {', '.join(known)}",
                         f"Pass {option} NAME (repeat it for several), e.g. {option} {known[0]}, "
                         f"or {'--all-files' if self.job.api == 'v1' else '--all-tasks'}.")

    def _no_streams(self) -> NotFoundError:
        state = self.api.state(self.job)
        if state.phase is Phase.WAITING:
            return _not_started(self.job, state)
        return NotFoundError(f"{self.job} has no {self.api.stream_word}s yet ({state.shown})",
                             "The job may still be starting; add -f to wait for its log.")

    def _explain(self, stream: str, err: NotFoundError) -> None:
        """Turn "no such log" into what the user can act on: the job has not started, or the names."""
        api = self.api.clone()  # a reader may still be using the job's own connection
        state = api.state(self.job)  # raises the job's own "not found" if it is the job that is missing
        if state.phase is Phase.WAITING:
            raise _not_started(self.job, state) from None
        known = state.streams if state.streams is not None else api.streams(self.job)
        if known and stream not in known:
            raise NotFoundError(f"{self.job} has no {self.api.stream_word} {stream}",
                                f"Its {self.api.stream_word}s: {', '.join(known)}.") from None


def _not_started(job: JobRef, state: JobState) -> NotFoundError:
    return NotFoundError(f"{job} has not started yet ({state.shown})",
                         "Add -f to wait for it to start and follow its log.")


def _without_first(page: Page, skip: int) -> Page:
    """The page less its first ``skip`` lines."""
    if skip >= page.count:
        return Page("", 0, None, page.end_line)
    kept = page.lines[skip:]
    return Page("\n".join(kept) + "\n", len(kept), None, page.end_line)

