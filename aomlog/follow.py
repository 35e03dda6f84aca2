"""Following a growing log until the job ends, without losing or repeating a line.

Each file has a ``LogReader`` whose cursor only moves to positions the server
returned. A full page means more is waiting, so it asks again at once; it sleeps
only when every file is caught up, briefly after new lines and longer while the
log is idle. Transient failures are ridden out from the cursor. The version's
status is checked now and then; once it is final the log is read to its end.
Clock and sleep are injected, so the loop is tested without waiting.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable, List, Optional

from aomlog.errors import ApiError
from aomlog.paging import LogReader

STATUS_NAMES = {
    0: "UNKNOWN", 1: "INIT", 2: "IMAGE_CREATING", 3: "IMAGE_FAILED", 4: "SUBMIT_TRYING",
    5: "SUBMIT_FAILED", 6: "DELETE_FAILED", 7: "WAITING", 8: "RUNNING", 9: "KILLING",
    10: "COMPLETED", 11: "FAILED", 12: "KILLED", 13: "CANCELED", 14: "LOST", 15: "SCALING",
    16: "SUBMIT_MODEL_FAILED", 17: "DEPLOY_SERVICE_FAILED", 18: "CHECK_INIT", 19: "CHECK_RUNNING",
    20: "CHECK_RUNNING_COMPLETED", 21: "CHECK_FAILED", 22: "MOUNT_FAILED",
}
# The docs do not say which states are final; these are, by their names (API-FACTS.md).
FINAL = {3, 5, 6, 10, 11, 12, 13, 14, 16, 17, 20, 21, 22}
SUCCESS = {10, 20}


@dataclass
class Timing:
    interval: float = 0.5  # wait after a poll that brought new lines
    max_interval: float = 5.0  # the longest wait while the log is idle
    growth: float = 1.5  # how the wait grows with each idle poll
    status_every: float = 30.0  # seconds between checks of the job's status
    grace: float = 2.0  # after the job ends, logs may still be arriving for this long
    max_backoff: float = 30.0  # the longest wait between tries while the API fails


@dataclass
class JobEnd:
    status: int
    duration_ms: Optional[int]

    @property
    def name(self) -> str:
        return STATUS_NAMES.get(self.status, f"status {self.status}")

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESS


class Follower:
    def __init__(
        self,
        readers: List[LogReader],
        emit: Callable[[LogReader, object], None],
        job_status: Callable[[], dict],
        *,
        timing: Optional[Timing] = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] = lambda text: None,
        jitter: Callable[[float, float], float] = random.uniform,
    ):
        self.readers = readers
        self.emit = emit
        self.job_status = job_status
        self.timing = timing or Timing()
        self.clock = clock
        self.sleep = sleep
        self.notify = notify
        self.jitter = jitter
        self.failing: Optional[ApiError] = None
        self.failures = 0
        self.retry_after: Optional[float] = None

    def run(self) -> JobEnd:
        """Follow until the job is over; returns how it ended."""
        timing = self.timing
        wait = timing.interval
        end = self._check_status()
        next_check = self.clock() + timing.status_every
        while end is None:
            got = self._poll()
            if got is None:  # the API failed: back off, then resume from the cursors
                self.sleep(self._backoff())
                continue
            wait = timing.interval if got else min(wait * timing.growth, timing.max_interval)
            if not got and self.clock() >= next_check:
                end = self._check_status()
                next_check = self.clock() + timing.status_every
                if end is not None:
                    break
            self.sleep(wait)
        self._drain()
        return end

    def _drain(self) -> None:
        """Read to the end, then once more after a grace period for late lines."""
        while self._poll() is None:
            self.sleep(self._backoff())
        self.sleep(self.timing.grace)
        while self._poll() is None:
            self.sleep(self._backoff())

    def _poll(self) -> Optional[int]:
        """Read every file onward to its current end; the number of new lines, or None on failure."""
        return self._attempt(self._read_all)

    def _read_all(self) -> int:
        got = 0
        for reader in self.readers:
            for page in reader.onward(None):
                self._recovered()  # say the API is back before its first lines, not after a backlog
                self.emit(reader, page)
                got += page.count
        return got

    def _attempt(self, call):
        """``call()``, or None when the API failed in a way worth riding out."""
        try:
            result = call()
        except ApiError as err:
            if not err.transient:
                raise
            self._failed(err)
            return None
        self._recovered()
        return result

    def _check_status(self) -> Optional[JobEnd]:
        detail = self._attempt(self.job_status)
        if not isinstance(detail, dict):
            return None
        status = detail.get("status")
        try:
            status = int(status)
        except (TypeError, ValueError):
            return None
        if status not in FINAL:
            return None
        duration = detail.get("duration")
        return JobEnd(status, int(duration) if isinstance(duration, (int, float)) else None)

    def _failed(self, err: ApiError) -> None:
        self.failures += 1
        if self.failing is None:
            self.notify(f"aomlog: {err.message}; retrying until the API answers again (Ctrl-C to stop)")
        self.failing = err
        self.retry_after = err.retry_after

    def _recovered(self) -> None:
        if self.failing is not None:
            self.notify("aomlog: the API answers again; resuming from the last position")
        self.failing = None
        self.failures = 0
        self.retry_after = None

    def _backoff(self) -> float:
        cap = min(self.timing.max_backoff, self.timing.interval * 2 ** min(self.failures, 10))
        delay = self.jitter(cap / 2, cap)
        return delay if self.retry_after is None else max(delay, self.retry_after)


def format_duration(ms: Optional[int]) -> str:
    if ms is None:
        return "unknown time"
    seconds = int(ms // 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{seconds:02d}s"
    if minutes:
        return f"{minutes}m{seconds:02d}s"
    return f"{seconds}s"
