"""What the engine tells its caller: before the first page, and once it is over.

``Tail.pages(on_start)`` calls ``on_start(Started(...))`` once the streams are
chosen and before any page (the caller decides ``[task] `` prefixes, or whether a
CSV header is due, from it), and returns an ``Outcome`` as the generator's value.
Both are values: nothing needs to be read off the engine at the right moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from aomlog.api.family import JobRef, JobState


@dataclass(frozen=True)
class Started:
    """The read as it begins.

    Args:
        job: the job read.
        streams: the streams to be read, in the job's order; none when a followed job ended
            before it started.
        resumed: a cursor file said where to go on from.
    """

    job: JobRef
    streams: Tuple[str, ...]
    resumed: bool


@dataclass(frozen=True)
class Outcome:
    """How the read ended.

    Args:
        started: the read as it began.
        end: with follow, the job's final state; None without follow.
        silent: the log had no line (not: none was written; lines left out still count).
    """

    started: Started
    end: Optional[JobState] = None
    silent: bool = True

    @property
    def job(self) -> JobRef:
        return self.started.job

    @property
    def streams(self) -> Tuple[str, ...]:
        return self.started.streams

    @property
    def resumed(self) -> bool:
        return self.started.resumed
