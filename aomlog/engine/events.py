"""A job's events, each once: those so far and, with follow, new ones as they come until the
job ends (docs/api-v2-job.md, "Events").

Events have no position or cursor. Each poll asks for the events since the newest one shown
(a time window; all of them when a time could not be read) and drops those already shown,
known by their time, level, source and message. The job's state is asked before the events,
so the events of its end come in the same poll as the end; a last read after the grace
period catches those that arrive late. Failures are ridden out as in a follow of the log
(``Outage``); clock, sleep, notices and stop requests come from the ``Collaborators``.
"""

from __future__ import annotations

from typing import Generator, List, Optional, Sequence, Set, Tuple

from aomlog.api.family import JobApi, JobRef, JobState
from aomlog.api.story import Event
from aomlog.engine.follow import Outage, Timing
from aomlog.engine.settings import Collaborators
from aomlog.transport.backoff import Backoff

Batches = Generator[List[Event], None, Optional[JobState]]


class EventFeed:
    """The events of one job, in batches to write (each inside ``stop.page()``); with follow, the
    generator's value is the job's final state.

    Args:
        api, job: the job's API family and the job.
        levels: only events of these levels (none: all).
        since_ms: only events at or after this time.
        follow: go on until the job ends.
        timing: how often to poll (``interval`` while events come, growing to ``max_interval``).
        using: clock, sleep, notices, debug and stop requests.
    """

    def __init__(self, api: JobApi, job: JobRef, *, levels: Sequence[str] = (), since_ms: Optional[int] = None,
                 follow: bool = False, timing: Optional[Timing] = None, using: Collaborators = Collaborators()):
        self.api = api
        self.job = job
        self.levels = tuple(levels)
        self.since_ms = since_ms
        self.follow = follow
        self.timing = timing or Timing(interval=2.0, max_interval=10.0)
        self.using = using
        self.seen: Set[Tuple[str, str, str, str]] = set()
        self.newest = since_ms

    def batches(self) -> Batches:
        fresh = self._fresh(self._read())  # the first read's failure is the command's
        if fresh:
            yield from self._hand(fresh)
        if not self.follow:
            return None
        timing = self.timing
        outage = Outage(self.using.notify, Backoff(timing.interval, timing.max_backoff), self.using.clock,
                        debug=self.using.debug)
        wait = timing.interval
        while True:
            state = outage.attempt(lambda: self.api.state(self.job))
            got = outage.attempt(self._read) if state is not None else None
            if state is None or got is None:
                self.using.sleep(outage.wait())
                continue
            fresh = self._fresh(got)
            yield from self._hand(fresh)
            if state.phase.final:
                self.using.sleep(timing.grace)
                late = outage.attempt(self._read)
                yield from self._hand(self._fresh(late or []))
                return state
            wait = timing.interval if fresh else min(wait * timing.growth, timing.max_interval)
            self.using.sleep(wait)

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
        if events and all(t is not None for t in times):
            self.newest = max([t for t in times if t is not None] + ([self.newest] if self.newest else []))
        else:
            self.newest = self.since_ms  # a time that cannot be read: no window, read them all
        return out

    def _hand(self, fresh: List[Event]) -> Generator[List[Event], None, None]:
        if fresh:
            with self.using.stop.page():
                yield fresh
