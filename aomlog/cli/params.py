"""Numbers on the command line, checked where they are parsed.

click's FloatRange lets ``nan`` and ``inf`` through (no comparison fails for
them) and Python's ``int()`` and ``float()`` read ``٣`` as 3: a NaN interval, an
infinite timeout or an interval that overflows a timer would fail later, after
lines were printed, or loop for ever. Here every number is ASCII, finite and
within its bounds, or a usage error (status 2) before any request.
"""

from __future__ import annotations

import math
import re
from typing import Optional

import click

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_INTEGER = re.compile(r"^[+-]?\d+$", re.ASCII)


class Number(click.ParamType):
    """A finite decimal number in [low, high] (``open_low``: above low)."""

    name = "number"

    def __init__(self, low: float, high: float, *, open_low: bool = False, integer: bool = False):
        self.low, self.high, self.open_low, self.integer = low, high, open_low, integer

    def convert(self, value, param: Optional[click.Parameter], ctx: Optional[click.Context]):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            pattern = _INTEGER if self.integer else _DECIMAL
            if not pattern.match(text):
                kind = "a whole number" if self.integer else "a number"
                self.fail(f"{value!r} is not {kind}: use ASCII digits, e.g. {self._example()}", param, ctx)
            number = int(text) if self.integer else float(text)
        if isinstance(number, float) and not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        below = number <= self.low if self.open_low else number < self.low
        if below or number > self.high:
            low = f"above {self.low:g}" if self.open_low else f"at least {self.low:g}"
            self.fail(f"{value!r} is out of range: {low} and at most {self.high:g}", param, ctx)
        return number

    def _example(self) -> str:
        return str(int(self.high)) if self.integer else f"{min(self.high, max(self.low, 1.0)):g}"


def seconds(low: float, high: float, *, open_low: bool = False) -> Number:
    return Number(low, high, open_low=open_low)


def count(low: int, high: int) -> Number:
    return Number(low, high, integer=True)


_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$", re.ASCII)
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$", re.ASCII)


class Since(click.ParamType):
    """``--since``: a duration back from now (``10m``, ``2h``, ``1d``, ``1h30m``) or a time
    (``2026-11-27T10:00``, ``2026-11-27 10:00:00``, ``10:00`` for today), local unless it
    names a zone (``Z``, ``+08:00``). Converted to epoch milliseconds."""

    name = "DURATION|TIME"

    def __init__(self, now=None):
        import time

        self.now = now or time.time

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        found = _DURATION.match(text) if text else None
        if found and any(found.groups()):
            days, hours, minutes, seconds = (float(g) if g else 0.0 for g in found.groups())
            back = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
            # Longer ago than the epoch (or than a float holds) is before any log: its start.
            return int((self.now() - back) * 1000) if back < self.now() else 0
        moment = self._time(text)
        if moment is None:
            self.fail(f"{value!r} is neither a duration (10m, 2h, 1d) nor a time (2026-11-27T10:00, "
                      f"10:00, with an optional zone such as Z or +08:00)", param, ctx)
        return max(0, int(moment.timestamp() * 1000))  # before 1970: the start, as any time before the log

    def _time(self, text: str):
        from datetime import date, datetime, timezone

        moment = None
        if not text.isascii():
            return None
        if _CLOCK.match(text):
            hour, rest = text.split(":", 1)
            text = f"{date.fromtimestamp(self.now()).isoformat()}T{int(hour):02d}:{rest}"
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo is not None else moment.astimezone()  # naive: local time
        except (ValueError, OverflowError):  # not a time, or one the local zone cannot place (years 1, 9999)
            return None if moment is None else moment.replace(tzinfo=timezone.utc)
