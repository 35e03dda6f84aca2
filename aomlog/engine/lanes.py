"""The parts of a follow that keep their own time: each source read on its own schedule
(``Lane``), and the job's state asked on its own (``StateChecks``).

A follow reads several sources (a job's log streams; its events) and asks for the job's
state. None of them waits on another: a failed read puts back only the source that failed,
by its own backoff; a failed state call only the next state call. So the end is seen on
time however many sources there are and however often one of them fails: once the job is
final, each source is read to its end once and once more after a grace period for late
lines, each in its own time, and the follow is over when every source has done both.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Generic, Iterator, Optional, Protocol, Sequence, Tuple, TypeVar

from aomlog.errors import ApiError

# What is due this soon is due now: a clock read after a sleep may fall short of the time
# slept to by a rounding error, and waiting again for that would never end.
SOON = 1e-3

T_co = TypeVar("T_co", covariant=True)


class Source(Protocol[T_co]):
    """What a follow reads: a ``LogReader`` (pages of one stream), or any reader that keeps its
    own position, such as one of a job's events."""

    def onward(self) -> Iterator[T_co]:
        """Every item after the source's position up to its current end, the position moving
        with each item handed out; raises ``ApiError`` when a read fails (a transient one is
        tried again from the position reached)."""
        ...


S = TypeVar("S", bound=Source[Any])

# What reading the sources due tells, with each lane: an item; its end reached; a failed read.
ITEM, END, FAILED = "item", "end", "failed"


class Stage(enum.Enum):
    FOLLOWING = "following"  # the job runs: read with the others, as often as the log moves
    TO_END = "to the end"  # the job is final: read to the source's end, once
    LATE = "late lines"  # read once more, a grace period after that, for lines that came late
    DONE = "done"


@dataclass
class Lane(Generic[S]):
    """One source of a follow and where it stands: its stage, when it is read next, how long
    it waits while idle, and its failed reads in a row (its own backoff, nobody else's)."""

    source: S
    stage: Stage = Stage.FOLLOWING
    due: float = 0.0  # the clock's time of its next read
    wait: float = 0.0  # the wait after a read that brought nothing, growing while idle
    heard: float = 0.0  # when its last items came (or the follow started)
    brought: int = 0  # items its read in progress has handed out
    failures: int = 0
    failing: Optional[ApiError] = None

    def ready(self, now: float) -> bool:
        """Whether it is to be read at ``now``."""
        return self.stage is not Stage.DONE and self.due <= now + SOON

    def healthy(self) -> bool:
        """Following a running job, its last read answered."""
        return self.stage is Stage.FOLLOWING and not self.failures

    def final(self, now: float) -> None:
        """The job is over: read to the end now, or when a failing source's backoff is over."""
        if self.stage is Stage.FOLLOWING:
            self.stage = Stage.TO_END
            self.due = self.due if self.failures else now

    def answered(self, now: float, grace: float) -> None:
        """A read went to the source's end: on to its next stage (while following, the
        follower paces it)."""
        self.failures, self.failing = 0, None
        if self.stage is Stage.TO_END:
            self.stage, self.due = Stage.LATE, now + grace
        elif self.stage is Stage.LATE:
            self.stage = Stage.DONE

    def paced(self, now: float, interval: float, growth: float, longest: float) -> None:
        """A read while following answered: read again ``interval`` after one that brought items,
        and so on for a quiet spell of ``longest / 2`` (a stream that writes every second or two
        is read as often); after that, after a wait that grows by ``growth`` up to ``longest``."""
        if self.brought:
            self.heard = now
        if now - self.heard < longest / 2:
            self.wait = interval
        else:
            self.wait = min(max(self.wait, interval / growth) * growth, longest)
        self.due = now + self.wait

    def idle(self, now: float, longest: float) -> bool:
        """Quiet for ``longest`` or more: its reads share the job's budget for idle reads."""
        return now - self.heard >= longest

    def failed(self, err: ApiError, retry_at: float) -> None:
        """A read failed: this source is read again at ``retry_at``, from where it got to."""
        self.failures += 1
        self.failing = err
        self.due = retry_at


class Reading(Protocol):
    """How a follow reads the sources due: one after another (``follow.py: InTurn``) or side by
    side (``pollpool.py: PollPool``)."""

    def read(self, lanes: Sequence["Lane[Any]"]) -> Iterator[Tuple["Lane[Any]", str, Any]]:
        """(lane, ITEM, item) for each item, the next of a lane only once the caller asks
        for it; then (lane, END, None), or (lane, FAILED, a transient ``ApiError``). Any other
        error is raised."""
        ...

    def close(self) -> None:
        """The follow is over: stop reading."""
        ...


class StateChecks:
    """When the job's state is asked for: ``status_after`` seconds into a quiet spell (no new
    items from any source), then every ``status_every`` seconds, and every ``status_every``
    while items come; a failed call is made again after its own backoff, whatever the reads do."""

    def __init__(self, status_after: Sequence[float], status_every: float, now: float):
        self.status_after = status_after
        self.status_every = status_every
        self.quiet_since = self.last = now
        self.checks = 0  # checks during this quiet spell
        self.failures = 0
        self.retry_at: Optional[float] = None

    def heard(self, now: float) -> None:
        """New items came: a new quiet spell starts after them."""
        self.quiet_since, self.checks = now, 0

    def due(self, now: float, quiet: bool) -> bool:
        """Whether to call now; ``quiet``: the reads just made brought nothing (a quiet spell's
        checks wait for such a read, so that one that brings lines saves the call)."""
        if self.retry_at is not None:
            return now + SOON >= self.retry_at
        return (quiet and now + SOON >= self.quiet_check()) or now + SOON >= self.last + self.status_every

    def wake(self, reading: bool) -> float:
        """The clock's time to be awake for the next call; ``reading``: the sources are read
        meanwhile, and the quiet spell's next check waits for one of their reads."""
        if self.retry_at is not None:
            return self.retry_at
        every = self.last + self.status_every
        return every if reading else min(self.quiet_check(), every)

    def answered(self, now: float) -> None:
        # Checks an outage held up count as made; the next is still to come.
        while now + SOON >= self.quiet_check() and (self.checks < len(self.status_after) or self.status_every > 0):
            self.checks += 1
        self.last = now
        self.failures, self.retry_at = 0, None

    def failed(self, retry_at: float) -> None:
        self.failures += 1
        self.retry_at = retry_at

    def quiet_check(self) -> float:
        """The clock's time of the quiet spell's next check (made after a read that brings nothing)."""
        after, checks = self.status_after, self.checks
        if checks < len(after):
            return self.quiet_since + after[checks]
        return self.quiet_since + (after[-1] if after else 0.0) + self.status_every * (checks - len(after) + 1)
