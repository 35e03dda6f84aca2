"""A segment: a run of one stream's pages on its way from a worker to the writer."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Deque, Optional

from aomlog.api.family import Page
from aomlog.engine.pagestack import PageStack


@dataclass
class Segment:
    """A run of one stream's pages, in order: a whole catch-up, or one chunk of it.

    One worker fills it (``pool.Pool.put``, then ``finish``); the writer empties it in
    the stream's order, and drops it once it is done and empty (``spent``).
    """

    pages: Deque[Page] = field(default_factory=deque)
    # A stream started from its last N lines (-n N): all of them, written only once all are in.
    last_lines: Optional[PageStack] = None
    done: bool = False
    cursor: Optional[str] = None  # where the reading stopped, once done
    waits_for_room: bool = False  # its worker waits for the writer to take pages

    @property
    def spent(self) -> bool:
        """Done, and all of it handed to the writer."""
        return self.done and not self.pages and self.last_lines is None
