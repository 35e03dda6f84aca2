"""Ctrl-C and SIGTERM without breaking exactly-once.

A page is written and then its position stored in the cursor file; a signal in
between would leave the page printed and the old cursor kept, so a restarted
follower would print it again. While a page is in hand (``Guard.page()``) the
first SIGINT or SIGTERM only takes note; when the page is out and its cursor
stored, ``Interrupted`` is raised. Outside a page it is raised at once. A second
signal while a page is in hand stops at once, mid-page (a reader that has stopped
reading would otherwise hold the page forever), and says so.

A ``Guard`` is the engine's ``Stop`` (``aomlog.engine.stop``): the CLI's entry point
makes one, installs it and hands it to the engine. There is no process-wide guard:
tests and library users that install none keep Python's own Ctrl-C.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from types import FrameType
from typing import Iterator, Optional

from aomlog.errors import ExitStatus

STATUS = {signal.SIGINT: ExitStatus.INTERRUPTED, signal.SIGTERM: ExitStatus.TERMINATED}


class Interrupted(KeyboardInterrupt):
    """A SIGINT or SIGTERM that ends the run; ``mid_page``: a page was cut short."""

    def __init__(self, signum: int, mid_page: bool = False):
        super().__init__(signum)
        self.signum = signum
        self.mid_page = mid_page

    @property
    def status(self) -> ExitStatus:
        return STATUS.get(signal.Signals(self.signum), ExitStatus.INTERRUPTED)


class Guard:
    """Turns SIGINT and SIGTERM into ``Interrupted``, but not while a page is in hand (see above)."""

    def __init__(self) -> None:
        self.depth = 0  # pages in hand
        self.pending: Optional[int] = None  # a signal taken note of while one was

    def install(self) -> None:
        for signum in STATUS:
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: Optional[FrameType]) -> None:
        if self.depth and self.pending is None:
            self.pending = signum
            return
        raise Interrupted(signum, mid_page=bool(self.depth))

    @contextmanager
    def page(self) -> Iterator[None]:
        """A page is written and its cursor stored inside this: a signal waits for both."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending is not None:
            signum, self.pending = self.pending, None
            raise Interrupted(signum)

