"""Reading one stream's catch-up, by its start: its last N lines, or everything from a line,
a position or a time on, a long stretch of it cut into chunks read side by side.

Each reading is a worker's job (``pool.Job``): it fills the stream's segment, and
queues the stream's other chunks as jobs of their own, first in line, in order.
"""

from __future__ import annotations

import functools
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence

from aomlog.api.family import ONWARD, JobApi, Page
from aomlog.engine.catchup.chunks import Chunk, JobPositions, chain, cuts, is_time, lines_before
from aomlog.engine.catchup.figures import Figures
from aomlog.engine.catchup.order import InOrder
from aomlog.engine.catchup.pool import Job, Pool
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.pagestack import PageStack
from aomlog.engine.paging import PAGE_LIMIT, LogReader
from aomlog.engine.start import AFTER, LAST, SINCE, Start
from aomlog.errors import AomlogError


# The last N lines are read in chunks from an estimated start when N is at least this many...
NEWEST_IN_CHUNKS = 8 * PAGE_LIMIT
# ... starting this much further back than the newest page's line rate says (lines vary in rate;
# the ones read too many are left out, the ones missed read back one page after another).
ESTIMATE_MARGIN = 1.1


class Begun(NamedTuple):
    """A stream's first page to write, the position it was read onward from, and the log's last
    page, if it was read on the way."""

    first: Page
    base: str
    last: Optional[Page]


