"""Where reading starts: the newest N lines, from line N on, after a position, or from a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

LAST, FROM, AFTER, SINCE = "last", "from", "after", "since"
EARLIEST_MS = 946684800000  # 2000-01-01: positions are times of this century, or no times


@dataclass(frozen=True)
class Start:
    """Where a stream's reading starts: ``kind`` and its ``value`` (a count, a line, a position,
    epoch milliseconds); ``newest``: with ``since``, only the newest N of the lines from then on."""

    kind: str
    value: Union[int, str]
    newest: Optional[int] = None

    @classmethod
    def last(cls, n: int) -> "Start":
        return cls(LAST, n)

    @classmethod
    def from_line(cls, n: int) -> "Start":
        return cls(FROM, max(1, n))  # as in GNU tail, +0 is the first line too

    @classmethod
    def after(cls, position: str) -> "Start":
        return cls(AFTER, position)

    @classmethod
    def since(cls, epoch_ms: int, newest: Optional[int] = None) -> "Start":
        """From the first line written at or after this time; ``newest``: only the newest N of
        those (kubectl's --since with --tail). Every line is newer than a time before positions
        began, and such a time is no position to read from."""
        if epoch_ms < EARLIEST_MS:
            return cls.from_line(1) if newest is None else cls.last(newest)
        return cls(SINCE, epoch_ms, newest)

    @property
    def from_end(self) -> bool:
        """Whether it counts lines back from the log's end (the newest N, of all or since a time)."""
        return self.kind == LAST or self.newest is not None
