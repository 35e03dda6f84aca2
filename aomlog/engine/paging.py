"""Paging through one stream's log: the newest N lines, everything after a position, the whole log.

The reader only ever moves with positions the server handed out: onward with
``base_line`` = the previous page's ``end_line``, back with ``base_line`` = the
previous page's ``start_line``. That works whether or not the server includes
``base_line`` in its answer and whether ``end_line`` is inclusive or exclusive.

Which ``order`` word reads onward is never taken on trust (v2's docs say the
opposite of v1's, unconfirmed): ``Direction`` checks each answer read from a
position against it (a page read onward starts at or after its ``base_line``, a
page read back before it), swaps the words the first time the server disagrees,
and from then on refuses an answer that goes the wrong way. Both readings give
the same, exact output.
"""

from __future__ import annotations

import threading
from typing import Callable, Dict, Iterator, NamedTuple, Optional, Tuple

from aomlog.api.family import BACK, MAX_LINES, ONWARD, JobApi, Page, Target
from aomlog.errors import ApiError, BadRequest
from aomlog.engine.pagestack import PageStack

PAGE_LIMIT = MAX_LINES  # the API's maximum lines per call
Fetch = Callable[[Optional[str], int, str], Page]  # (base_line, lines, order word) -> Page


def _went(base: Optional[str], page: Page) -> Optional[str]:
    """Which way a page read from ``base`` went: ONWARD, BACK, or None when it cannot tell."""
    if base is None or not page.count or page.start_line is None:
        return None
    try:
        return ONWARD if int(page.start_line) >= int(base) else BACK
    except ValueError:
        return None


class Direction:
    """The order words of one job, learned from the positions its pages come back with.

    Shared by the job's streams, which may be read by several threads: until the
    words are known, one request at a time may teach them.
    """

    def __init__(self, words: Dict[str, str]):
        self.words = dict(words)
        self.known = False
        self._learning = threading.Lock()

    def fetch(self, call: Fetch, base: Optional[str], lines: int, way: str) -> Page:
        if self.known:
            return self._fetch(call, base, lines, way)
        with self._learning:
            return self._fetch(call, base, lines, way)

    def _fetch(self, call: Fetch, base: Optional[str], lines: int, way: str) -> Page:
        page = call(base, lines, self.words[way])
        went = _went(base, page)
        if went == way or base is None:
            self.known = self.known or went is not None
            return page
        if went is None:  # empty: nothing that way, or the word reads the other way
            if self.known:
                return page
            other = call(base, lines, self.words[_opposite(way)])
            went_other = _went(base, other)
            if went_other is None:
                return page  # nothing on either side of base: the empty answer is the truth
            if went_other == way:
                self._swap()  # before `known`: a thread that sees it known (unlocked) uses these words
            self.known = True
            return other if went_other == way else page
        if self.known:
            raise ApiError(f"the API read the log {'back' if way == ONWARD else 'onward'} when asked to read "
                           f"{'onward' if way == ONWARD else 'back'} from position {base}",
                           "This is not how the API has answered so far; report it, with the requests that show it.",
                           about="debug.order_reversed")
        self._swap()
        self.known = True
        return call(base, lines, self.words[way])

    def _swap(self) -> None:
        self.words = {ONWARD: self.words[BACK], BACK: self.words[ONWARD]}


def _opposite(way: str) -> str:
    return BACK if way == ONWARD else ONWARD


class Beginning(NamedTuple):
    first: Page  # the log's first page (found walking back, it may be short)
    newest: Page
    base: Optional[str]  # what ``first`` was read onward from; None: no position to cut the log from
    whole: bool  # ``first`` is all of the log


