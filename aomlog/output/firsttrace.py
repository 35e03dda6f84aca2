"""Where the first Python traceback of a log began: its stream and, when a line before it in
the same page or the stream's page before carries one, the time written there (tracebacks' own
lines carry none)."""

from __future__ import annotations

import re
from typing import Dict, Optional, Tuple

from aomlog.api.family import Page

TRACEBACK_START = "Traceback (most recent call last):"
STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


class FirstTraceback:
    """Fed every page written; ``found`` is (stream, time or None) once a traceback began."""

    def __init__(self) -> None:
        self.found: Optional[Tuple[str, Optional[str]]] = None
        # Each stream's page before, kept (not scanned) in case a traceback opens the next one.
        self._before: Dict[str, Page] = {}

    def page(self, stream: str, page: Page) -> None:
        if self.found is not None:
            return
        if TRACEBACK_START not in page.text:
            self._before[stream] = page
            return
        before = self._before.get(stream)
        stamp = _last_stamp(before) if before is not None else None
        for line in page.lines:
            if line.lstrip().startswith(TRACEBACK_START):
                self.found = (stream, stamp)
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
