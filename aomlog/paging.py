"""Paging through a log: the newest N lines, everything after a position, the whole log.

The reader only ever moves with positions the server handed out: onward with
``base_line`` = the previous page's ``end_line``, back with ``base_line`` = the
previous page's ``start_line``. That works whether or not the server includes
``base_line`` in its answer and whether ``end_line`` is inclusive or exclusive.
It sees the client through one method, ``aom_log``, so tests can script it.
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Protocol

from aomlog.client import BAD_ARGUMENT_CODES, Page
from aomlog.errors import ApiError

PAGE_LIMIT = 500  # the API's maximum lines per call
ONWARD, BACK = "desc", "asc"  # the API's names: desc reads onward, asc reads back


class _NotTheStart(Exception):
    pass


class PageSource(Protocol):
    def aom_log(self, job_id, version_id, log_file: str, base_line: Optional[str] = None,
                lines: int = 50, order: str = "desc") -> Page: ...


class LogReader:
    def __init__(self, client: PageSource, job_id, version_id, log_file: str, page_size: int = PAGE_LIMIT):
        self.client = client
        self.job_id = job_id
        self.version_id = version_id
        self.log_file = log_file
        self.page_size = max(1, min(page_size, PAGE_LIMIT))
        # The position to read onward from; None until a page has told us one.
        self.cursor: Optional[str] = None

    def fetch(self, base_line: Optional[str], lines: int, order: str) -> Page:
        return self.client.aom_log(self.job_id, self.version_id, self.log_file,
                                   base_line=base_line, lines=lines, order=order)

    def _advance(self, page: Page) -> None:
        if page.end_line:  # an empty or missing end_line means "no news", not "start over"
            self.cursor = page.end_line

    def newest(self, n: int) -> List[Page]:
        """The newest ``n`` lines as pages, oldest first; sets the cursor to the log's end.

        Above the API's 500-line limit it reads back page by page from the
        newest page's ``start_line``. Holding ``n`` lines is what the user asked for.
        """
        want = min(max(n, 1), self.page_size)
        first = self.fetch(None, want, ONWARD)
        self._advance(first)
        if n == 0:  # one line was read only to learn where the log ends
            return []
        pages = [first]
        remaining = n - first.count
        start = first.start_line
        full = first.count >= want
        while remaining > 0 and start and full:
            want = min(remaining, self.page_size)
            page = self.fetch(start, want, BACK)
            if page.count:
                pages.append(page)
                remaining -= page.count
            full = page.count >= want
            start = page.start_line
        pages.reverse()
        return pages

    def onward(self, base_line: Optional[str]) -> Iterator[Page]:
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

        ``base_line=0`` read onward is the natural start (positions are
        timestamps), but a server may refuse a position it never issued. Then
        walk back to the first page keeping only cursors, and read on from there.
        """
        try:
            first = self.fetch("0", self.page_size, ONWARD)
            more = first.count >= self.page_size
            # A server that reads 0 as "no position" answers with the newest lines:
            # one line before them means this was not the beginning.
            if first.count and first.start_line and self.fetch(first.start_line, 1, BACK).count:
                raise _NotTheStart
        except (ApiError, _NotTheStart) as err:
            if isinstance(err, ApiError) and err.code not in BAD_ARGUMENT_CODES:
                raise
            first = self._oldest_page()
            more = True  # the oldest page may be short and still have lines after it
        self._advance(first)
        if first.count:
            yield first
        if more and first.count and first.end_line:
            yield from self.onward(None)

    def _oldest_page(self) -> Page:
        page = self.fetch(None, self.page_size, ONWARD)
        while page.count and page.start_line:
            older = self.fetch(page.start_line, self.page_size, BACK)
            if older.count == 0:
                break
            page = older
        return page
