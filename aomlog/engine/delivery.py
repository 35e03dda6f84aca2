"""Handing pages to the caller: one at a time, each page's position stored once it is written.

The caller writes a page before it asks for the next, so the position stored
after a yield is that of a page wholly written, and a restart never skips a line
that was not. A page and its stored position are one for stop requests
(``Stop.page()``). The first lines that a start from line N leaves out are cut
here, also when they arrive while following.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Dict, Iterable, Iterator, List, Optional, Tuple

from aomlog.api.family import Page
from aomlog.engine.cursorfile import CursorFile
from aomlog.engine.keeper import Keeper
from aomlog.engine.paging import LogReader
from aomlog.engine.stop import Stop

Pages = Iterator[Tuple[str, Page]]


class Delivery:
    """The pages of one read on their way out, and the positions stored after them.

    Args:
        cursor: the cursor file, if any.
        stop: where a stop request may end the run.
        keeper: what the reader keeps with each position.
        skip: lines still to leave out at the start of each stream.
    """

    def __init__(self, cursor: Optional[CursorFile], stop: Stop, keeper: Keeper, skip: Dict[str, int]):
        self.cursor = cursor
        self.stop = stop
        self.keeper = keeper
        self.skip = dict(skip)

    def page(self, reader: LogReader, page: Page, save: bool = True) -> Pages:
        """``page`` (less any lines to leave out), then its position stored."""
        skip = self.skip.get(reader.stream, 0)
        if skip:
            self.skip[reader.stream] = max(0, skip - page.count)
            page = _without_first(page, skip)
        with self.stop.page():  # written, then its position stored: a stop request waits for both
            if page.count:
                yield reader.stream, page
            if save:
                self.save(reader)

    def newest(self, reader: LogReader, pages: Iterable[Page]) -> Pages:
        """A stream's newest lines, all read before the first is written; the position stored once
        all are out. Only a cursor file makes them one: without it a stop need not wait for them all."""
        with self.stop.page() if self.cursor else nullcontext():
            for page in pages:
                yield from self.page(reader, page, save=False)
            self.save(reader)

    def save_all(self, readers: List[LogReader]) -> None:
        """Where every stream stands, stored (streams with nothing new too)."""
        with self.stop.page():
            for reader in readers:
                self.save(reader)

    def save(self, reader: LogReader) -> None:
        if self.cursor:
            self.cursor.save(reader.stream, reader.cursor, self.keeper.kept(reader.stream))


def _without_first(page: Page, skip: int) -> Page:
    """The page less its first ``skip`` lines."""
    if skip >= page.count:
        return Page("", 0, None, page.end_line)
    kept = page.lines[skip:]
    return Page("\n".join(kept) + "\n", len(kept), None, page.end_line)
