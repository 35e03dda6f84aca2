"""Where reading starts: the newest N lines, from line N on, after a position, or from a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

LAST, FROM, AFTER, SINCE = "last", "from", "after", "since"
EARLIEST_MS = 946684800000  # 2000-01-01: positions are times of this century, or no times


@dataclass(frozen=True)
class Start:
    kind: str
    value: Union[int, str]

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
    def since(cls, epoch_ms: int) -> "Start":
        """From the first line written at or after this time. Every line is newer than a time
        before positions began, and such a time is no position to read from."""
        return cls(SINCE, epoch_ms) if epoch_ms >= EARLIEST_MS else cls.from_line(1)
