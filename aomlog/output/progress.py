"""The catch-up's progress on stderr, while stdout goes to a file or a pipe.

A download of a long log (``aomlog tail JOB -n +1 > train.log``) would otherwise
show nothing for minutes. The line appears only once the catch-up has taken
``DELAY`` seconds, only when stderr is a terminal and stdout is not (on a terminal
the log itself shows the progress), and it is cleared when the catch-up ends. It
says the lines and pages read, the lines per second and, when the positions tell,
how far through the log. rich draws it; rich is imported only if it is shown.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

DELAY = 1.0  # seconds of catching up before the line appears


class CatchUpProgress:
    def __init__(self, stream: Any, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self._progress: Any = None
        self._task: Any = None

    def update(self, lines: int, pages: int, fraction: Optional[float]) -> None:
        if self._progress is None:
            if self.clock() - self.started < DELAY:
                return
            self._start()
        elapsed = max(1e-6, self.clock() - self.started)
        self._progress.update(self._task, completed=fraction * 100 if fraction is not None else None,
                              total=100 if fraction is not None else None,
                              description=f"catching up: {lines:,} lines, {pages:,} pages, "
                                          f"{lines / elapsed:,.0f} lines/s")

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        console = Console(file=self.stream, highlight=False, markup=False, emoji=False)
        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                  TimeElapsedColumn(), console=console, transient=True)
        self._task = self._progress.add_task("catching up", total=None)
        from aomlog.threads import blocked

        with blocked():  # its refresh thread
            self._progress.start()

    def print(self, text: str) -> bool:
        """Print a notice above the line; False when the line is not shown (print it elsewhere)."""
        if self._progress is None:
            return False
        self._progress.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
        return True

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()  # transient: the line is cleared
            self._progress = None
