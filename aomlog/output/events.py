"""A job's events as bytes, a batch at a time (one write and one flush each).

- Terminal: local time to the second, the level in colour, source, message.
- Pipe: tab-separated time (ISO 8601), level, source, message; no header, no colour.
- JSON Lines: ``time`` (ISO 8601), ``level``, ``source``, ``message``.

A time the API gave in neither ISO 8601 nor epoch milliseconds is shown as it came.
"""

from __future__ import annotations

import json
from typing import List

from aomlog.api.story import Event
from aomlog.output.outstream import write_all
from aomlog.output.status import LEVEL_COLORS, Paint, event_time, shown_time
from aomlog.output.terminal import Destination

LEVEL_WIDTH = 7  # "Warning"


def _cell(text: str) -> str:
    # A tab or newline in the server's text would shift the columns: neither can stay.
    return " ".join(text.split()) or "-"


class EventsText:
    """Rows on a terminal (coloured as chosen), tab-separated columns in a pipe."""

    def __init__(self, dest: Destination):
        self.dest = dest
        self.paint = Paint(dest)

    def write(self, events: List[Event]) -> None:
        if self.dest.tty:
            paint = self.paint
            lines = [f"{shown_time(e)}  {paint(e.level.ljust(LEVEL_WIDTH), LEVEL_COLORS.get(e.level))}  "
                     f"{paint.server(e.source).ljust(4)}  {paint.server(e.message)}" for e in events]
        else:
            lines = ["\t".join(_cell(cell) for cell in (event_time(e), e.level, e.source, e.message))
                     for e in events]
        write_all(self.dest.out, "".join(line + "\n" for line in lines).encode("utf-8", "replace"))


class EventsJson:
    """One JSON object per event, a line each, wherever it goes."""

    def __init__(self, dest: Destination):
        self.dest = dest

    def write(self, events: List[Event]) -> None:
        rows = [json.dumps({"time": event_time(e), "level": e.level, "source": e.source, "message": e.message},
                           ensure_ascii=False) for e in events]
        write_all(self.dest.out, "".join(row + "\n" for row in rows).encode("utf-8", "replace"))
