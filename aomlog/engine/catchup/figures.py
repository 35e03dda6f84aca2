"""The catch-up's figures for the progress line: lines and pages so far, and how far through."""

from __future__ import annotations

import functools
import threading
from typing import Callable, Dict, Optional, Tuple

from aomlog.api.family import Page
from aomlog.engine.start import LAST, Start

Show = Callable[[int, int, Optional[float]], None]  # (lines, pages, fraction done or None)


class Figures:
    """What the catch-up tells ``show``: the lines and pages written, with those read back so
    far for the last N lines (which are written only once all are in), and the fraction done
    when every stream's span is known, or, reading back only, of the lines wanted. The figures
    never go back.

    Args:
        show: the progress line's update; None: nothing is counted.
        starts: each stream's start.
        streams: how many streams are read.
        wake: wakes the writer, which draws the figures of reading back while it waits.
    """

    def __init__(self, show: Optional[Show], starts: Dict[str, Start], streams: int,
                 wake: Callable[[], None]):
        self._show = show
        self._streams = streams
        self._wake = wake
        self._wanted = sum(int(s.value) for s in starts.values() if s.kind == LAST)
        self._only_back = all(s.kind == LAST for s in starts.values())
        self._lock = threading.Lock()  # workers tell spans and reading back; the writer counts
        self._spans: Dict[int, Tuple[int, int]] = {}  # stream -> (first position, last position)
        self._reached: Dict[int, int] = {}
        self._back: Dict[int, Tuple[int, int]] = {}  # stream -> (lines, pages) read back
        self._shown_back: Dict[int, Tuple[int, int]] = {}
        self.lines = self.pages = 0  # written

    def span(self, stream: int, first: Page, last: Page) -> None:
        """How far the stream's catch-up goes, by position: from ``first`` to ``last``."""
        if first.start_line and last.end_line:
            with self._lock:
                self._spans[stream] = (int(first.start_line), int(last.end_line))

    def walker(self, stream: int) -> Optional[Callable[[int, int], None]]:
        """What reading back the stream's last lines tells how far it has come; None: nobody asks."""
        return functools.partial(self._walked, stream) if self._show else None

    def _walked(self, stream: int, lines: int, pages: int) -> None:
        with self._lock:
            self._back[stream] = (lines, pages)
        self._wake()  # the writer draws it: it waits for pages meanwhile

    def show_walk(self) -> None:
        """The figures of reading back, if they moved."""
        with self._lock:
            if self._show is None or not self._back or self._back == self._shown_back:
                return
            self._shown_back = dict(self._back)
            lines, pages = self._walked_back()
        fraction = min(1.0, lines / self._wanted) if self._only_back and self._wanted else None
        self._show(self.lines + lines, self.pages + pages, fraction)

    def count(self, stream: int, page: Page) -> None:
        """The writer wrote ``page`` of ``stream``."""
        if self._show is None:
            return
        self.lines += page.count
        self.pages += 1
        with self._lock:
            if page.end_line and stream in self._spans:
                self._reached[stream] = int(page.end_line)
            fraction = self._fraction()
            lines, pages = self._walked_back()  # they count too, so that the figures never go back
        self._show(self.lines + lines, self.pages + pages, fraction)

    def _fraction(self) -> Optional[float]:
        if not self._spans or len(self._spans) != self._streams:
            return None
        total = sum(high - low for low, high in self._spans.values())
        done = sum(min(high, self._reached.get(s, low)) - low for s, (low, high) in self._spans.items())
        return max(0.0, min(1.0, done / total)) if total > 0 else None

    def _walked_back(self) -> Tuple[int, int]:
        back = list(self._back.values())
        return sum(n for n, _ in back), sum(p for _, p in back)
