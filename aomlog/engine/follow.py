"""The polling policy of a follow: when to read, when to ask for the job's state, when to stop.

Each stream has a ``LogReader`` whose cursor only moves to positions the server
returned. A full page means more is waiting, so it asks again at once; it sleeps
only when every stream is caught up, briefly after new lines and longer while
the log is idle. A job usually ends right after its last line, so its state is
asked for soon after the log goes quiet, then less and less often. Once the
state is final the log is read to its end, and once more after a grace period
for late lines. Transient failures are ridden out from the cursors. Clock and
sleep are injected, so the loop is tested without waiting.

``run`` is a generator of (reader, page): the caller writes each page before
asking for the next, and gets the final ``JobState`` as the generator's value.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Generator, List, Optional, Sequence, Tuple, TypeVar

from aomlog.api.family import JobState, Page
from aomlog.transport.backoff import Backoff
from aomlog.errors import ApiError
from aomlog.engine.paging import LogReader

T = TypeVar("T")
Polled = Generator[Tuple[LogReader, Page], None, JobState]


@dataclass
class Timing:
    interval: float = 0.5  # wait after a poll that brought new lines
    max_interval: float = 5.0  # the longest wait while the log is idle
    growth: float = 1.5  # how the wait grows with each idle poll
    # Seconds of quiet after which the job's state is asked for; then every `status_every`.
    status_after: Sequence[float] = (1.0, 3.0, 8.0, 16.0)
    status_every: float = 30.0
    grace: float = 2.0  # after the job ends, logs may still be arriving for this long
    max_backoff: float = 30.0  # the longest wait between tries while the API fails


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


class Follower:
    def __init__(
        self,
        readers: List[LogReader],
        job_state: Callable[[], JobState],
        *,
        timing: Optional[Timing] = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
        notify: Callable[[str], None] = lambda text: None,
        outage: Optional[Outage] = None,
    ):
        self.readers = readers
        self.job_state = job_state
        self.timing = timing or Timing()
        self.clock = clock
        self.sleep = sleep
        self.outage = outage or Outage(notify, Backoff(self.timing.interval, self.timing.max_backoff), clock)

    def run(self, state: Optional[JobState] = None) -> Polled:
        """Follow until the job is over; the value is its final state. ``state``: one just read."""
        timing = self.timing
        wait = timing.interval
        end = state if state is not None and state.phase.final else None
        if state is None:
            end = self._final_state()
        quiet_since = last_check = self.clock()
        checks = 0  # state checks during this quiet spell
        while end is None:
            got = yield from self._poll()
            if got is None:  # the API failed: back off, then resume from the cursors
                self.sleep(self.outage.wait())
                continue
            now = self.clock()
            if got:
                wait, quiet_since, checks = timing.interval, now, 0
            else:
                wait = min(wait * timing.growth, timing.max_interval)
            quiet_due = not got and now - quiet_since >= self._check_at(checks)
            if quiet_due or now - last_check >= timing.status_every:
                end = self._final_state()
                last_check = now
                checks += quiet_due
                if end is not None:
                    break
            self.sleep(wait)
        yield from self._drain()
        return end

    def _check_at(self, checks: int) -> float:
        """Seconds into a quiet spell of the state check number ``checks``."""
        after = self.timing.status_after
        if checks < len(after):
            return after[checks]
        return (after[-1] if after else 0.0) + self.timing.status_every * (checks - len(after) + 1)

    def _drain(self) -> Generator[Tuple[LogReader, Page], None, None]:
        """Read to the end, then once more after a grace period for late lines."""
        while (yield from self._poll()) is None:
            self.sleep(self.outage.wait())
        self.sleep(self.timing.grace)
        while (yield from self._poll()) is None:
            self.sleep(self.outage.wait())

    def _poll(self) -> Generator[Tuple[LogReader, Page], None, Optional[int]]:
        """Read every stream onward to its current end: the number of new lines, or None on failure."""
        got = 0
        try:
            for reader in self.readers:
                for page in reader.onward(None):
                    self.outage.recovered()  # say the API is back before its first lines, not after a backlog
                    yield reader, page
                    got += page.count
        except ApiError as err:
            if not err.transient:
                raise
            self.outage.failed(err)
            return None
        self.outage.recovered()
        return got

    def _final_state(self) -> Optional[JobState]:
        """The job's state if it is final; None while it runs, or when the API failed to say."""
        state = self.outage.attempt(self.job_state)
        return state if state is not None and state.phase.final else None
