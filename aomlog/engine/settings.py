"""What the engine is told: what to read and how (``TailSettings``), and what it works with
(``Collaborators``: time, the user's notices, progress, stop requests, the keeper)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Protocol

from aomlog.api.family import JobRef
from aomlog.engine.catchup.catchup import FAST_ANSWER, WORKERS
from aomlog.engine.follow import Timing
from aomlog.engine.keeper import Keeper, KeepsNothing
from aomlog.engine.start import Start
from aomlog.engine.stop import NoStop, Stop
from aomlog.engine.streams import Streams
from aomlog.engine.storywatch import StoryWatch


class Progress(Protocol):
    """Told how the catch-up goes, and when it is over."""

    def update(self, lines: int, pages: int, fraction: Optional[float]) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class TailSettings:
    """What to read and how.

    Args:
        job: the job.
        streams: which of its streams.
        start: where each stream starts (a cursor file's position wins for its stream).
        start_given: the start was asked for; else a job that had to be waited for is read
            from its first line, as every line of it is new.
        follow: go on reading until the job ends (waiting for it to start).
        cursor_path: the cursor file to go on from and to store positions in.
        timing: the polling policy of a follow.
        parallel: requests in flight while catching up, and while following several streams.
        retries: of each request while catching up without follow (a follow rides out failures).
        fast_answer: answers quicker than this (seconds, the median of the first few) and the
            catch-up reads each log in one piece: cutting it saves nothing then (0: always cut).
    """

    job: JobRef
    streams: Streams = Streams()
    start: Start = Start.last(50)
    start_given: bool = False
    follow: bool = False
    cursor_path: Optional[str] = None
    timing: Timing = field(default_factory=Timing)
    parallel: int = WORKERS
    retries: int = 4
    fast_answer: float = FAST_ANSWER


def _silence(text: Optional[str]) -> None:
    pass


@dataclass(frozen=True)
class Collaborators:
    """What the engine works with, besides the job's API.

    Args:
        clock, sleep: the time of a follow and of waiting for a job to start.
        notify: a notice for the user (one line, on stderr).
        status: the one line saying what a job that has not started is doing; None clears it.
        debug: where each try through an outage is told, when the user asked to see them.
        progress: told how the catch-up goes.
        stop: where a stop request may end the run (never between a page and its position).
        keeper: what the reader keeps with each position in the cursor file.
        story: what a follow tells besides the log (a v2 job's story): it asks for the job's
            state in the follow's stead, says why a job waits, and tells what is new.
    """

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], object] = time.sleep  # what it returns is not looked at
    notify: Callable[[str], None] = _silence
    status: Callable[[Optional[str]], None] = _silence
    debug: Optional[Callable[[str], None]] = None
    progress: Optional[Progress] = None
    stop: Stop = field(default_factory=NoStop)
    keeper: Keeper = field(default_factory=KeepsNothing)
    story: Optional[StoryWatch] = None
