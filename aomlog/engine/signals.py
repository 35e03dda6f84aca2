"""Ctrl-C and SIGTERM without breaking exactly-once, and a second one that leaves at once.

A page is written and then its position stored in the cursor file; a signal in
between would leave the page printed and the old cursor kept, so a restarted
follower would print it again. While a page is in hand (``Guard.page()``) the
first SIGINT or SIGTERM only takes note; when the page is out and its cursor
stored, ``Interrupted`` is raised. Outside a page it is raised at once.

A second signal (while the page in hand waits for a reader that stopped reading,
or while the first one's exception unwinds the run, the output is flushed, atexit
callbacks run) never raises: an exception landing in a ``finally``, a lock's
bookkeeping or ``logging.shutdown`` is a traceback ("Exception ignored in atexit
callback") and no exit status. It calls ``at_once(status, mid_page)`` instead,
which must not return: the CLI's says so on stderr and leaves by ``os._exit``.
So does any signal after ``ending()`` (the run is over; only its exit is left).

A ``Guard`` is the engine's ``Stop`` (``aomlog.engine.stop``): the CLI's entry point
makes one, installs it and hands it to the engine. There is no process-wide guard:
tests and library users that install none keep Python's own Ctrl-C.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from types import FrameType
from typing import Callable, Iterator, Optional

from aomlog.errors import ExitStatus

STATUS = {signal.SIGINT: ExitStatus.INTERRUPTED, signal.SIGTERM: ExitStatus.TERMINATED}


class Interrupted(KeyboardInterrupt):
    """A SIGINT or SIGTERM that ends the run."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> ExitStatus:
        return status_of(self.signum)


def status_of(signum: int) -> ExitStatus:
    return STATUS.get(signal.Signals(signum), ExitStatus.INTERRUPTED)


def _exit(status: int, mid_page: bool) -> None:
    os._exit(status)


class Guard:
    """Turns SIGINT and SIGTERM into ``Interrupted``, but not while a page is in hand, and a
    second signal into ``at_once(status, mid_page)`` (see above); by default a silent ``os._exit``."""

    def __init__(self, at_once: Callable[[int, bool], None] = _exit) -> None:
        self.depth = 0  # pages in hand
        self.pending: Optional[int] = None  # a signal taken note of while one was
        self.stopping = False  # a signal was taken, or the run is over: the next one leaves at once
        self.at_once = at_once

    def install(self) -> None:
        for signum in STATUS:
            signal.signal(signum, self._handle)

    def ending(self) -> None:
        """The run is over: a signal from now on leaves at once, never as an exception."""
        self.stopping = True

    def _handle(self, signum: int, frame: Optional[FrameType]) -> None:
        # A signal can land in this handler's own first steps, before it took note of the
        # one it handles (``frame`` is then this handler's): that one is the second too.
        if self.stopping or (frame is not None and frame.f_code is _HANDLER_CODE):
            self.stopping = True
            self.at_once(int(status_of(signum)), bool(self.depth))
            return  # an at_once that returned (a test's): the run goes on ending as it was
        self.stopping = True
        if self.depth:
            self.pending = signum
            return
        raise Interrupted(signum)

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


_HANDLER_CODE = Guard._handle.__code__
