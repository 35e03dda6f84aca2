"""Catching up: every stream's lines from its start to its current end, read concurrently.

Far from the region each request costs a round trip, so the pages are read by a
pool of worker threads (``--parallel``, 8 by default), each on a connection of
its own, while the main thread writes what they have read. The output is what a
sequential read gives: each stream's pages in order, whole pages of different
streams interleaved.

- Several streams (tasks, files) are read side by side.
- One long stream is cut into chunks by position, where the server takes
  positions it did not hand out (probed once per job; positions look like epoch
  milliseconds x 10^6 plus a sequence, so a cut is a time). Chunk k starts at the
  first line at or after its cut (a one-line page read from the cut) and ends
  just before the next chunk's first line: a page of chunk k that holds that line
  (its end_line is at least the one-line page's) is cut short there, at the one
  place that line's text stands in the page, or, where the text repeats, where
  the API says a page of that many lines ends (a binary search on ``lines``).
  Both readings of ``base_line`` give the same chunks. A server that refuses a
  made-up position is read sequentially, still ahead of the writer.
- Memory is bounded: a chunk holds at most ``QUEUE_PAGES`` pages not yet written,
  and at most ``workers + 4`` chunks are in hand at once (taken in order, so the
  writer can always finish the first of them).
- A 429 answer halves the number of requests in flight (``Gate``).

The engine writes the pages in the order ``items()`` gives them, and stores each
stream's position after each page.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Deque, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from aomlog.api.base import BACK, ONWARD, JobApi, Page, Target
from aomlog.client import BAD_ARGUMENT_CODES
from aomlog.errors import AomlogError, ApiError
from aomlog.pagestack import PageStack
from aomlog.paging import PAGE_LIMIT, Direction, LogReader

WORKERS = 8
CHUNK_PAGES = 16  # a chunk's size, as estimated from the positions' density
QUEUE_PAGES = CHUNK_PAGES  # pages a chunk may hold before its worker waits for the writer
MIN_SPLIT_PAGES = 4  # a stream estimated shorter than this is read in one piece
MAX_CHUNKS = 4096
EARLIEST_MS = 946684800000  # 2000-01-01: a position of a time before this is no time


class Closed(Exception):
    """The writer went away (Ctrl-C, a closed pipe, an error elsewhere): workers stop."""


class Gate:
    """At most ``limit`` requests in flight. A throttled answer (429) halves it; each run of
    ``REGROW_AFTER`` answers without one lets it grow back by one, up to where it started."""

    REGROW_AFTER = 50

    def __init__(self, limit: int):
        self.limit = self.most = max(1, limit)
        self.in_use = 0
        self.calm = 0  # answers since the last throttled one
        self._cond = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._cond:
            while self.in_use >= self.limit:
                self._cond.wait()
            self.in_use += 1
        try:
            yield
        finally:
            with self._cond:
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


class JobPositions:
    """What one job's server does with positions, learned once for all its streams."""

    def __init__(self, direction: Direction):
        self.direction = direction
        self.made_up: Optional[bool] = None
        self._lock = threading.Lock()

    def accepts_made_up(self, reader: LogReader, low: int, high: int) -> bool:
        """Whether the server reads onward from a position it never handed out, as it should:
        from the first line after it, skipping none. Probed once, between ``low`` and ``high``."""
        with self._lock:
            if self.made_up is None:
                self.made_up = _probe_made_up(reader, (low + high) // 2)
            return self.made_up


def _probe_made_up(reader: LogReader, cut: int) -> bool:
    try:  # not through Direction: an answer going the wrong way here means "no", not an error
        page = reader.api.fetch(reader.target, str(cut), 1, reader.direction.words[ONWARD])
    except ApiError as err:
        if err.code in BAD_ARGUMENT_CODES or err.http_status == 400:
            return False
        raise
    if not page.count or not page.start_line or int(page.start_line) < cut:
        return False
    before = reader.fetch(page.start_line, 1, BACK)  # a position it handed out
    return bool(before.count and before.start_line and int(before.start_line) <= cut)


@dataclass
class Segment:
    """A run of one stream's pages, in order: a whole catch-up or one chunk of it."""

    stream: int
    pages: Deque[Page] = field(default_factory=deque)
    newest: Optional[PageStack] = None  # the newest N lines, written only once all are in
    done: bool = False
    cursor: Optional[str] = None  # where the reading stopped, once done


@dataclass
class Boundary:
    """The first line of a chunk: the one-line page read onward from its cut."""

    text: str
    start_line: int
    end_line: int
    page: Page


class Chunk:
    """A part of a stream: from the first line at or after ``cut`` to just before the next chunk's."""

    def __init__(self, cut: Optional[int], segment: Segment):
        self.cut = cut
        self.segment = segment
        self.next: Optional["Chunk"] = None
        self._first: Optional[Boundary] = None
        self._read = False
        self.refused = False  # the server refused the cut: the chunk before reads on past it
        self._lock = threading.Lock()

    def first(self, reader: LogReader) -> Optional[Boundary]:
        """The chunk's first line (None when the log ends before the cut, or the server refused
        the cut); read once, by whichever of this chunk and the one before needs it first."""
        with self._lock:
            if not self._read:
                try:
                    page = reader.fetch(str(self.cut), 1, ONWARD)
                except ApiError as err:
                    # The probe found made-up positions taken, but a server may take some and not
                    # others (one that happens to be a position it handed out, say).
                    if err.code not in BAD_ARGUMENT_CODES and err.http_status != 400:
                        raise
                    self.refused = True
                else:
                    if page.count and page.start_line and page.end_line:
                        self._first = Boundary(page.lines[0], int(page.start_line), int(page.end_line), page)
                self._read = True
            return self._first


Start = Tuple[str, Union[int, str]]  # ("last", n), ("from", line), ("after", position), ("since", ms)


class CatchUp:
    def __init__(self, api: JobApi, readers: List[LogReader], starts: Dict[str, Start], *,
                 workers: int = WORKERS, retries: Union[int, float] = 4,
                 progress: Optional[Callable[[int, int, Optional[float]], None]] = None,
                 notify: Optional[Callable[[str], None]] = None, notice_after: int = 1):
        self.api = api
        self.readers = readers
        self.starts = starts
        self.workers = max(1, workers)
        self.gate = Gate(self.workers)
        self.retries = retries
        self.progress = progress
        self.notify = notify
        self.notice_after = notice_after  # tries before a failure is said (once, for all workers)
        self._told = False
        self.positions = JobPositions(readers[0].direction) if readers else None
        # One lock, three things to wait for: pages to write (the writer), work or room in the
        # window (idle workers), room in a segment (a worker ahead of the writer). Each wakes only
        # those who wait for it: a put must not wake eight workers.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)  # pages to write, and workers standing still
        self._work_cv = threading.Condition(self._lock)
        self._room_cv = threading.Condition(self._lock)
        self._streams: List[Deque[Segment]] = [deque() for _ in readers]
        self._work: Deque[Tuple[int, Callable[[], None]]] = deque()
        self._error: Optional[BaseException] = None
        self._closed = False
        self._spans: Dict[int, Tuple[int, int]] = {}  # stream -> (first position, last position)
        self._reached: Dict[int, int] = {}
        self.lines = self.pages_out = 0
        self.waiting = 0  # workers waiting for the writer to take pages
        self.idle = 0  # workers waiting for work, or for room in the window
        self.window = self.workers + 4  # segments taken and not yet all written
        self._active = 0

    # -- the writer's side (the main thread) -----------------------------------------

    def items(self) -> Iterator[Tuple[LogReader, Iterable[Page], bool]]:
        """(reader, pages, newest): pages to write in this order, each stream's in its order; with
        ``newest``, all of a stream's newest lines, to be written and stored as one. A page cut
        short at a chunk's end (it has no end_line) comes joined to the page after it. Each
        reader's cursor follows the pages given."""
        for i, reader in enumerate(self.readers):
            segment = Segment(i)
            self._streams[i].append(segment)
            self._work.append((i, functools.partial(self._read_stream, i, segment)))
        for n in range(self.workers):
            threading.Thread(target=self._worker, name=f"aomlog-reader-{n}", daemon=True).start()
        held: Dict[int, Page] = {}
        try:
            while True:
                got = self._next()
                if got is None:
                    break
                stream, pages, stack = got
                reader = self.readers[stream]
                if stack is not None:
                    yield reader, stack, True
                    continue
                for page in pages:
                    if stream in held:
                        page = _joined(held.pop(stream), page)
                    if page.end_line is None:
                        held[stream] = page  # written with the next page, so that its position is stored
                        continue
                    reader.cursor = page.end_line
                    self._count(stream, page)
                    yield reader, [page], False
            for stream, page in held.items():  # nothing came after: the log ends there
                yield self.readers[stream], [page], False
        finally:
            with self._lock:
                self._closed = True
                self._wake_all()

    def _next(self) -> Optional[Tuple[int, List[Page], Optional[PageStack]]]:
        """Pages ready to write, from any stream whose first unfinished segment has some."""
        with self._cond:
            while True:
                if self._error is not None:
                    raise self._error
                busy = False
                newest_pending = False  # the newest lines of streams come in the streams' order
                for i, segments in enumerate(self._streams):
                    while segments and segments[0].done and not segments[0].pages and segments[0].newest is None:
                        if segments[0].cursor:
                            self.readers[i].cursor = segments[0].cursor
                        segments.popleft()
                        self._active -= 1
                        self._work_cv.notify()
                    if not segments:
                        continue
                    busy = True
                    head = segments[0]
                    if head.newest is not None and head.done and not newest_pending:
                        segments.popleft()
                        self._active -= 1
                        self._work_cv.notify()
                        self.readers[i].cursor = head.cursor
                        return i, [], head.newest
                    newest_pending = newest_pending or self.starts[self.readers[i].stream][0] == "last"
                    if head.pages:
                        pages = list(head.pages)
                        head.pages.clear()
                        self._room_cv.notify_all()
                        return i, pages, None
                if not busy:
                    return None
                self._cond.wait(0.2)  # a timeout, so that Ctrl-C is seen while waiting

    def _count(self, stream: int, page: Page) -> None:
        if self.progress is None:
            return
        self.lines += page.count
        self.pages_out += 1
        if page.end_line and stream in self._spans:
            self._reached[stream] = int(page.end_line)
        fraction = None
        if self._spans and len(self._spans) == len(self.readers):
            total = sum(high - low for low, high in self._spans.values())
            done = sum(min(high, self._reached.get(s, low)) - low for s, (low, high) in self._spans.items())
            fraction = max(0.0, min(1.0, done / total)) if total > 0 else None
        self.progress(self.lines, self.pages_out, fraction)

    # -- the workers -----------------------------------------------------------------

    def _worker(self) -> None:
        while True:
            with self._cond:
                # A segment taken holds pages until the writer has them all: so that memory stays
                # bounded, no more than `window` are taken at once.
                while (not self._work or self._active >= self.window) and not self._closed and self._error is None:
                    self.idle += 1
                    self._cond.notify()  # for tests that wait for the workers to stand still
                    self._work_cv.wait()
                    self.idle -= 1
                if self._closed or self._error is not None:
                    return
                stream, job = self._work.popleft()
                self._active += 1
            try:
                job()
            except Closed:
                return
            except BaseException as exc:  # the writer raises it in the main thread
                exc.stream = self.readers[stream].stream  # type: ignore[attr-defined]
                with self._lock:
                    if self._error is None:
                        self._error = exc
                    self._wake_all()
                return

    def _put(self, segment: Segment, page: Page) -> None:
        if not page.count:
            return
        with self._lock:
            while len(segment.pages) >= QUEUE_PAGES and not self._closed:
                self.waiting += 1  # for the writer to take pages
                self._cond.notify()  # for tests that wait for the workers to stand still
                self._room_cv.wait()
                self.waiting -= 1
            if self._closed:
                raise Closed
            segment.pages.append(page)
            self._cond.notify()

    def _finish(self, segment: Segment, cursor: Optional[str] = None) -> None:
        with self._lock:
            segment.done = True
            segment.cursor = cursor
            self._cond.notify()

    def _wake_all(self) -> None:
        for condition in (self._cond, self._work_cv, self._room_cv):
            condition.notify_all()

    def _reader(self, stream: int) -> LogReader:
        """A reader of the stream for this worker: its own connection, through the gate."""
        main = self.readers[stream]
        api = self.api.clone(retries=self.retries, on_retry=self._retrying)
        return LogReader(GatedApi(api, self.gate), main.target, main.direction)

    def _retrying(self, err: ApiError, attempt: int, delay: float) -> None:
        """A worker's client retries: a throttled answer shrinks the pool; a failure that
        lasts ``notice_after`` tries is said once, whichever worker meets it."""
        if err.http_status == 429:
            self.gate.shrink()
        if attempt >= self.notice_after and self.notify is not None:
            with self._cond:
                told, self._told = self._told, True
            if not told:
                self.notify(f"aomlog: {err.message}; retrying")

    def _read_stream(self, stream: int, segment: Segment) -> None:
        reader = self._reader(stream)
        kind, value = self.starts[reader.stream]
        if kind == "last":
            stack = reader.newest(int(value))
            with self._cond:
                segment.newest = stack
            self._finish(segment, reader.cursor)
            return
        newest: Optional[Page] = None
        base: Optional[str]
        if kind == "since":
            newest = reader.fetch(None, PAGE_LIMIT, ONWARD)
            if newest.count and not _is_time(newest.start_line):
                raise AomlogError(f"the API's positions in {reader.stream} are not times "
                                  f"(the newest line is at {newest.start_line}), so --since cannot find a time",
                                  "Start with -n N, -n +N or --base-line instead.")
            made_up = bool(newest.count >= PAGE_LIMIT and self._accepts_made_up(reader, newest))
            found, base = reader.first_at(int(value) * 10**6, made_up)
            if found is None:  # nothing that new: what comes next starts at the end
                self._finish(segment, newest.end_line)
                return
            if base is None:  # found walking back (it may be short): read on from it in one piece
                self._put(segment, found)
                self._read_on(reader, segment, found.end_line)
                return
            first = found
        elif kind == "after":
            base = str(value)
            first = reader.fetch(base, PAGE_LIMIT, ONWARD)
        else:
            newest = reader.fetch(None, PAGE_LIMIT, ONWARD)
            if newest.count < PAGE_LIMIT or not newest.start_line:  # the whole log
                self._put(segment, newest)
                self._finish(segment, newest.end_line)
                return
            if not reader.fetch(newest.start_line, 1, BACK).count:  # exactly one page long
                first, base = newest, None
            else:
                first, base = reader.first_page(newest)
                if base is None:  # walked back to it: the server refuses made-up positions
                    self._put(segment, first)
                    self._read_on(reader, segment, first.end_line)
                    return
        if first.count < PAGE_LIMIT:  # the rest of the log is in it
            self._put(segment, first)
            self._finish(segment, first.end_line or base)
            return
        if newest is None or not _before(first, newest):
            newest = reader.fetch(None, PAGE_LIMIT, ONWARD)
        self._span(stream, first, newest)
        chunks = self._chunks(reader, stream, segment, first, newest) if base is not None else None
        if chunks is None:
            self._put(segment, first)
            self._read_on(reader, segment, first.end_line)
            return
        self._read_chunk(reader, chunks[0], first, str(base))

    def _span(self, stream: int, first: Page, newest: Page) -> None:
        """How far the stream's catch-up goes, by position, for the progress shown."""
        if first.start_line and newest.end_line:
            with self._cond:
                self._spans[stream] = (int(first.start_line), int(newest.end_line))

    def _accepts_made_up(self, reader: LogReader, newest: Page) -> bool:
        if self.positions is None or not (newest.start_line and newest.end_line):
            return False
        return self.positions.accepts_made_up(reader, int(newest.start_line), int(newest.end_line))

    def _chunks(self, reader: LogReader, stream: int, segment: Segment, first: Page,
                newest: Page) -> Optional[List[Chunk]]:
        """The stream cut into chunks between ``first`` and ``newest`` (None: read it in one
        piece), the first chunk's segment being ``segment``; the others are queued as work."""
        if not (first.start_line and first.end_line and newest.start_line and newest.end_line):
            return None
        low, high = int(first.end_line), int(newest.start_line)
        density = (first.count + newest.count) / max(1, (int(first.end_line) - int(first.start_line))
                                                      + (int(newest.end_line) - int(newest.start_line)))
        pages = (high - low) * density / PAGE_LIMIT
        # Enough streams keep the workers busy by themselves. Else a multiple of the workers
        # left to each stream, so that the last round of chunks keeps them all busy.
        share = self.workers // len(self.readers)
        rounds = math.ceil(pages / max(1, share * CHUNK_PAGES))
        count = min(MAX_CHUNKS, rounds * share)
        if share < 2 or pages < MIN_SPLIT_PAGES or count < 2 or high <= low + count:
            return None
        if not self.positions or not self.positions.accepts_made_up(reader, low, high):
            return None
        chunks = [Chunk(None, segment)]
        for k in range(1, count):
            chunks.append(Chunk(low + (high - low) * k // count, Segment(stream)))
            chunks[-2].next = chunks[-1]
        with self._cond:
            self._streams[stream].extend(chunk.segment for chunk in chunks[1:])
            # At the front, in order: the stream's chunks are the next work to take.
            for chunk in reversed(chunks[1:]):
                self._work.appendleft((stream, functools.partial(self._chunk_work, stream, chunk)))
            self._work_cv.notify_all()
        return chunks

    def _chunk_work(self, stream: int, chunk: Chunk) -> None:
        reader = self._reader(stream)
        start = chunk.first(reader)
        if start is None:  # the log ends before this chunk, or its cut was refused (the one before reads it)
            self._finish(chunk.segment)
            return
        self._read_chunk(reader, chunk, start.page, str(chunk.cut))

    def _read_chunk(self, reader: LogReader, chunk: Chunk, page: Page, base: str) -> None:
        """From ``page`` (read onward from ``base``) on, until the next chunk's first line."""
        end = self._end_of(reader, chunk)
        asked = page.count if chunk.cut is not None else reader.page_size  # a chunk starts with one line
        while True:
            if end is not None and page.end_line and int(page.end_line) >= end.end_line:
                kept = _lines_before(reader, page, base, end)
                if kept:
                    lines = page.lines[:kept]
                    self._put(chunk.segment, Page("".join(line + "\n" for line in lines), kept,
                                                  page.start_line, None))
                break
            self._put(chunk.segment, page)
            if page.count < asked or not page.end_line:  # the log ends here
                break
            base, asked = page.end_line, reader.page_size
            page = reader.fetch(base, asked, ONWARD)
        self._finish(chunk.segment, None if end is not None else page.end_line or base)

    def _end_of(self, reader: LogReader, chunk: Chunk) -> Optional[Boundary]:
        """The first line after the chunk: the next chunk's first, if the log reaches it. A chunk
        whose cut the server refused is read by the one before it: the next one's first, then."""
        following = chunk.next
        while following is not None:
            start = following.first(reader)
            if start is not None or not following.refused:
                return start
            following = following.next
        return None

    def _read_on(self, reader: LogReader, segment: Segment, base: Optional[str]) -> None:
        """Everything after ``base``, sequentially (the worker still reads ahead of the writer)."""
        if base:
            for page in reader.onward(base):
                self._put(segment, page)
        self._finish(segment, reader.cursor or base)


def _lines_before(reader: LogReader, page: Page, base: str, end: Boundary) -> int:
    """How many of ``page``'s lines (read onward from ``base``) come before the line ``end``,
    which the page holds: where that line's text stands, if only once; else the fewest lines
    a page read from ``base`` needs to hold it, less one."""
    lines = page.lines
    places = [i for i, line in enumerate(lines) if line == end.text]
    if len(places) == 1:
        return places[0]
    low, high = 0, len(places) - 1  # the answer is one of `places`; binary search by requests
    while low < high:
        mid = (low + high) // 2
        probe = reader.fetch(base, places[mid] + 1, ONWARD)
        if probe.end_line and int(probe.end_line) >= end.end_line:
            high = mid
        else:
            low = mid + 1
    return places[low] if places else 0


def _is_time(position: Optional[str]) -> bool:
    """Whether a position reads as epoch milliseconds x 10^6 (plus a sequence) of this century, up to now."""
    try:
        ms = int(position or "") // 10**6
    except ValueError:
        return False
    return EARLIEST_MS <= ms <= (time.time() + 2 * 86400) * 1000


def _before(first: Page, newest: Page) -> bool:
    """Whether ``newest`` starts after ``first`` ends (so that there is a stretch to cut)."""
    return bool(first.end_line and newest.start_line and int(newest.start_line) > int(first.end_line))


def _joined(first: Page, second: Page) -> Page:
    return Page(first.text + second.text, first.count + second.count, first.start_line, second.end_line)