class Reading:
    """The jobs that read the streams' catch-ups.

    Args:
        pool: the workers; the jobs fill segments through it.
        order: the streams' segments; a stream cut into chunks adds theirs.
        readers: the streams' readers (their targets and shared ``Direction``).
        starts: each stream's start.
        figures: told how far each stream goes and how far reading back has come.
        workers: how many workers there are, to cut streams for.
        fast: whether the answers come back so fast that cutting a stream saves nothing (``Gate.fast``).
    """

    def __init__(self, pool: Pool, order: InOrder, readers: Sequence[LogReader], starts: Dict[str, Start],
                 figures: Figures, workers: int, fast: Callable[[], bool] = lambda: False):
        self.pool = pool
        self.fast = fast
        self.order = order
        self.readers = readers
        self.starts = starts
        self.figures = figures
        # Enough streams keep the workers busy by themselves; else each stream is cut for
        # the workers left to it.
        self.share = workers // len(readers) if readers else 0
        self.positions = JobPositions()

    def job(self, stream: int, segment: Segment) -> Job:
        """The job that reads the catch-up of ``stream`` into ``segment``."""
        return functools.partial(self._read_stream, stream, segment)

    def _reader(self, stream: int, api: JobApi) -> LogReader:
        main = self.readers[stream]
        return LogReader(api, main.target, main.direction)

    def _read_stream(self, stream: int, segment: Segment, api: JobApi) -> None:
        reader = self._reader(stream, api)
        start = self.starts[reader.stream]
        if start.kind == LAST and self._newest_in_chunks(stream, reader, segment, int(start.value)):
            return
        if start.kind == LAST:
            stack = reader.newest(int(start.value), self.figures.walker(stream))
            self.pool.finish(segment, reader.cursor, last_lines=stack)
            return
        if start.kind == SINCE and start.newest is not None and self._newest_since(stream, reader, segment, start):
            return
        if start.kind == SINCE:
            begun = self._since(reader, segment, start)
        elif start.kind == AFTER:
            base = str(start.value)
            begun = Begun(reader.fetch(base, PAGE_LIMIT, ONWARD), base, None)
        else:
            begun = self._from_start(reader, segment)
        if begun is not None:
            self._read_begun(stream, reader, segment, begun)

    def _newest_in_chunks(self, stream: int, reader: LogReader, segment: Segment, n: int) -> bool:
        """The last ``n`` lines of a long log, read onward in chunks side by side from a start
        estimated to lie a little before them (positions are times: from the line rate of the
        newest page); the writer leaves out the lines before the last ``n`` once all are in, and
        has any the estimate missed read back (``read_back``). False: read them back page by page
        (few lines, one worker for the stream, no times, or made-up positions refused)."""
        if n < NEWEST_IN_CHUNKS or self.share < 2:
            return False
        last = reader.fetch(None, PAGE_LIMIT, ONWARD)
        if last.count < PAGE_LIMIT or not is_time(last.start_line) or not self._accepts_made_up(reader, last):
            return False
        if self.fast():  # reading back one page after another costs no more
            return False
        assert last.start_line is not None and last.end_line is not None  # is_time, _accepts_made_up
        low, high = int(last.start_line), int(last.end_line)
        if high <= low:
            return False
        per_line = (high - low) / last.count  # positions per line on the newest page
        lines = (n - last.count) * ESTIMATE_MARGIN + 2 * PAGE_LIMIT
        found, base = reader.first_at(max(1, int(low - lines * per_line)), made_up=True)
        if found is None or base is None:
            return False
        segment.keep_last = n  # before its first page: the writer holds them all
        self._read_begun(stream, reader, segment, Begun(found, base, last))
        return True

    def read_back(self, stream: int, position: str, lines: int, segment: Segment) -> None:
        """Queue, first in line, the reading back of the ``lines`` before ``position`` into ``segment``."""
        self.pool.submit(self.readers[stream].stream,
                         [functools.partial(self._back_job, stream, position, lines, segment)], first=True)

    def _back_job(self, stream: int, position: str, lines: int, segment: Segment, api: JobApi) -> None:
        stack = self._reader(stream, api).back_from(position, lines, PageStack())
        self.pool.finish(segment, None, last_lines=stack)

    def _newest_since(self, stream: int, reader: LogReader, segment: Segment, start: Start) -> bool:
        """The newest N lines, when all of them are from the time on (positions are times): then
        they are the newest N of the lines since then. False: fewer lines are that new (or the
        positions are no times), and reading from the time on gives them all, fewer than N."""
        assert start.newest is not None
        stack = reader.newest(start.newest, self.figures.walker(stream))
        oldest = stack.oldest_start()
        if oldest is None or (is_time(oldest) and int(oldest) >= int(start.value) * 10**6):
            self.pool.finish(segment, reader.cursor, last_lines=stack)
            return True
        stack.close()
        return False

    def _since(self, reader: LogReader, segment: Segment, start: Start) -> Optional[Begun]:
        """Where a stream read from a time begins; None: read already (it is short, or empty)."""
        last = reader.fetch(None, PAGE_LIMIT, ONWARD)
        if last.count and not is_time(last.start_line):
            raise AomlogError(f"the API's positions in {reader.stream} are not times (the newest line is at "
                              f"{last.start_line}), so no line can be found by its time",
                              "Start from a number of lines or from a position instead.",
                              about="since", facts={"stream": reader.stream, "position": last.start_line})
        made_up = bool(last.count >= PAGE_LIMIT and self._accepts_made_up(reader, last))
        found, base = reader.first_at(int(start.value) * 10**6, made_up)
        if found is None:  # nothing that new: what comes next starts at the end
            self.pool.finish(segment, last.end_line)
            return None
        if base is None:  # found walking back (it may be short): read on from it in one piece
            self.pool.put(segment, found)
            self._read_on(reader, segment, found.end_line)
            return None
        return Begun(found, base, last)

    def _from_start(self, reader: LogReader, segment: Segment) -> Optional[Begun]:
        """Where a stream read from its first line begins; None: read already (it is short)."""
        first, last, base, whole = reader.beginning()
        if whole:
            self.pool.put(segment, first)
            self.pool.finish(segment, first.end_line)
            return None
        if base is None:  # one page long, or walked back to: the server refuses made-up positions
            self.pool.put(segment, first)
            self._read_on(reader, segment, first.end_line)
            return None
        return Begun(first, base, last)

    def _read_begun(self, stream: int, reader: LogReader, segment: Segment, begun: Begun) -> None:
        """The rest of a stream from its first page on: in chunks, where it is long enough and
        the server takes made-up positions, else in one piece."""
        first, base, last = begun
        if first.count < PAGE_LIMIT:  # the rest of the log is in it
            self.pool.put(segment, first)
            self.pool.finish(segment, first.end_line or base)
            return
        if last is None or not _before(first, last):
            last = reader.fetch(None, PAGE_LIMIT, ONWARD)
        self.figures.span(stream, first, last)
        chunks = self._chunks(reader, stream, segment, first, last)
        if chunks is None:
            self.pool.put(segment, first)
            self._read_on(reader, segment, first.end_line)
            return
        self._read_chunk(reader, chunks[0], first, base)

    def _accepts_made_up(self, reader: LogReader, last: Page) -> bool:
        if not (last.start_line and last.end_line):
            return False
        return self.positions.accepts_made_up(reader, int(last.start_line), int(last.end_line))

    def _chunks(self, reader: LogReader, stream: int, segment: Segment, first: Page,
                last: Page) -> Optional[List[Chunk]]:
        """The stream cut into chunks between ``first`` and ``last`` (None: read it in one piece),
        the first chunk's segment being ``segment``; the others are queued as work."""
        where = None if self.fast() else cuts(first, last, self.share)
        if where is None or not self.positions.accepts_made_up(reader, where.low, where.high):
            return None
        chunks = chain(segment, where.at)
        self.order.add(stream, (chunk.segment for chunk in chunks[1:]))
        # First in line, in order: the stream's chunks are the next work to take.
        self.pool.submit(reader.stream, [functools.partial(self._chunk_work, stream, chunk)
                                         for chunk in chunks[1:]], first=True)
        return chunks

    def _chunk_work(self, stream: int, chunk: Chunk, api: JobApi) -> None:
        reader = self._reader(stream, api)
        start = chunk.first(reader)
        if start is None:  # the log ends before this chunk, or its cut was refused (the one before reads it)
            self.pool.finish(chunk.segment)
            return
        self._read_chunk(reader, chunk, start.page, str(chunk.cut))

    def _read_chunk(self, reader: LogReader, chunk: Chunk, page: Page, base: str) -> None:
        """From ``page`` (read onward from ``base``) on, until the next chunk's first line."""
        end = chunk.end(reader)
        asked = page.count if chunk.cut is not None else reader.page_size  # a chunk starts with one line
        while True:
            if end is not None and page.end_line and int(page.end_line) >= end.end_line:
                kept = lines_before(reader, page, base, end)
                if kept:
                    lines = page.lines[:kept]
                    self.pool.put(chunk.segment, Page("".join(line + "\n" for line in lines), kept,
                                                      page.start_line, None))
                break
            self.pool.put(chunk.segment, page)
            # A short page is the log's end only where no later line is known (a server may
            # cut a page short anywhere, and a chunk's lines left unread would be lost).
            if not page.end_line or not page.count or (page.count < asked and end is None):
                break
            base, asked = page.end_line, reader.page_size
            page = reader.fetch(base, asked, ONWARD)
        self.pool.finish(chunk.segment, None if end is not None else page.end_line or base)

    def _read_on(self, reader: LogReader, segment: Segment, base: Optional[str]) -> None:
        """Everything after ``base``, in one piece (the worker still reads ahead of the writer)."""
        if base:
            for page in reader.onward(base):
                self.pool.put(segment, page)
        self.pool.finish(segment, reader.cursor or base)


def _before(first: Page, last: Page) -> bool:
    """Whether ``last`` starts after ``first`` ends (so that there is a stretch to cut)."""
    return bool(first.end_line and last.start_line and int(last.start_line) > int(first.end_line))
