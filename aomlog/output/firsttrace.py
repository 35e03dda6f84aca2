"""Where the first Python traceback of a log began: its stream and, when a line before it in
the same page or the stream's page before carries one, the time written there (tracebacks' own
lines carry none). With several streams, the earliest by that time: a catch-up writes the tasks
in its own order, not in the order their tracebacks began."""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

from aomlog.api.family import Page

TRACEBACK_START = "Traceback (most recent call last):"
STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


class FirstTraceback:
    """Fed every page written; ``found`` is (stream, time or None) once a traceback began."""

    def __init__(self) -> None:
        # Each stream's first traceback, in the order written; its time when one was written before it.
        self._first: Dict[str, Optional[str]] = {}
        # Each stream's page before, kept (not scanned) in case a traceback opens the next one.
        self._before: Dict[str, Page] = {}

    @property
    def found(self) -> Optional[Tuple[str, Optional[str]]]:
        """The traceback that began first: the earliest time among those that have one (stamps
        of one form sort as times), else the first written."""
        timed = [(stamp, stream) for stream, stamp in self._first.items() if stamp is not None]
        if timed:
            stamp, stream = min(timed)
            return stream, stamp
        return next(iter(self._first.items()), None)

    def page(self, stream: str, page: Page) -> None:
        if stream in self._first:
            return
        if TRACEBACK_START not in page.text:
            self._before[stream] = page
            return
        before = self._before.pop(stream, None)
        stamp = _last_stamp(before) if before is not None else None
        for line in page.lines:
            if line.lstrip().startswith(TRACEBACK_START):
                self._first[stream] = stamp
                return
            match = STAMP.search(line)
            if match:
                stamp = match.group(0).replace("T", " ")


def _last_stamp(page: Page) -> Optional[str]:
    for line in reversed(page.lines):
        match = STAMP.search(line)
        if match:
            return match.group(0).replace("T", " ")
    return None
