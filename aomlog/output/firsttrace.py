"""Where the first Python traceback of a log began: its stream and, when a line before it in
the same page carries one, the time written there (tracebacks' own lines carry none)."""

from __future__ import annotations

import re
from typing import Optional, Tuple

from aomlog.api.family import Page

TRACEBACK_START = "Traceback (most recent call last):"
STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


class FirstTraceback:
    """Fed every page written; ``found`` is (stream, time or None) once a traceback began."""

    def __init__(self) -> None:
        self.found: Optional[Tuple[str, Optional[str]]] = None

    def page(self, stream: str, page: Page) -> None:
        if self.found is not None or TRACEBACK_START not in page.text:
            return
        stamp = None
        for line in page.lines:
            if line.lstrip().startswith(TRACEBACK_START):
                self.found = (stream, stamp)
                return
            match = STAMP.search(line)
            if match:
                stamp = match.group(0).replace("T", " ")
