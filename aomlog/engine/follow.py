"""The polling policy of a follow: when to read, when to ask for the job's state, when to stop.

Each stream has a ``LogReader`` whose cursor only moves to positions the server
returned. A full page means more is waiting, so it asks again at once; each stream
is asked again soon after new lines and less and less often while it is idle, the
idle streams of a job taking turns within one budget; the streams due are read one
after another, or side by side on a pool (``engine/pollpool.py``). A job usually ends right after its last line, so its state is
asked for soon after the log goes quiet, then less and less often. Once the
state is final each stream is read to its end, and once more after a grace
period for late lines. Transient failures are ridden out from the cursors, one
stream at a time: a stream that fails is tried again on its own, and neither
the other streams nor the state checks wait for it (``engine/lanes.py``). Clock
and sleep are injected, so the loop is tested without waiting.

``run`` is a generator of (reader, page): the caller writes each page before
asking for the next, and gets the final ``JobState`` as the generator's value.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Generator, Generic, Iterator, List, Optional, Sequence, Tuple, TypeVar

from aomlog.api.family import JobState
from aomlog.transport.backoff import Backoff
from aomlog.errors import ApiError
from aomlog.engine.lanes import END, FAILED, ITEM, SOON, Lane, Reading, Source, Stage, StateChecks

T = TypeVar("T")  # what a source hands out: a page of a log, an event
S = TypeVar("S", bound=Source[Any])  # a source: a LogReader
Followed = Generator[Tuple[S, T], None, JobState]


@dataclass
class Timing:
    interval: float = 0.5  # wait after a poll that brought new lines
    max_interval: float = 5.0  # the longest wait while the log is idle
    growth: float = 1.5  # how the wait grows with each idle poll
    # Seconds of quiet after which the job's state is asked for; then every `status_every`.
    status_after: Sequence[float] = (1.0, 3.0, 8.0, 16.0)
    status_every: float = 30.0
    grace: float = 2.0  # after the job ends, logs may still be arriving for this long
    max_backoff: float = 30.0  # the longest wait between tries of a call that keeps failing
    # Requests a second that the idle sources of a job make together, at most: past
    # max_interval * idle_requests sources, an idle one waits longer than max_interval.
    idle_requests: float = 3.5


class Outage:
    """Riding out transient failures, quietly: a blip that the next tries clear says nothing;
    a failure that lasts ``quiet_for`` seconds gets one notice, and its end another.

    Until the API has answered at all, a failure with no answer (an unknown host, a
    refused connection: a typo in the region or endpoint) is tried ``unreached_tries``
    times, as without a follow, and then raised, rather than waited on for ever.
    """

    def __init__(self, notify: Callable[[str], None], backoff: Backoff, clock: Callable[[], float] = time.monotonic,
                 *, quiet_for: float = 5.0, unreached_tries: int = 4,
                 debug: Optional[Callable[[str], None]] = None):
        self.notify = notify
        self.backoff = backoff
        self.clock = clock
        self.quiet_for = quiet_for
        self.unreached_tries = unreached_tries
        self.debug = debug
        self.failing: Optional[ApiError] = None
        self.failures = 0
        self.since = 0.0
        self.told = False

    def attempt(self, call: Callable[[], T]) -> Optional[T]:
        """``call()``, or None when it failed in a way worth riding out."""
        try:
            result = call()
        except ApiError as err:
            if not err.transient:
                raise
            self.failed(err)
            return None
        self.recovered()
        return result

    def failed(self, err: ApiError) -> None:
        if self.failing is None:
            self.since = self.clock()
        self.failures += 1
        self.failing = err
        if not err.reached and self.failures > self.unreached_tries:
            raise err
        if self.debug:
            self.debug(f"{err.message}; try {self.failures + 1} follows")
        if err.reached and not self.told and self.clock() - self.since >= self.quiet_for:
            self.told = True
            self.notify(f"aomlog: {err.message}; retrying until the API answers again (Ctrl-C to stop)")

    def recovered(self) -> None:
        if self.told:
            self.notify("aomlog: the API answers again; resuming from the last position")
        self.failing = None
        self.failures = 0
        self.told = False

    def wait(self) -> float:
        """How long to wait before the next try."""
        return self.backoff.delay(self.failures + 1, self.failing.retry_after if self.failing else None)


class InTurn:
    """A follow's sources read one after another on the calling thread: one source, or no
    pool (``engine/pollpool.py: PollPool`` reads them side by side)."""

    def read(self, lanes: Sequence[Lane[Any]]) -> Iterator[Tuple[Lane[Any], str, Any]]:
        """(lane, ITEM, item) for each item, then (lane, END, None) or (lane, FAILED, the
        transient ``ApiError``), lane by lane; any other error is raised."""
        for lane in lanes:
            try:
                for item in lane.source.onward():
                    yield lane, ITEM, item
            except ApiError as err:
                if not err.transient:
                    raise
                yield lane, FAILED, err
                continue
            yield lane, END, None

    def close(self) -> None:
        """Nothing to stop."""


class Follower(Generic[S, T]):
    """A follow of one job: its sources read onward until the job is over, each on its own
    schedule (``engine/lanes.py``); the value of ``run`` is the job's final state.

    While the job runs, each source is read again ``interval`` after a read that brought
    items (at once while pages come full), for a quiet spell of ``max_interval / 2`` too,
    and then after a wait growing to ``max_interval``. A source quiet for ``max_interval``
    is idle: the idle sources of a job take turns, ``1 / idle_requests`` s apart, so that
    together they make at most ``idle_requests`` requests a second whatever their number;
    each is read at least every ``longest``. A source that brings items after a quiet spell
    wakes the others: the tasks of a job write together, so they are read at once (at most
    once a ``longest``), and a job's new lines are noticed about as soon as one of its idle
    sources has its turn. The job's state is asked on a schedule of its own (``StateChecks``).
    A source whose read fails is read again after its own backoff and holds up nothing else.
    Once the state is final, each source is read to its end, then once more ``grace``
    seconds later, each in its own time (a failing one again and again until it answers),
    and then the follow is over.

    ``reading`` reads the sources due (``InTurn``, or a ``PollPool`` side by side); the items
    come one at a time, the next of a source only once the caller took the one before.

    Any polling reader that ends with its job reuses this: give it ``Source`` objects (an
    ``onward()`` that hands out what is new and keeps its own position) and the job's state.
    """

    def __init__(
        self,
        sources: Sequence[S],
        job_state: Callable[[], JobState],
        *,
        timing: Optional[Timing] = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        notify: Callable[[str], None] = lambda text: None,
        outage: Optional[Outage] = None,
        reading: Optional[Reading] = None,
    ):
        self.sources = list(sources)
        self.job_state = job_state
        self.timing = timing or Timing()
        self.clock = clock
        self.sleep = sleep
        self.outage = outage or Outage(notify, Backoff(self.timing.interval, self.timing.max_backoff), clock)
        self.reading: Reading = reading or InTurn()
        self._origin = 0.0  # the clock's time when the run started: times are kept from it
        self._lanes: List[Lane[S]] = []
        self._woke = -math.inf  # when a waking source last had the others read at once
        self._next_idle = -math.inf  # the next turn free among the idle sources' reads

    @property
    def longest(self) -> float:
        """The longest wait of an idle source (``max_interval``, or more for a job of more than
        ``max_interval * idle_requests`` sources: their turns come one after another)."""
        timing = self.timing
        return max(timing.max_interval, len(self.sources) / timing.idle_requests)

    def run(self, state: Optional[JobState] = None) -> Followed[S, T]:
        """Follow until the job is over; the value is its final state. ``state``: one just read."""
        timing = self.timing
        lanes: List[Lane[S]] = [Lane(source, wait=timing.interval) for source in self.sources]
        self._lanes = lanes
        self._origin = self.clock()
        checks = StateChecks(timing.status_after, timing.status_every, self._now())
        end = state if state is not None and state.phase.final else None
        try:
            if state is None:
                end = self._ask(checks)
            while True:
                if end is not None:
                    for lane in lanes:
                        lane.final(self._now())
                busy = [lane for lane in lanes if lane.stage is not Stage.DONE]
                if end is not None and not busy:
                    return end
                now = self._now()
                got = yield from self._read([lane for lane in busy if lane.ready(now)])
                if end is None:
                    self._quiet(got, busy, checks)
                    if checks.due(self._now(), quiet=not got):
                        end = self._ask(checks)
                        if end is not None:
                            continue
                reading = end is None and any(lane.healthy() for lane in busy)
                self._sleep_until([lane.due for lane in busy] + [checks.wake(reading) if end is None else math.inf])
        finally:
            self.reading.close()

    def _read(self, lanes: List[Lane[S]]) -> Generator[Tuple[S, T], None, int]:
        """Each lane read onward to its source's current end: how many items came."""
        got = 0
        for lane in lanes:
            lane.brought = 0
        for lane, kind, payload in self.reading.read(lanes):
            if kind == ITEM:
                self.outage.recovered()  # say the API is back before its first lines, not after a backlog
                yield lane.source, payload
                lane.brought += 1
                got += 1
            elif kind == FAILED:
                self.outage.failed(payload)
                lane.failed(payload, self._now() + self._backoff(lane.failures + 1, payload))
            else:
                self.outage.recovered()
                self._answered(lane)
        return got

    def _answered(self, lane: Lane[S]) -> None:
        """``lane`` was read to its end: when next. An idle one waits for its turn among the
        idle ones; one that wakes after a quiet spell has the others read at once."""
        now, timing = self._now(), self.timing
        if lane.stage is not Stage.FOLLOWING:
            lane.answered(now, timing.grace)
            return
        woke = lane.brought > 0 and lane.idle(now, timing.max_interval)
        lane.answered(now, timing.grace)
        lane.paced(now, timing.interval, timing.growth, timing.max_interval)
        if lane.idle(now, timing.max_interval):
            lane.due = self._turn(lane.due)
        if woke:
            self._wake(lane, now)

    def _turn(self, wanted: float) -> float:
        """The time of an idle source's next read: ``wanted``, or the next turn free among the
        idle reads, ``1 / idle_requests`` s apart. So the idle sources of a job are read one
        after another, spread out, whatever their number: each every ``longest`` at most."""
        turn = max(wanted, self._next_idle)
        self._next_idle = turn + 1 / self.timing.idle_requests
        return turn

    def _wake(self, lane: Lane[S], now: float) -> None:
        """``lane`` brought items after a quiet spell: the tasks of a job write together, so
        the other sources are read at once; at most once a ``longest``, for the budget's sake."""
        if now - self._woke < self.longest:
            return
        self._woke = now
        self._next_idle = now  # the turns taken are given up: the idle ones are read now
        for other in self._lanes:
            if other is not lane and other.healthy():
                other.due = min(other.due, now)

    def _quiet(self, got: int, busy: List[Lane[S]], checks: StateChecks) -> None:
        """Items came: a new quiet spell starts after them. None came: the spell's next check
        comes on time, after a read (of the source due first) that brings nothing."""
        now = self._now()
        if got:
            checks.heard(now)
            return
        check = checks.quiet_check()
        healthy = [lane for lane in busy if lane.healthy()]
        if check > now + SOON and healthy:
            first = min(healthy, key=lambda lane: lane.due)
            first.due = min(first.due, check)

    def _ask(self, checks: StateChecks) -> Optional[JobState]:
        """The job's state if it is final; None while it runs, or when the API failed to say
        (asked again after a backoff of its own)."""
        try:
            state = self.job_state()
        except ApiError as err:
            if not err.transient:
                raise
            self.outage.failed(err)
            checks.failed(self._now() + self._backoff(checks.failures + 1, err))
            return None
        checks.answered(self._now())
        return state if state.phase.final else None

    def _backoff(self, attempt: int, err: ApiError) -> float:
        return self.outage.backoff.delay(attempt, err.retry_after)

    def _now(self) -> float:
        """The clock's time since the run started: small numbers, so that a wait of 5 s taken
        from two of them is 5 s, not 5 s and a rounding error of a large clock."""
        return self.clock() - self._origin

    def _sleep_until(self, deadlines: List[float]) -> None:
        pause = min(deadlines) - self._now()
        if pause > SOON:
            self.sleep(pause)


def items(followed: Followed[S, T]) -> Generator[T, None, JobState]:
    """What a follow's ``run`` hands out, without the source of each; the value is the job's
    final state. For a follow with one source (events, usage) that writes as it goes."""
    try:
        while True:
            try:
                _, item = next(followed)
            except StopIteration as done:
                return done.value
            yield item
    finally:
        followed.close()