class LogReader:
    def __init__(self, api: JobApi, target: Target, direction: Optional[Direction] = None,
                 page_size: int = PAGE_LIMIT):
        self.api = api
        self.target = target
        self.direction = direction or Direction(api.order_words)
        self.page_size = max(1, min(page_size, PAGE_LIMIT))
        # The position to read onward from; None until a page has told us one.
        self.cursor: Optional[str] = None

    @property
    def stream(self) -> str:
        return self.target.stream

    def fetch(self, base_line: Optional[str], lines: int, way: str) -> Page:
        lines = max(lines, self.api.min_lines)
        return self.direction.fetch(lambda base, n, word: self.api.fetch(self.target, base, n, word),
                                    base_line, lines, way)

    def _advance(self, page: Page) -> None:
        if page.end_line:  # an empty or missing end_line means "no news", not "start over"
            self.cursor = page.end_line

    def newest(self, n: int, walked: Optional[Callable[[int, int], None]] = None) -> PageStack:
        """The newest ``n`` lines as pages (iterate for them oldest first); sets the cursor to the log's end.

        Above the API's 500-line limit it reads back page by page from the
        newest page's ``start_line``; pages past a few go to a temporary file.
        ``walked(lines, pages)`` is told how far back it has come.
        """
        want = min(max(n, 1), self.page_size)
        first = self.fetch(None, want, ONWARD)
        self._advance(first)
        pages = PageStack()
        if n == 0:  # one line was read only to learn where the log ends
            return pages
        pages.push(first)
        if first.count >= want and first.start_line:
            self.back_from(first.start_line, n - first.count, pages, walked, n)
        return pages

    def back_from(self, start: str, n: int, pages: PageStack,
                  walked: Optional[Callable[[int, int], None]] = None, told: Optional[int] = None) -> PageStack:
        """The ``n`` lines before position ``start`` (fewer where the log begins), read back page by
        page onto ``pages``; ``walked(lines, pages)`` is told the lines so far out of ``told``."""
        told = n if told is None else told
        remaining = n
        while remaining > 0 and start:
            want = min(remaining, self.page_size)
            page = self.fetch(start, want, BACK)
            if page.count:
                pages.push(page)
                remaining -= page.count
                if walked is not None:
                    walked(told - remaining, len(pages))
            if page.count < want or not page.start_line:
                break
            start = page.start_line
        return pages

    def onward(self, base_line: Optional[str] = None) -> Iterator[Page]:
        """Every line after ``base_line`` (or the cursor), page by page, until the log's current end."""
        if base_line:
            self.cursor = base_line
        if self.cursor is None:  # nothing read yet: the log was empty, so all of it is new
            yield from self.from_start()
            return
        while True:
            page = self.fetch(self.cursor, self.page_size, ONWARD)
            self._advance(page)
            if page.count:
                yield page
            if page.count < self.page_size or not page.end_line:
                return

    def from_start(self) -> Iterator[Page]:
        """The whole log, oldest first, streamed: memory stays at one page.

        The newest page comes first: when it is short, it is the whole log. Else a
        line before it teaches which word reads back, and position 0 read onward is
        the natural start (positions are timestamps). A server that reads 0 as "no
        position" answers with the newest lines again; one that refuses 0 (it never
        handed it out) is walked back to its first page, keeping only cursors.
        """
        begin = self.beginning()
        self._advance(begin.first)
        if begin.first.count:
            yield begin.first
        if not begin.whole:
            yield from self.onward(None)

    def beginning(self) -> "Beginning":
        """The log's first page and its newest, in as few requests as the server allows."""
        newest = self.fetch(None, self.page_size, ONWARD)
        if newest.count < self.page_size or not newest.start_line:
            return Beginning(newest, newest, None, whole=True)
        if not self.fetch(newest.start_line, 1, BACK).count:  # exactly one page long
            return Beginning(newest, newest, None, whole=False)
        first, base = self.first_page(newest)
        return Beginning(first, newest, base, whole=False)

    def first_at(self, position: int, made_up: bool) -> Tuple[Optional[Page], Optional[str]]:
        """The page that starts with the log's first line at or after ``position``, and the base it
        was read onward from (None when it was not); (None, None) when every line is older.

        Where the server takes a position it did not hand out, that is one request onward
        from just before ``position``. Else the log is walked back from its last line to the
        page holding the first such line, whose lines from it on are found by reading back
        from the page after it with fewer and fewer lines (a binary search on ``lines``).
        """
        if made_up:
            base = str(position - 1)
            page = self.fetch(base, self.page_size, ONWARD)
            if page.count and page.start_line and int(page.start_line) < position:
                # Read from a position one before: a server that includes it gave that line too.
                base = self.fetch(base, 1, ONWARD).end_line or base
                page = self.fetch(base, self.page_size, ONWARD)
            return (page, base) if page.count else (None, None)
        last = self.fetch(None, 1, ONWARD)
        if not last.count or not last.start_line or int(last.start_line) < position:
            return None, None
        newer = last  # the page that starts where the one being looked at ends
        while True:
            assert newer.start_line is not None
            page = self.fetch(newer.start_line, self.page_size, BACK)
            if not page.count or not page.start_line:  # `newer` starts with the log's first line
                return newer, None
            if int(page.start_line) >= position:  # all of it is new enough: look further back
                newer = page
                continue
            # The first line at or after position is in this page, or starts `newer`: how many
            # of its newest lines are new enough (all of `low` are; not all of `high + 1`)?
            low, high = 0, page.count - 1
            while low < high:
                k = (low + high + 1) // 2
                probe = self.fetch(newer.start_line, k, BACK)
                if probe.start_line and int(probe.start_line) >= position:
                    low = k
                else:
                    high = k - 1
            return (self.fetch(newer.start_line, low, BACK) if low else newer), None

    def first_page(self, newest: Page) -> Tuple[Page, Optional[str]]:
        """The log's first page, for a log longer than ``newest``, its newest page, and the base it
        was read onward from ("0"), or None when it was found by walking back (it may be short)."""
        try:
            first = self.fetch("0", self.page_size, ONWARD)
        except BadRequest:  # "0" refused: a position it never handed out
            return self._oldest_page(newest), None
        # The log is longer than a page, so its first page starts before the newest one.
        if not first.count or not first.start_line or int(first.start_line) >= int(newest.start_line or 0):
            return self._oldest_page(newest), None
        return first, "0"

    def _oldest_page(self, page: Page) -> Page:
        while page.count and page.start_line:
            older = self.fetch(page.start_line, self.page_size, BACK)
            if older.count == 0:
                break
            page = older
        return page
