"""``Spool``: pages first in, first out, in bounded memory.

The writer keeps here what it has taken from the workers but may not write yet: the
pages of one stream while another's next page decides the order (several streams are
written in a fixed order), or all of a stream's last N lines read in chunks (how many
to leave out is known only once all are in). Up to ``IN_MEMORY`` pages stay as they
are; past that they go to an anonymous temporary file, as ``PageStack``'s do.
"""

from __future__ import annotations

from collections import deque
from typing import IO, Deque, Iterator, Optional, Union

from aomlog.api.family import Page
from aomlog.engine.pagestack import IN_MEMORY, Spilled, spill, unspill


class Spool:
    """Pages in the order appended, taken from the front; past ``in_memory`` pages, on disk."""

    def __init__(self, in_memory: int = IN_MEMORY):
        self.in_memory = in_memory
        self._entries: Deque[Union[Page, Spilled]] = deque()
        self._held = 0  # entries that are pages in memory
        self._file: Optional[IO[bytes]] = None
        self.lines = 0  # the lines of all its pages
        self.last_end: Optional[str] = None  # the end_line of the last page appended that had one

    def __len__(self) -> int:
        return len(self._entries)

    def append(self, page: Page) -> None:
        self.lines += page.count
        self.last_end = page.end_line or self.last_end
        if self._held < self.in_memory:
            self._entries.append(page)
            self._held += 1
            return
        self._file, where = spill(self._file, page)
        self._entries.append(where)

    def first_start(self) -> Optional[str]:
        """The position of the first page's first line (None: unknown, or no page)."""
        if not self._entries:
            return None
        head = self._entries[0]
        return head.start_line if isinstance(head, Page) else head[3]

    def __iter__(self) -> Iterator[Page]:
        """The pages, in order, left in the spool."""
        return (self._page(entry) for entry in list(self._entries))

    def _page(self, entry: Union[Page, Spilled]) -> Page:
        if isinstance(entry, Page):
            return entry
        assert self._file is not None
        return unspill(self._file, entry)

    def popleft(self) -> Page:
        entry = self._entries.popleft()
        if isinstance(entry, Page):
            self._held -= 1
        page = self._page(entry)
        self.lines -= page.count
        if not self._entries:
            self.close()
        return page

    def drain(self) -> Iterator[Page]:
        """Every page, in order; the spool is emptied as they go."""
        try:
            while self._entries:
                yield self.popleft()
        finally:
            self.close()

    def clear(self) -> None:
        self.close()

    def close(self) -> None:
        self._entries.clear()
        self._held = 0
        self.lines = 0
        if self._file is not None:
            self._file.close()
            self._file = None
