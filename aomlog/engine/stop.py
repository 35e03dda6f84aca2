"""Stop requests, as the engine sees them: a page and its stored position are one.

The engine writes a page, then stores its position in the cursor file. A stop
request (Ctrl-C, SIGTERM) between the two would leave the page printed and its
position not stored, so a restart would print it again. The engine therefore
hands out each page inside ``stop.page()``: whoever turns signals into stop
requests (``aomlog.engine.signals.Guard``, installed by the CLI) holds a request
made inside it until the block is over, and raises it then. Outside a page a
request may end the run at once.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import ContextManager, Protocol


class Stop(Protocol):
    """Where a stop request may end the run: not inside ``page()``."""

    def page(self) -> ContextManager[None]:
        """A page is written and its position stored inside this; a stop request waits for both."""
        ...


class NoStop:
    """No stop requests of the engine's own: Python's Ctrl-C, where it lands (tests, library use)."""

    def page(self) -> ContextManager[None]:
        return nullcontext()
