"""The writer's side of the catch-up: the pages the workers read, handed out in each stream's order.

Each stream is a queue of segments (its whole catch-up, or its chunks in order). The
writer hands out the pages of a stream's first segment as they come, and moves to the
next once the first is done and empty; streams are interleaved by whole pages. A
stream's last N lines come all at once, and in the streams' order. A page cut short
at a chunk's end (it has no end_line) is handed out joined to the page after it, so
that each page handed out has a position to store.
"""

from __future__ import annotations

from collections import deque
from typing import Deque, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from aomlog.api.family import Page
from aomlog.engine.catchup.figures import Figures
from aomlog.engine.catchup.pool import Pool
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.pagestack import PageStack
from aomlog.engine.paging import LogReader
from aomlog.engine.start import Start

# (reader, pages, as_one): pages of the reader's stream to write in this order; with as_one,
# all of a stream's last N lines, to be written and stored as one.
Item = Tuple[LogReader, Iterable[Page], bool]


class Batch(NamedTuple):
    """What the writer found ready: pages of one stream, or all its last lines."""

    stream: int
    pages: List[Page]
    last_lines: Optional[PageStack]


class InOrder:
    """The streams' segments, in order, and the writer's walk through them.

    Args:
        pool: the workers filling the segments (its lock guards them).
        readers: the streams' readers; each one's cursor follows the pages handed out.
        starts: each stream's start.
        figures: told of each page handed out.
    """

    def __init__(self, pool: Pool, readers: Sequence[LogReader], starts: Dict[str, Start], figures: Figures):
        self.pool = pool
        self.readers = readers
        self.starts = starts
        self.figures = figures
        self._streams: List[Deque[Segment]] = [deque() for _ in readers]

    def add(self, stream: int, segments: Iterable[Segment]) -> None:
        """The next segments of ``stream``, in order."""
        with self.pool.lock:
            self._streams[stream].extend(segments)

    def items(self) -> Iterator[Item]:
        """Every page of every segment, each stream's in order (see ``Item``), until all are done."""
        held: Dict[int, Page] = {}  # a page cut short at a chunk's end, waiting for the next one
        while True:
            batch = self._next()
            if batch is None:
                break
            stream, reader = batch.stream, self.readers[batch.stream]
            if batch.last_lines is not None:
                yield reader, batch.last_lines, True
                continue
            for page in batch.pages:
                if stream in held:
                    page = _joined(held.pop(stream), page)
                if page.end_line is None:
                    held[stream] = page  # written with the next page, so that its position is stored
                    continue
                reader.cursor = page.end_line
                self.figures.count(stream, page)
                yield reader, [page], False
        for stream, page in held.items():  # nothing came after: the log ends there
            yield self.readers[stream], [page], False

    def _next(self) -> Optional[Batch]:
        """What is ready to write next, once something is; None: all is written."""
        with self.pool.lock:
            while True:
                self.pool.check()
                batch, unfinished = self._ready()
                if batch is not None or not unfinished:
                    return batch
                self.figures.show_walk()
                self.pool.wait()

    def _ready(self) -> Tuple[Optional[Batch], bool]:
        """With the lock held: pages from the first stream whose first unfinished segment has some
        (or whose last lines are all in), and whether any stream is unfinished."""
        unfinished = False
        last_lines_before = False  # an earlier stream's last lines are still to come
        for i, segments in enumerate(self._streams):
            self._drop_spent(i, segments)
            if not segments:
                continue
            unfinished = True
            head = segments[0]
            if head.last_lines is not None and head.done and not last_lines_before:
                self.figures.show_walk()  # its last figure: it may have been read before any wait
                segments.popleft()
                self.pool.written()
                self.readers[i].cursor = head.cursor
                return Batch(i, [], head.last_lines), True
            last_lines_before = last_lines_before or self.starts[self.readers[i].stream].from_end
            if head.pages:
                pages = list(head.pages)
                head.pages.clear()
                self.pool.took(head)
                return Batch(i, pages, None), True
        return None, unfinished

    def _drop_spent(self, stream: int, segments: Deque[Segment]) -> None:
        """With the lock held: the stream's first segments that are done and written."""
        while segments and segments[0].spent:
            if segments[0].cursor:
                self.readers[stream].cursor = segments[0].cursor
            segments.popleft()
            self.pool.written()


def _joined(first: Page, second: Page) -> Page:
    return Page(first.text + second.text, first.count + second.count, first.start_line, second.end_line)
