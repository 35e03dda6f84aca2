"""What the reader of the pages keeps with each stream's position in the cursor file.

Some readers carry state from one page to the next that a restart needs as much
as the position: ``aomlog metrics`` keeps the epoch of the last Keras banner, or
the lines after a restart would have no epoch. The engine stores what the keeper
says with each position it stores (so both are written after the page they
belong to) and hands back, before the first page, what the cursor file kept.
"""

from __future__ import annotations

from typing import Mapping, Optional, Protocol


class Keeper(Protocol):
    """What a reader of the pages carries over a restart, per stream."""

    def restore(self, kept: Mapping[str, dict]) -> None:
        """What the cursor file kept, by stream (empty without one), before the first page."""
        ...

    def kept(self, stream: str) -> Optional[dict]:
        """What to store with ``stream``'s position now that its page is done with; None: nothing."""
        ...


class KeepsNothing:
    """A reader that carries nothing (``aomlog tail``): what another kept is dropped as it moves on."""

    def restore(self, kept: Mapping[str, dict]) -> None:
        pass

    def kept(self, stream: str) -> Optional[dict]:
        return None
