"""A segment: a run of one stream's pages on its way from a worker to the writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from aomlog.api.family import Page
from aomlog.engine.catchup.spool import Spool
from aomlog.engine.pagestack import PageStack


@dataclass
class Segment:
    """A run of one stream's pages, in order: a whole catch-up, or one chunk of it.

    One worker fills it (``pool.Pool.put``, then ``finish``); the writer empties it in
    the stream's order, and drops it once it is done and empty (``spent``).
    """

    pages: Spool = field(default_factory=Spool)  # past a few pages, on disk
    # A stream started from its last N lines (-n N): all of them, written only once all are in.
    last_lines: Optional[PageStack] = None
    # A stream's last N lines read in chunks from an estimated start: N (the writer leaves out
    # the lines before them once all are in). Set before its first page.
    keep_last: Optional[int] = None
    done: bool = False
    cursor: Optional[str] = None  # where the reading stopped, once done
    waits_for_room: bool = False  # its worker waits for the writer to take pages

    @property
    def spent(self) -> bool:
        """Done, and all of it handed to the writer."""
        return self.done and not self.pages and self.last_lines is None
