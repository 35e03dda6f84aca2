"""Several jobs read side by side (``aomlog metrics JOB JOB ...``): each ``Tail`` in a thread of its own.

Two runs should take about the time of one, following included, so each job's
engine runs in a reader thread (``aomlog-run-N``), which drives its ``pages()``.
The pages come to the caller's thread one at a time through one queue, each
job's in its own order; an engine goes on (stores the position of the page it
handed out, reads on) only once the caller has written that page, as a single
``Tail.run`` does. What each engine tells before its first page (``Started``)
comes to the caller before that page; an error of any of them is raised in the
caller's thread, and ends the others.

The engines share the caller's ``Stop``: entered from their threads one at a time
(``Shared``), so a stop request waits until no engine has a page in hand. Once the
caller has written a page, it waits until the engine has stored the page's position
(the engine's way out of the page, ``_Handover``): however the run ends next, no page
written is read again after a restart from the cursor file.
"""

from __future__ import annotations

import queue
import sys
import threading
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from aomlog.api.family import Page
from aomlog.engine.outcome import Outcome, Started
from aomlog.engine.settings import Progress
from aomlog.engine.stop import Stop
from aomlog.engine.tail import Tail
from aomlog.threads import blocked


class Shared:
    """A ``Stop`` that several threads enter: one at a time, so that its count of pages in hand holds."""

    def __init__(self, stop: Stop):
        self.stop = stop
        self.lock = threading.Lock()

    @contextmanager
    def page(self) -> Iterator[None]:
        with self.lock:
            held = self.stop.page()
            held.__enter__()
        try:
            yield
        except BaseException:
            with self.lock:
                if not held.__exit__(*sys.exc_info()):
                    raise
        else:
            with self.lock:
                held.__exit__(None, None, None)


class _Handover:
    """One engine's stop: the ``Shared`` one, and word to the caller's thread once the engine is done
    with a page it handed over (its position stored) and goes on reading."""

    def __init__(self, shared: Shared):
        self.shared = shared
        self.awaited = False  # the caller's thread waits for the page in hand
        self.done = threading.Event()

    @contextmanager
    def page(self) -> Iterator[None]:
        try:
            with self.shared.page():
                yield
        finally:
            if self.awaited:
                self.awaited = False
                self.done.set()


class SharedProgress:
    """One progress line for several engines' catch-ups: their figures added up, closed with the last."""

    def __init__(self, progress: Progress, engines: int):
        self.progress = progress
        self.lock = threading.Lock()
        self.figures: Dict[int, Tuple[int, int, Optional[float]]] = {}
        self.engines = engines
        self.open = set(range(engines))

    def part(self, i: int) -> "_Part":
        """What engine ``i`` is given as its progress."""
        return _Part(self, i)

    def update(self, i: int, lines: int, pages: int, fraction: Optional[float]) -> None:
        with self.lock:
            self.figures[i] = (lines, pages, fraction)
            figures = list(self.figures.values())
            fractions = [f for _, _, f in figures if f is not None]
            whole = sum(fractions) / self.engines if len(fractions) == len(figures) else None  # the unheard: 0
            self.progress.update(sum(f[0] for f in figures), sum(f[1] for f in figures), whole)

    def close(self, i: int) -> None:
        with self.lock:
            self.open.discard(i)
            if not self.open:
                self.progress.close()


class _Part:
    def __init__(self, shared: SharedProgress, i: int):
        self.shared, self.i = shared, i

    def update(self, lines: int, pages: int, fraction: Optional[float]) -> None:
        self.shared.update(self.i, lines, pages, fraction)

    def close(self) -> None:
        self.shared.close(self.i)


class Together:
    """The engines of several jobs, read side by side; ``run`` gives each page to the caller.

    Args:
        engines: one per job, each with its own settings and collaborators (their stop, mostly the
            caller's one, is shared: each engine is given its own way into it).
    """

    def __init__(self, engines: Sequence[Tail]):
        self.engines = list(engines)
        self._events: "queue.Queue[tuple]" = queue.Queue()
        self._written = [threading.Event() for _ in self.engines]
        self._over = threading.Event()
        shared: Dict[int, Shared] = {}  # the engines' stops are mostly one: the caller's
        self._handovers = []
        for engine in self.engines:
            stop = engine.using.stop
            handover = _Handover(shared.setdefault(id(stop), Shared(stop)))
            engine.using = replace(engine.using, stop=handover)
            self._handovers.append(handover)

    def run(self, write: Callable[[int, str, Page], None],
            on_start: Callable[[int, Started], None]) -> List[Outcome]:
        """Each engine's pages to ``write(index, stream, page)``; each job's outcome, in the engines' order."""
        outcomes: List[Optional[Outcome]] = [None] * len(self.engines)
        with blocked():  # only the caller's thread takes Ctrl-C
            for i, engine in enumerate(self.engines):
                threading.Thread(target=self._drive, args=(i, engine), name=f"aomlog-run-{i}", daemon=True).start()
        try:
            running = len(self.engines)
            while running:
                event = self._events.get()
                kind, i = event[0], event[1]
                if kind == "start":
                    on_start(i, event[2])
                elif kind == "page":
                    write(i, event[2], event[3])
                    self._written[i].set()
                    # Its position stored before anything else happens: a page written is never
                    # read again after a restart, however the run ends next.
                    self._handovers[i].done.wait()
                    self._handovers[i].done.clear()
                elif kind == "done":
                    outcomes[i] = event[2]
                    running -= 1
                else:
                    raise event[2]
        finally:  # the engines still reading end at their next page, their position not stored
            self._over.set()
            for written in self._written:
                written.set()
        return [outcome for outcome in outcomes if outcome is not None]

    def _drive(self, i: int, engine: Tail) -> None:
        """One engine's pages into the queue, each only after the one before was written."""
        put = self._events.put
        pages = engine.pages(lambda started: put(("start", i, started)))
        try:
            while not self._over.is_set():
                try:
                    stream, page = next(pages)
                except StopIteration as done:
                    put(("done", i, done.value))
                    return
                put(("page", i, stream, page))
                self._written[i].wait()
                self._written[i].clear()
                self._handovers[i].awaited = not self._over.is_set()
        except BaseException as exc:  # raised in the caller's thread
            put(("error", i, exc))
        finally:
            self._handovers[i].done.set()  # the caller waits for nothing more of it
            _close(pages)


def _close(pages: Any) -> None:
    try:
        pages.close()
    except Exception:  # the run is over: what an ending reader says is no news
        pass
