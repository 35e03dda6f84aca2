"""The tail engine: which streams, where to start, the catch-up, following, cursors.

``Tail.pages()`` yields ``(stream, page)`` pairs in the order they are to be
written and prints nothing: the caller writes each page before asking for the
next, and only then is the page's position stored in the cursor file, so a
restart never skips a line that was not written. What the caller needs before
the first page comes as a ``Started`` value, how the read ended as the
generator's value, an ``Outcome``. It serves ``tail``, ``metrics`` and the tests
alike, and knows no API family: it speaks to one ``JobApi``.
"""

from __future__ import annotations

from typing import Callable, Dict, Generator, List, Mapping, Optional, Tuple

from aomlog.api.family import JobApi, JobRef, JobState, Page, Target
from aomlog.engine.catchup.catchup import CatchUp
from aomlog.engine.cursorfile import CursorFile
from aomlog.engine.delivery import Delivery, Pages
from aomlog.engine.follow import Follower, Outage
from aomlog.engine.pollpool import PerThread, PollGate, PollPool
from aomlog.engine.outcome import Outcome, Started
from aomlog.engine.paging import Direction, LogReader
from aomlog.engine.settings import Collaborators, TailSettings
from aomlog.engine.start import AFTER, FROM, Start
from aomlog.engine.streams import choose, explain
from aomlog.engine.waiting import Waiting
from aomlog.errors import NotFoundError
from aomlog.transport.backoff import Backoff


def _ignore(started: Started) -> None:
    pass


