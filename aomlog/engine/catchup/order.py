"""The writer's side of the catch-up: the pages the workers read, handed out in a fixed order.

Each stream is a queue of segments (its whole catch-up, or its chunks in order). The
writer takes every page the workers put as soon as it is woken (so that no worker waits
for it for long, and a done segment frees its place in the window at once) and keeps
them in a ``Spool`` per stream until their turn comes. The order does not depend on
which worker was quicker, so that the same log gives the same bytes every time:

1. The streams read from their end (``-n N``) first, in the streams' order, each all at
   once: its last N lines (read back one page after another, or read onward in chunks
   from an estimated start and all but the last N left out here).
2. Then the other streams' pages, merged by the position of each page's first line
   (positions are times), a tie going to the stream whose name sorts first; a page is
   handed out once every stream not done has a page waiting (or is done). Whole pages of
   different streams are interleaved, never lines.

A page cut short at a chunk's end (it has no end_line) is handed out joined to the page
after it, so that each page handed out has a position to store.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Deque, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

from aomlog.api.family import Page
from aomlog.engine.catchup.figures import Figures
from aomlog.engine.catchup.pool import Pool
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.catchup.spool import Spool
from aomlog.engine.pagestack import PageStack
from aomlog.engine.paging import LogReader
from aomlog.engine.start import Start

# (reader, pages, as_one): pages of the reader's stream to write in this order; with as_one,
# all of a stream's last N lines, to be written and stored as one.
Item = Tuple[LogReader, Iterable[Page], bool]
# Queues the job that reads the ``lines`` before ``position`` of a stream back into a segment.
ReadBack = Callable[[int, str, int, Segment], None]


class Batch(NamedTuple):
    """What the writer hands out next: pages of one stream, or all its last lines."""

    stream: int
    pages: List[Page]
    last_lines: Optional[Iterable[Page]]
    cursor: Optional[str] = None  # where the stream stands once its last lines are written


class InOrder:
    """The streams' segments, in order, and the writer's walk through them.

    Args:
        pool: the workers filling the segments (its lock guards them).
        readers: the streams' readers; each one's cursor follows the pages handed out.
        starts: each stream's start.
        figures: told of each page handed out.
        read_back: queues the reading back of a stream's lines that its last N still lack.
    """

    def __init__(self, pool: Pool, readers: Sequence[LogReader], starts: Dict[str, Start], figures: Figures,
                 read_back: Optional[ReadBack] = None):
        self.pool = pool
        self.readers = readers
        self.starts = starts
        self.figures = figures
        self.read_back = read_back
        self._streams: List[Deque[Segment]] = [deque() for _ in readers]
        self._spools = [Spool() for _ in readers]
        self._held: Dict[int, Page] = {}  # a page cut short at a chunk's end, waiting for the next one
        self._last: Dict[int, Tuple[PageStack, Optional[str]]] = {}  # last lines read back, and the cursor
        self._keep: Dict[int, int] = {}  # streams whose last N lines come in chunks: N
        self._older: Dict[int, Segment] = {}  # the lines such a stream's chunks lacked, read back
        self._cursor: Dict[int, str] = {}  # where a stream's reading stopped, once its pages are out
        self._resolved: Set[int] = set()  # streams read from their end that are written, or merge
        self._asks: List[Tuple[int, str, int, Segment]] = []  # reading back to queue, once the lock is let go
        self._order = sorted(range(len(readers)), key=lambda i: readers[i].stream)

    def add(self, stream: int, segments: Iterable[Segment]) -> None:
        """The next segments of ``stream``, in order."""
        with self.pool.lock:
            self._streams[stream].extend(segments)

    def items(self) -> Iterator[Item]:
        """Every page of every segment, in the order the module's docstring gives (see ``Item``)."""
        try:
            while True:
                batch = self._next()
                if batch is None:
                    return
                reader = self.readers[batch.stream]
                if batch.last_lines is not None:
                    reader.cursor = batch.cursor
                    yield reader, batch.last_lines, True
                    continue
                for page in batch.pages:
                    if page.end_line:
                        reader.cursor = page.end_line
                    self.figures.count(batch.stream, page)
                    yield reader, [page], False
        finally:
            for spool in self._spools:
                spool.close()

    def _next(self) -> Optional[Batch]:
        """What is ready to write next, once something is; None: all is written."""
        while True:
            with self.pool.lock:
                while not self._asks:
                    self.pool.check()
                    for i in range(len(self._streams)):
                        self._take(i)
                    batch, unfinished = self._from_end()
                    if batch is None and not unfinished:
                        batch, unfinished = self._merged()
                    if batch is not None or not unfinished:
                        return batch
                    if not self._asks:
                        self.figures.show_walk()
                        self.pool.wait()
                ask = self._asks.pop()
            assert self.read_back is not None
            self.read_back(*ask)  # it queues work: outside the lock

    # -- with the lock held ------------------------------------------------------------

    def _take(self, i: int) -> None:
        """Everything the workers have put for stream ``i``, into its spool; done segments dropped."""
        segments = self._streams[i]
        while segments:
            head = segments[0]
            if head.keep_last is not None:
                self._keep[i] = head.keep_last
            if head.pages:
                while head.pages:
                    page = head.pages.popleft()
                    self._spool(i, page)
                    if i in self._keep:  # written all at once at the end: counted as read
                        self.figures.count(i, page)
                self.pool.took(head)
            if not head.done:
                return
            if head.last_lines is not None:
                self._last[i] = (head.last_lines, head.cursor)
            elif head.cursor:
                self._cursor[i] = head.cursor
            segments.popleft()
            self.pool.written()
        if i in self._held:  # nothing came after: the log ends there
            self._spools[i].append(self._held.pop(i))

    def _spool(self, i: int, page: Page) -> None:
        if i in self._held:
            page = _joined(self._held.pop(i), page)
        if page.end_line is None:
            self._held[i] = page  # written with the next page, so that its position is stored
        else:
            self._spools[i].append(page)

    def _done(self, i: int) -> bool:
        """All of stream ``i`` is read (what is left of it is in its spool)."""
        return not self._streams[i] and (i not in self._older or self._older[i].done)

    def _from_end(self) -> Tuple[Optional[Batch], bool]:
        """The next stream read from its end, all its last lines, once they are in; (None, True):
        wait for them; (None, False): every such stream is written, or merges with the rest."""
        for i in range(len(self._streams)):
            if i in self._resolved or not self.starts[self.readers[i].stream].from_end:
                continue
            if i in self._last:
                self._resolved.add(i)
                stack, cursor = self._last.pop(i)
                self.figures.show_walk()  # its last figure: it may have been read before any wait
                return Batch(i, [], stack, cursor), True
            if i in self._keep:
                if not self._done(i):
                    return None, True
                batch = self._kept(i)
                return batch, True
            if len(self._spools[i]) or self._done(i):  # read from a time on after all: it merges
                self._resolved.add(i)
                continue
            return None, True
        return None, False

    def _kept(self, i: int) -> Optional[Batch]:
        """The last N lines of stream ``i``, all read in chunks (and back, where they lacked some)."""
        spool, wanted = self._spools[i], self._keep[i]
        older = self._older.pop(i, None)
        if older is not None:
            self.pool.written()
        first = spool.first_start()
        if older is None and spool.lines < wanted and first and self.read_back is not None:
            self._older[i] = segment = Segment()
            self._asks.append((i, first, wanted - spool.lines, segment))
            return None
        self._resolved.add(i)
        self._spools[i] = Spool()  # the batch takes this one's pages with it
        cursor = self._cursor.pop(i, None)
        back = older.last_lines if older is not None else None
        skip = max(0, spool.lines - wanted)
        return Batch(i, [], _last_lines(back, spool, skip), cursor or spool.last_end)

    def _merged(self) -> Tuple[Optional[Batch], bool]:
        """The page that comes next of the streams merged by position; whether any is unfinished."""
        best: Optional[Tuple[int, int]] = None  # (position, place of the stream's name)
        chosen = -1
        unfinished = False
        for place, i in enumerate(self._order):
            spool = self._spools[i]
            if not len(spool):
                if not self._done(i):
                    return None, True  # its next page may come first
                if i in self._cursor:
                    self.readers[i].cursor = self._cursor.pop(i)
                continue
            unfinished = True
            key = (_position(spool.first_start()), place)
            if best is None or key < best:
                best, chosen = key, i
        if best is None:
            return None, unfinished
        spool = self._spools[chosen]
        if all(self._done(i) and not len(self._spools[i]) for i in range(len(self._spools)) if i != chosen):
            return Batch(chosen, list(spool.drain()), None), True  # the only stream left: all of it
        return Batch(chosen, [spool.popleft()], None), True


def _position(start: Optional[str]) -> int:
    try:
        return int(start or "")
    except ValueError:
        return -1  # no position to go by: the stream's name decides


def _last_lines(back: Optional[PageStack], spool: Spool, skip: int) -> Iterator[Page]:
    """The lines read back (oldest first), then the spool's pages less their first ``skip`` lines."""
    if back is not None:
        yield from back
    for page in spool.drain():
        if skip >= page.count:
            skip -= page.count
            continue
        if skip:
            kept = page.lines[skip:]
            page = Page("".join(line + "\n" for line in kept), len(kept), None, page.end_line)
            skip = 0
        yield page


def _joined(first: Page, second: Page) -> Page:
    return Page(first.text + second.text, first.count + second.count, first.start_line, second.end_line)
