"""A job's events, each once: those so far and, with follow, new ones as they come until the
job ends (docs/api-v2-job.md, "Events").

Events have no position or cursor. Each read asks for the events since the newest one shown
(a time window; all of them when a time could not be read) and drops those already shown,
known by their time, level, source and message: that is the position of an ``EventReader``.
A follow is the shared ``Follower``'s (``engine/follow.py``), with the reader as its one
source, from the first read on: the job's state asked on its own schedule whatever the
reads' faults, and once it is final the events read to their end, then once more after the
grace period for late ones.
Failures are ridden out as in a follow of the log (``Outage``); clock, sleep and notices
come from the ``Collaborators``.
"""

from __future__ import annotations

from typing import Generator, Iterator, List, Optional, Sequence, Set, Tuple

from aomlog.api.family import JobApi, JobRef, JobState
from aomlog.api.story import Event
from aomlog.engine.follow import Follower, Outage, Timing, items
from aomlog.engine.settings import Collaborators
from aomlog.transport.backoff import Backoff

Batches = Generator[List[Event], None, Optional[JobState]]


class EventReader:
    """A ``Source`` of a job's events: each ``onward()`` hands out, as one batch, the events not
    handed out before (none when there are none)."""

    def __init__(self, api: JobApi, job: JobRef, *, levels: Sequence[str] = (), since_ms: Optional[int] = None):
        self.api = api
        self.job = job
        self.levels = tuple(levels)
        self.since_ms = since_ms
        self.seen: Set[Tuple[str, str, str, str]] = set()
        self.newest = since_ms

    def onward(self) -> Iterator[List[Event]]:
        fresh = self._fresh(self._read())
        if fresh:
            yield fresh

    def _read(self) -> List[Event]:
        level = self.levels[0] if len(self.levels) == 1 else None  # one level: the server filters
        return self.api.events(self.job, level=level, since_ms=self.newest)

    def _fresh(self, events: List[Event]) -> List[Event]:
        out = []
        for event in events:
            if event.key in self.seen or (self.levels and event.level not in self.levels):
                continue
            if self.since_ms is not None and event.time_ms is not None and event.time_ms < self.since_ms:
                continue
            self.seen.add(event.key)
            out.append(event)
        times = [e.time_ms for e in events]
        if any(t is None for t in times):
            self.newest = self.since_ms  # a time that cannot be read: no window, read them all
        elif times:  # no event answered: the window stays where it was
            self.newest = max([t for t in times if t is not None] + ([self.newest] if self.newest else []))
        return out


class EventFeed:
    """The events of one job, in batches to write (each inside the command's ``stop.page()``, so
    that a stop request lands between batches); with follow, the generator's value is the job's
    final state.

    Args:
        api, job: the job's API family and the job.
        levels: only events of these levels (none: all).
        since_ms: only events at or after this time.
        follow: go on until the job ends.
        timing: how often to poll (``interval`` while events come, growing to ``max_interval``).
        using: clock, sleep, notices and debug.
    """

    def __init__(self, api: JobApi, job: JobRef, *, levels: Sequence[str] = (), since_ms: Optional[int] = None,
                 follow: bool = False, timing: Optional[Timing] = None, using: Collaborators = Collaborators()):
        self.api = api
        self.job = job
        self.reader = EventReader(api, job, levels=levels, since_ms=since_ms)
        self.follow = follow
        self.timing = timing or Timing(interval=2.0, max_interval=10.0)
        self.using = using

    def batches(self) -> Batches:
        if not self.follow:  # one read: its failure is the command's
            yield from self.reader.onward()
            return None
        timing, using = self.timing, self.using
        outage = Outage(using.notify, Backoff(timing.interval, timing.max_backoff), using.clock, debug=using.debug)
        follower: Follower[EventReader, List[Event]] = Follower(
            [self.reader], lambda: self.api.state(self.job), timing=timing, clock=using.clock, sleep=using.sleep,
            outage=outage)
        return (yield from items(follower.run()))
