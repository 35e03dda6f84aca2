"""Catching up: every stream's lines from its start to its current end, read concurrently.

Far from the region each request costs a round trip, so the pages are read by a
pool of worker threads (``--parallel``, 8 by default), each on a connection of
its own, while the main thread writes what they have read. The output is what a
sequential read gives: each stream's pages in order, whole pages of different
streams interleaved.

- Several streams (tasks, files) are read side by side.
- One long stream is cut into chunks by position, where the server takes
  positions it did not hand out (``chunks.py``: how the cuts are made and the
  chunks joined exactly, under both readings of ``base_line``). A server that
  refuses a made-up position is read sequentially, still ahead of the writer.
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
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Deque, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from aomlog.api import Observer
from aomlog.api.family import ONWARD, JobApi, Page
from aomlog.engine.catchup.chunks import Boundary, Chunk, JobPositions, is_time, lines_before
from aomlog.errors import AomlogError, ApiError
from aomlog.engine.catchup.gate import Gate, GatedApi
from aomlog.engine.pagestack import PageStack
from aomlog.engine.paging import PAGE_LIMIT, LogReader
from aomlog.threads import blocked
from aomlog.engine.start import AFTER, LAST, SINCE, Start

WORKERS = 8
CHUNK_PAGES = 16  # a chunk's size, as estimated from the positions' density
QUEUE_PAGES = CHUNK_PAGES  # pages a chunk may hold before its worker waits for the writer
MIN_SPLIT_PAGES = 4  # a stream estimated shorter than this is read in one piece
MAX_CHUNKS = 4096


class Closed(Exception):
    """The writer went away (Ctrl-C, a closed pipe, an error elsewhere): workers stop."""


@dataclass
class Segment:
    """A run of one stream's pages, in order: a whole catch-up or one chunk of it."""

    pages: Deque[Page] = field(default_factory=deque)
    newest: Optional[PageStack] = None  # the newest N lines, written only once all are in
    done: bool = False
    cursor: Optional[str] = None  # where the reading stopped, once done


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
        self._told = False  # a failure was said (once for all workers)
        self._recovery_told = False
        self.positions = JobPositions()
        # One lock, three things to wait for: pages to write (the writer), work or room in the
        # window (idle workers), room in a segment (a worker ahead of the writer). Each wakes only
        # those who wait for it: a put must not wake eight workers.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)  # pages to write, and workers standing still
        self._work_cv = threading.Condition(self._lock)
        self._room_cv = threading.Condition(self._lock)
        self._streams: List[Deque[Segment]] = [deque() for _ in readers]
        self._work: Deque[Tuple[int, Callable[[JobApi], None]]] = deque()
        self._error: Optional[BaseException] = None
        self._closed = False
        self._spans: Dict[int, Tuple[int, int]] = {}  # stream -> (first position, last position)
        self._reached: Dict[int, int] = {}
        self._back: Dict[int, Tuple[int, int]] = {}  # stream -> (lines, pages) read back for -n N
        self._shown_back: Dict[int, Tuple[int, int]] = {}
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
            segment = Segment()
            self._streams[i].append(segment)
            self._work.append((i, functools.partial(self._read_stream, i, segment)))
        with blocked():
            for n in range(self.workers):
                threading.Thread(target=self._worker, args=(n == 0,), name=f"aomlog-reader-{n}",
                                 daemon=True).start()
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
                        self._show_walk()  # its last figure: it may have been read before any wait
                        segments.popleft()
                        self._active -= 1
                        self._work_cv.notify()
                        self.readers[i].cursor = head.cursor
                        return i, [], head.newest
                    newest_pending = newest_pending or self.starts[self.readers[i].stream].kind == LAST
                    if head.pages:
                        pages = list(head.pages)
                        head.pages.clear()
                        self._room_cv.notify_all()
                        return i, pages, None
                if not busy:
                    return None
                self._show_walk()
                self._cond.wait()  # a signal wakes it: the readers' threads never take one

    def _walked(self, stream: int, lines: int, pages: int) -> None:
        """A worker reading back for the newest lines has come this far: for the progress line,
        which the writer draws (it waits for pages meanwhile, and the lines come only at the end)."""
        with self._cond:
            self._back[stream] = (lines, pages)
            self._cond.notify()

    def _show_walk(self) -> None:
        """With the lock held: the progress of reading back, if it moved."""
        if self.progress is None or not self._back or self._back == self._shown_back:
            return
        self._shown_back = dict(self._back)
        lines, pages = self._walked_back()
        wanted = sum(int(s.value) for s in self.starts.values() if s.kind == LAST)
        alike = all(s.kind == LAST for s in self.starts.values())
        self.progress(self.lines + lines, self.pages_out + pages, min(1.0, lines / wanted) if alike and wanted else None)

    def _walked_back(self) -> Tuple[int, int]:
        """With the lock held: the lines and pages read back for -n N so far, all streams together."""
        back = list(self._back.values())
        return sum(n for n, _ in back), sum(p for _, p in back)

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
        with self._lock:  # streams reading back for -n N count too, so that the figures never go back
            lines, pages = self._walked_back()
        self.progress(self.lines + lines, self.pages_out + pages, fraction)

    # -- the workers -----------------------------------------------------------------

    def _worker(self, first: bool) -> None:
        api: Optional[JobApi] = None  # this worker's connection, opened with its first work
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
                if api is None:
                    api = self._api(first)
                job(api)
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

    def _api(self, first: bool) -> JobApi:
        """A worker's API, through the gate. The first worker goes on with the connection the
        job was looked up on (the main thread makes no request until the catch-up is over):
        another one costs a TCP and TLS handshake, 2-3 round trips, and the newest lines of one
        log need no other."""
        api = self.api.clone(share_session=first, retries=self.retries, observers=[_Watch(self)],
                             deaf_retries=True)  # their failures are told once, for all workers
        return GatedApi(api, self.gate)

    def _reader(self, stream: int, api: JobApi) -> LogReader:
        main = self.readers[stream]
        return LogReader(api, main.target, main.direction)

    def _answered(self) -> None:
        """After a failure was said, the first answer says that it is over (once: the failures
        of a flaky server are not each worth two lines)."""
        if self._told and not self._recovery_told and self.notify is not None:
            with self._cond:
                said, self._recovery_told = self._recovery_told, True
            if not said:
                self.notify("aomlog: the API answers again")

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

    def _read_stream(self, stream: int, segment: Segment, api: JobApi) -> None:
        reader = self._reader(stream, api)
        start = self.starts[reader.stream]
        if start.kind == LAST:
            stack = reader.newest(int(start.value), functools.partial(self._walked, stream) if self.progress else None)
            with self._cond:
                segment.newest = stack
            self._finish(segment, reader.cursor)
            return
        newest: Optional[Page] = None
        base: Optional[str]
        if start.kind == SINCE:
            newest = reader.fetch(None, PAGE_LIMIT, ONWARD)
            if newest.count and not is_time(newest.start_line):
                raise AomlogError(f"the API's positions in {reader.stream} are not times "
                                  f"(the newest line is at {newest.start_line}), so --since cannot find a time",
                                  "Start with -n N, -n +N or --base-line instead.")
            made_up = bool(newest.count >= PAGE_LIMIT and self._accepts_made_up(reader, newest))
            found, base = reader.first_at(int(start.value) * 10**6, made_up)
            if found is None:  # nothing that new: what comes next starts at the end
                self._finish(segment, newest.end_line)
                return
            if base is None:  # found walking back (it may be short): read on from it in one piece
                self._put(segment, found)
                self._read_on(reader, segment, found.end_line)
                return
            first = found
        elif start.kind == AFTER:
            base = str(start.value)
            first = reader.fetch(base, PAGE_LIMIT, ONWARD)
        else:
            first, newest, base, whole = reader.beginning()
            if whole:
                self._put(segment, first)
                self._finish(segment, first.end_line)
                return
            if base is None:  # one page long, or walked back to: the server refuses made-up positions
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
        if not (newest.start_line and newest.end_line):
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
        if not self.positions.accepts_made_up(reader, low, high):
            return None
        chunks = [Chunk(None, segment)]
        for k in range(1, count):
            chunks.append(Chunk(low + (high - low) * k // count, Segment()))
            chunks[-2].next = chunks[-1]
        with self._cond:
            self._streams[stream].extend(chunk.segment for chunk in chunks[1:])
            # At the front, in order: the stream's chunks are the next work to take.
            for chunk in reversed(chunks[1:]):
                self._work.appendleft((stream, functools.partial(self._chunk_work, stream, chunk)))
            self._work_cv.notify_all()
        return chunks

    def _chunk_work(self, stream: int, chunk: Chunk, api: JobApi) -> None:
        reader = self._reader(stream, api)
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
                kept = lines_before(reader, page, base, end)
                if kept:
                    lines = page.lines[:kept]
                    self._put(chunk.segment, Page("".join(line + "\n" for line in lines), kept,
                                                  page.start_line, None))
                break
            self._put(chunk.segment, page)
            # A short page is the log's end only where no later line is known (a server may
            # cut a page short anywhere, and a chunk's lines left unread would be lost).
            if not page.end_line or not page.count or (page.count < asked and end is None):
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


def _before(first: Page, newest: Page) -> bool:
    """Whether ``newest`` starts after ``first`` ends (so that there is a stretch to cut)."""
    return bool(first.end_line and newest.start_line and int(newest.start_line) > int(first.end_line))


def _joined(first: Page, second: Page) -> Page:
    return Page(first.text + second.text, first.count + second.count, first.start_line, second.end_line)


class _Watch(Observer):
    """What a worker's client tells the catch-up: its retries and answers."""

    def __init__(self, catchup: CatchUp):
        self.catchup = catchup

    def retrying(self, err: ApiError, attempt: int, delay: float) -> None:
        self.catchup._retrying(err, attempt, delay)

    def answered(self) -> None:
        self.catchup._answered()
