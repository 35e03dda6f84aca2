"""Cutting one long stream into chunks at positions of aomlog's own making, and joining them exactly.

The stretch between a stream's first page and its last is cut evenly by position into a
multiple of the workers each stream has (``cuts``), each chunk about ``CHUNK_PAGES``
pages as the positions' density on those two pages estimates.

Positions look like epoch milliseconds x 10^6 plus a sequence, so a position
between two others is a time between theirs. Whether the server reads onward
from a position it never handed out is probed once per job (``JobPositions``).
A chunk starts at the first line at or after its cut: the one-line page read from
the cut (``Chunk.first``). The chunk before ends just before that line: a page of
it that holds the line (its end_line is at least the one-line page's, in either
reading of ``base_line``) is cut short where the line's text stands, or, where
the text repeats, where a page of that many lines ends (``lines_before``).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import List, NamedTuple, Optional

from aomlog.api.family import BACK, ONWARD, Page
from aomlog.errors import BadRequest
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.paging import PAGE_LIMIT, LogReader
from aomlog.engine.start import EARLIEST_MS

CHUNK_PAGES = 16  # a chunk's size, as estimated from the positions' density
MIN_SPLIT_PAGES = 4  # a stream estimated shorter than this is read in one piece
MAX_CHUNKS = 4096


class Cuts(NamedTuple):
    """Where a stream is cut: between ``low`` (its first page's end) and ``high`` (its last
    page's start), at the positions ``at``, where the chunks after the first start."""

    low: int
    high: int
    at: List[int]


def cuts(first: Page, last: Page, share: int) -> Optional[Cuts]:
    """Where to cut the stretch between ``first``, a stream's first page, and ``last``, its last
    page, for the ``share`` workers the stream has; None: read it in one piece."""
    if not (first.start_line and first.end_line and last.start_line and last.end_line):
        return None
    low, high = int(first.end_line), int(last.start_line)
    density = (first.count + last.count) / max(1, (int(first.end_line) - int(first.start_line))
                                                + (int(last.end_line) - int(last.start_line)))
    pages = (high - low) * density / PAGE_LIMIT
    # A multiple of the workers, so that the last round of chunks keeps them all busy.
    rounds = math.ceil(pages / max(1, share * CHUNK_PAGES))
    count = min(MAX_CHUNKS, rounds * share)
    if share < 2 or pages < MIN_SPLIT_PAGES or count < 2 or high <= low + count:
        return None
    return Cuts(low, high, [low + (high - low) * k // count for k in range(1, count)])


class JobPositions:
    """What one job's server does with positions, learned once for all its streams."""

    def __init__(self) -> None:
        self.made_up: Optional[bool] = None
        self._lock = threading.Lock()

    def accepts_made_up(self, reader: LogReader, low: int, high: int) -> bool:
        """Whether the server reads onward from a position it never handed out, as it should:
        from the first line after it, skipping none. Probed once, between ``low`` and ``high``."""
        with self._lock:
            if self.made_up is None:
                if not reader.direction.known:  # the probe reads "onward": learn which word that is
                    reader.fetch(str(high), 1, BACK)
                    if not reader.direction.known:
                        return False  # nothing before high either way: nothing to cut; ask again later
                self.made_up = _probe_made_up(reader, (low + high) // 2)
            return self.made_up


def _probe_made_up(reader: LogReader, cut: int) -> bool:
    try:  # not through Direction: an answer going the wrong way here means "no", not an error
        page = reader.api.fetch(reader.target, str(cut), 1, reader.direction.words[ONWARD])
    except BadRequest:
        return False
    if not page.count or not page.start_line or int(page.start_line) < cut:
        return False
    before = reader.fetch(page.start_line, 1, BACK)  # a position it handed out
    return bool(before.count and before.start_line and int(before.start_line) <= cut)


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
                except BadRequest:
                    # The probe found made-up positions taken, but a server may take some and not
                    # others (one that happens to be a position it handed out, say).
                    self.refused = True
                else:
                    if page.count and page.start_line and page.end_line:
                        self._first = Boundary(page.lines[0], int(page.start_line), int(page.end_line), page)
                self._read = True
            return self._first

    def end(self, reader: LogReader) -> Optional[Boundary]:
        """The first line after the chunk: the next chunk's first, if the log reaches it. A chunk
        whose cut the server refused is read by the one before it: the next one's first, then."""
        following = self.next
        while following is not None:
            start = following.first(reader)
            if start is not None or not following.refused:
                return start
            following = following.next
        return None


def chain(segment: Segment, at: List[int]) -> List[Chunk]:
    """The chunks of a stream cut ``at`` those positions, in order, each linked to the next; the
    first (from the stream's first page on) fills ``segment``, the others segments of their own."""
    chunks = [Chunk(None, segment)] + [Chunk(cut, Segment()) for cut in at]
    for chunk, following in zip(chunks, chunks[1:]):
        chunk.next = following
    return chunks


def lines_before(reader: LogReader, page: Page, base: str, end: Boundary) -> int:
    """How many of ``page``'s lines (read onward from ``base``) come before the line ``end``,
    which the page holds: where that line's text stands, if only once; else the fewest lines
    a page read from ``base`` needs to hold it, less one."""
    lines = page.lines
    places = [i for i, line in enumerate(lines) if line == end.text]
    if len(places) == 1:
        return places[0]
    if not places:  # the text came back otherwise than before (it should not): ask for every place
        places = list(range(len(lines)))
    low, high = 0, len(places) - 1  # the answer is one of `places`; binary search by requests
    while low < high:
        mid = (low + high) // 2
        probe = reader.fetch(base, places[mid] + 1, ONWARD)
        if probe.end_line and int(probe.end_line) >= end.end_line:
            high = mid
        else:
            low = mid + 1
    return places[low]


def is_time(position: Optional[str]) -> bool:
    """Whether a position reads as epoch milliseconds x 10^6 (plus a sequence) of this century, up to now."""
    try:
        ms = int(position or "") // 10**6
    except ValueError:
        return False
    return EARLIEST_MS <= ms <= (time.time() + 2 * 86400) * 1000