class Tail:
    """One read of a job's log: its streams chosen, each read from its start to its current end
    (the catch-up) and, with follow, on until the job ends; positions go to the cursor file.

    Args:
        api: the job's API family.
        settings: what to read and how.
        using: what it works with: time, notices, progress, stop requests, the keeper.
        cursor: the cursor file, when it is not the job's own at ``settings.cursor_path``.
    """

    def __init__(self, api: JobApi, settings: TailSettings, using: Collaborators = Collaborators(),
                 cursor: Optional[CursorFile] = None):
        self.api = api
        self.settings = settings
        self.using = using
        job = settings.job
        # The job's part of a cursor file that several jobs share (``cursorbook.py``), or its own.
        if cursor is None and settings.cursor_path:
            cursor = CursorFile(settings.cursor_path, job.job_id, job.version)
        self.cursor = cursor
        timing = settings.timing
        self.outage = Outage(using.notify, Backoff(timing.interval, timing.max_backoff), using.clock,
                             debug=using.debug)

    @property
    def job(self) -> JobRef:
        return self.settings.job

    def run(self, write: Callable[[str, Page], None],
            on_start: Callable[[Started], None] = _ignore) -> Outcome:
        """Each page to ``write`` (its position is stored once it returns); how the read ended."""
        pages = self.pages(on_start)
        try:
            while True:
                try:
                    stream, page = next(pages)
                except StopIteration as done:
                    return done.value
                write(stream, page)
        finally:  # a write that fails (a closed pipe, Ctrl-C) ends the readers before it is told
            pages.close()

    def pages(self, on_start: Callable[[Started], None] = _ignore) -> Generator[Tuple[str, Page], None, Outcome]:
        """The pages to write, in order; ``on_start`` is told the streams before the first."""
        stored = self._stored()  # a bad cursor file is refused before any request
        state: Optional[JobState] = None
        waited = False
        if self.settings.follow:
            state, waited = Waiting(self.api, self.job, self.settings.streams, self.outage,
                                    self.using).until_started()
        streams = choose(self.api, self.job, self.settings.streams, state)
        started = Started(self.job, tuple(streams), resumed=bool(stored))
        on_start(started)
        if not streams:  # only a follow of a job that ended before it started gets here
            return Outcome(started, end=state)
        starts = self._starts(streams, stored, waited)
        readers = self._readers(starts)
        delivery = Delivery(self.cursor, self.using.stop, self.using.keeper, _skips(starts))
        yield from self._catch_up(readers, starts, delivery)
        end = (yield from self._follow(readers, state, delivery)) if self.settings.follow else None
        return Outcome(started, end, silent=not any(reader.cursor for reader in readers))

    def _stored(self) -> Dict[str, str]:
        """The positions in the cursor file; the keeper gets what it kept with them."""
        stored = self.cursor.load() if self.cursor else {}
        self.using.keeper.restore(dict(self.cursor.carried) if self.cursor else {})
        return stored

    def _starts(self, streams: List[str], stored: Mapping[str, str], waited: bool) -> Dict[str, Start]:
        """Where each stream starts: after its stored position, else where the settings say."""
        start, given = self.settings.start, self.settings.start_given
        # A job that had not started when we came: every line is new, and the newest N of
        # them are all of them (a position or a time still says where to start).
        default = Start.from_line(1) if waited and (start.from_end or not given) else start
        starts = {name: default for name in streams}
        resumed = [name for name in streams if name in stored]  # in the job's order, not the file's
        for name in resumed:
            starts[name] = Start.after(stored[name])
        if resumed and given:
            self.using.notify(f"aomlog: {', '.join(resumed)}: going on from the "
                              f"{'position' if len(resumed) == 1 else 'positions'} in {self.settings.cursor_path}; "
                              f"the start asked for applies only to a {self.api.stream_word} it has no position for")
        return starts

    def _readers(self, starts: Dict[str, Start]) -> List[LogReader]:
        direction = Direction(self.api.order_words)  # learned once per job, shared by its streams
        readers = [LogReader(self.api, Target(self.job, name), direction) for name in starts]
        for reader in readers:
            if starts[reader.stream].kind == AFTER:
                reader.cursor = str(starts[reader.stream].value)
        return readers

    def _catch_up(self, readers: List[LogReader], starts: Dict[str, Start], delivery: Delivery) -> Pages:
        """Every stream from its start to its current end, read side by side; where each stands, stored."""
        settings, progress = self.settings, self.using.progress
        catchup = CatchUp(self.api, readers, starts,
                          workers=settings.parallel, retries=float("inf") if settings.follow else settings.retries,
                          progress=progress.update if progress else None, notify=self.using.notify,
                          notice_after=4 if settings.follow else 2,  # a blip says nothing
                          fast_answer=settings.fast_answer)
        try:
            for reader, pages, as_one in catchup.items():
                if as_one:
                    yield from delivery.newest(reader, pages)
                else:
                    for page in pages:
                        yield from delivery.page(reader, page)
        except NotFoundError as err:
            explain(self.api, self.job, getattr(err, "stream", readers[0].stream))
            raise
        finally:
            if progress:
                progress.close()
        delivery.save_all(readers)

    def _follow(self, readers: List[LogReader], state: Optional[JobState],
                delivery: Delivery) -> Generator[Tuple[str, Page], None, JobState]:
        """The follower's pages until the job ends; the value is its final state."""
        using = self.using
        job_state = using.story.state if using.story else (lambda: self.api.state(self.job))
        follower: Follower[LogReader, Page] = Follower(
            readers, job_state, timing=self.settings.timing, clock=using.clock,
            sleep=using.sleep, notify=using.notify, outage=self.outage, reading=self._side_by_side(readers))
        polled = follower.run(state)
        try:
            while True:
                try:
                    reader, page = next(polled)
                except StopIteration as done:
                    return done.value
                yield from delivery.page(reader, page)
        finally:
            polled.close()

    def _side_by_side(self, readers: List[LogReader]) -> Optional[PollPool]:
        """Several streams are followed side by side (``--parallel`` of them at once), each
        worker on its own connection: a pool to read them, or None to read them in turn."""
        workers = min(self.settings.parallel, len(readers))
        if workers < 2:
            return None
        api = PerThread(self.api, PollGate(workers, self.using.clock))
        for reader in readers:
            reader.api = api
        return PollPool(workers)


def _skips(starts: Dict[str, Start]) -> Dict[str, int]:
    """A start from line N leaves out the first N-1 lines of the log, even when fewer exist yet
    and the rest arrive while following."""
    return {name: int(start.value) - 1 if start.kind == FROM else 0 for name, start in starts.items()}
