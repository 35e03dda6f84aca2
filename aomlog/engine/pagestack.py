"""Pages read newest first and given back oldest first, in bounded memory.

The newest N lines of a log are read backwards from its end, but written forwards:
every page must be held until the oldest is in. Up to ``IN_MEMORY`` pages are kept as
they are; past that they go to an anonymous temporary file (deleted when closed,
or by the system if aomlog dies), so memory stays at a few pages for any N.
"""

from __future__ import annotations

import tempfile
from typing import IO, Iterator, List, Optional, Tuple

from aomlog.api.family import Page

IN_MEMORY = 16  # pages (8,000 lines at most) before they go to disk
# A page on disk: offset, length, count, start_line, end_line.
Spilled = Tuple[int, int, int, Optional[str], Optional[str]]


def spill(file: Optional[IO[bytes]], page: Page) -> Tuple[IO[bytes], Spilled]:
    """``page`` written at the end of ``file`` (a new anonymous temporary file when None): the
    file, and where the page lies in it."""
    if file is None:
        file = tempfile.TemporaryFile(prefix="aomlog-")
    data = page.text.encode("utf-8", "surrogatepass")  # JSON may carry lone surrogates: keep them
    offset = file.seek(0, 2)
    file.write(data)
    return file, (offset, len(data), page.count, page.start_line, page.end_line)


def unspill(file: IO[bytes], where: Spilled) -> Page:
    """The page that ``spill`` put ``where`` it says in ``file``."""
    offset, length, count, start, end = where
    file.seek(offset)
    return Page(file.read(length).decode("utf-8", "surrogatepass"), count, start, end)


class PageStack:
    """Pages pushed newest first; iterated oldest first, from memory or the temporary file."""

    def __init__(self, in_memory: Optional[int] = None):
        self.in_memory = IN_MEMORY if in_memory is None else in_memory
        self._held: List[Page] = []
        self._file: Optional[IO[bytes]] = None
        self._spilled: List[Spilled] = []  # the pages on disk

    def push(self, page: Page) -> None:
        """A page older than every page pushed before it."""
        self._held.append(page)
        if len(self._held) > self.in_memory:
            for held in self._held:
                self._spill(held)
            self._held = []

    def _spill(self, page: Page) -> None:
        self._file, where = spill(self._file, page)
        self._spilled.append(where)

    def oldest_start(self) -> Optional[str]:
        """The position of the oldest line pushed; None when there is none."""
        if self._held:
            return self._held[-1].start_line
        return self._spilled[-1][3] if self._spilled else None

    def __len__(self) -> int:
        return len(self._held) + len(self._spilled)

    def __iter__(self) -> Iterator[Page]:
        """The pages oldest first; the stack is emptied as they go."""
        try:
            while self._held:
                yield self._held.pop()
            while self._spilled:
                assert self._file is not None
                yield unspill(self._file, self._spilled.pop())
        finally:
            self.close()

    def close(self) -> None:
        self._held, self._spilled = [], []
        if self._file is not None:
            self._file.close()
            self._file = None
