"""Training jobs, their log files, and the positions of every line.

A position is ``epoch_ms * 10**6 + seq``, like the published example
(1551252759254000002): it encodes when the line appeared. Positions are
strictly increasing per file and never contiguous (seq steps by 3, and blocks
of lines get distinct milliseconds), so a client computing ``pos + 1`` is
caught. Each position is an O(1) function of the line index and the index of
a position is found by binary search: nothing is stored per line.

Lines that exist when the job starts ("history": all of a static job,
``initial_lines`` of a growing one) sit in blocks of ``HIST_BLOCK`` lines at
roughly ``HIST_SPACING_MS`` apart, ending before the start. Lines of a growing
job then appear in bursts on a fixed schedule; the burst sizes follow a
16-burst pattern drawn from the seed so output looks bursty yet stays O(1).
"""

from __future__ import annotations

import bisect
import math
from typing import Iterator, List, Optional, Sequence

from .logs import LogText, mix64, stable_key

MS = 10**6  # position units per millisecond
SEQ_STEP = 3
HIST_BLOCK = 4
HIST_SPACING_MS = 25
PATTERN = 16

# Status codes of the v1 API (API-FACTS.md).
WAITING = 7
RUNNING = 8
COMPLETED = 10
FAILED = 11

# 2026-11-27 07:32:39.254 UTC: when static jobs "started" (their logs end before it).
STATIC_START = 1795764759.254


class LogFile:
    """One log file of a job: line text and positions as functions of the index."""

    def __init__(self, job: "Job", name: str, rank: int):
        self.job = job
        self.name = name
        self.key = stable_key("positions", job.seed, name)
        self.text = LogText(job.seed, name, rank=rank, world=len(job.files),
                            total=job.total_lines, failed=job.end_status not in (COMPLETED, 20))

    # -- positions ---------------------------------------------------------

    def _ms_and_offset(self, i: int):
        """Line i's millisecond and its place among the lines sharing it."""
        job = self.job
        if i < job.history:
            b, off = divmod(i, HIST_BLOCK)
            return job.hist_base_ms + b * HIST_SPACING_MS + mix64(self.key ^ b) % (HIST_SPACING_MS - 1), off
        k, off = job.burst_of(i - job.history)
        return job.burst_ms(k), off

    def line_ms(self, i: int) -> int:
        return self._ms_and_offset(i)[0]

    def position(self, i: int) -> int:
        ms, off = self._ms_and_offset(i)
        return ms * MS + 2 + SEQ_STEP * off

    def index_at_or_after(self, pos: int, n: int) -> int:
        """The first index in [0, n) whose position is >= pos (n if none)."""
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            if self.position(mid) < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    # -- text --------------------------------------------------------------

    def line(self, i: int) -> str:
        return self.text.line(i, self.line_ms(i))

    def lines(self, start: int, stop: int) -> List[str]:
        line = self.text.line
        out = []
        # Lines come in blocks/bursts sharing a millisecond: compute it once per block.
        i = start
        while i < stop:
            ms = self.line_ms(i)
            j = self._block_end(i, stop)
            out.extend([line(k, ms) for k in range(i, j)])
            i = j
        return out

    def _block_end(self, i: int, stop: int) -> int:
        """The end (exclusive, at most stop) of the run of lines sharing line i's ms."""
        job = self.job
        if i < job.history:
            return min(stop, job.history, (i // HIST_BLOCK + 1) * HIST_BLOCK)
        k, off = job.burst_of(i - job.history)
        b = k % PATTERN
        size = job._cum[b + 1] - job._cum[b]
        return min(stop, i + size - off)


class Job:
    """A training job version with one or more log files.

    Static (``total_lines``, all present from the start) unless
    ``lines_per_second`` is given: then ``initial_lines`` exist at start and
    more appear at that average rate, in bursts averaging ``burst`` lines,
    until ``duration_s`` has passed (``None``: forever); its status is RUNNING
    until then and ``end_status`` after. ``start_time`` (seconds) defaults to
    the simulator clock's now when the job is added (static jobs: a fixed date).
    """

    def __init__(self, job_id: int, version_id: int, files: Sequence[str] = ("log1.log",), *,
                 total_lines: Optional[int] = None, seed: int = 0,
                 initial_lines: int = 0, lines_per_second: Optional[float] = None,
                 duration_s: Optional[float] = None, burst: int = 1,
                 end_status: int = COMPLETED, status: int = COMPLETED,
                 start_time: Optional[float] = None, name: Optional[str] = None):
        if not files:
            raise ValueError("a job needs at least one log file")
        self.job_id = int(job_id)
        self.version_id = int(version_id)
        self.files = list(files)
        self.seed = seed
        self.name = name or "job-%d" % self.job_id
        self.growing = lines_per_second is not None
        self.static_status = status
        self.end_status = end_status if self.growing else status
        self.duration_s = duration_s
        if self.growing:
            if lines_per_second <= 0:
                raise ValueError("lines_per_second must be positive")
            self.history = int(initial_lines)
            self.rate = float(lines_per_second)
            self._make_pattern(max(1, int(burst)))
        else:
            self.history = 1000 if total_lines is None else int(total_lines)
        self.total_lines: Optional[int] = None
        self.start_time: Optional[float] = None
        if start_time is not None or not self.growing:
            self.set_start(STATIC_START if start_time is None else start_time)
        self._files = {name: LogFile(self, name, rank) for rank, name in enumerate(self.files)}

    def _make_pattern(self, burst: int) -> None:
        # Bursts must land on distinct milliseconds (at least 2 ms apart) or
        # positions of two bursts could collide, so fast jobs get bigger bursts.
        mean = max(burst, math.ceil(self.rate * 2 / 1000.0))
        sizes = []
        for b in range(PATTERN):
            h = mix64(stable_key("bursts", self.seed) ^ b)
            sizes.append(1 + h % (2 * mean - 1) if mean > 1 else 1)
        interval = sum(sizes) * 1000.0 / (PATTERN * self.rate)
        if interval < 2:
            sizes = [s * math.ceil(2 / interval) for s in sizes]
        self._cum = [0]
        for s in sizes:
            self._cum.append(self._cum[-1] + s)
        self._period = self._cum[-1]
        self._interval_ms = self._period * 1000.0 / (PATTERN * self.rate)

    def set_start(self, start_time: float) -> None:
        """Fix the start time; positions of the job's lines derive from it."""
        self.start_time = float(start_time)
        self.start_ms = int(round(self.start_time * 1000))
        blocks = -(-self.history // HIST_BLOCK)
        self.hist_base_ms = self.start_ms - (blocks + 1) * HIST_SPACING_MS
        if not self.growing:
            self.total_lines = self.history
            self.end_ms = self.start_ms
        elif self.duration_s is None:
            self.total_lines = None
            self.end_ms = None
        else:
            self.end_ms = self.start_ms + int(round(self.duration_s * 1000))
            # A line due exactly at the end does not make it: total = initial + rate x duration.
            self.total_lines = self.history + self._live_count(self.end_ms - 1)
        for f in getattr(self, "_files", {}).values():
            f.text.total = self.total_lines

    # -- the schedule of a growing job -------------------------------------

    def burst_of(self, j: int):
        """(burst number, offset in the burst) of the j-th line after the history."""
        p, r = divmod(j, self._period)
        b = bisect.bisect_right(self._cum, r) - 1
        return p * PATTERN + b, r - self._cum[b]

    def burst_ms(self, k: int) -> int:
        return self.start_ms + int(k * self._interval_ms)

    def _live_count(self, now_ms: int) -> int:
        """How many post-start lines have appeared by now_ms (schedule only)."""
        d = now_ms - self.start_ms
        if d < 0:
            return 0
        k = int(d / self._interval_ms)
        while self.burst_ms(k + 1) <= now_ms:
            k += 1
        while k >= 0 and self.burst_ms(k) > now_ms:
            k -= 1
        if k < 0:
            return 0
        q, b = divmod(k, PATTERN)
        return q * self._period + self._cum[b + 1]

    # -- what a client can see at a given time -----------------------------

    def started(self, now: float) -> bool:
        return self.start_time is not None and now >= self.start_time

    def ended(self, now: float) -> bool:
        return not self.growing or (self.end_ms is not None and now * 1000 >= self.end_ms)

    def visible(self, now: float) -> int:
        """Number of lines (per file) visible at ``now``."""
        if not self.growing:
            return self.history
        if not self.started(now):
            return 0
        if self.ended(now):
            return self.total_lines
        return self.history + self._live_count(int(now * 1000))

    def status(self, now: float) -> int:
        if not self.growing:
            return self.static_status
        if not self.started(now):
            return WAITING
        return self.end_status if self.ended(now) else RUNNING

    def file(self, name: str) -> Optional[LogFile]:
        return self._files.get(name)

    def detail(self, now: float) -> dict:
        if self.growing and self.started(now):
            end = now * 1000 if not self.ended(now) else self.end_ms
            duration = int(end - self.start_ms)
        elif self.growing:
            duration = 0
        else:
            duration = self.start_ms - self.hist_base_ms
        return {
            "is_success": True,
            "job_id": self.job_id,
            "job_name": self.name,
            "version_id": self.version_id,
            "version_name": "V%04d" % self.version_id,
            "status": self.status(now),
            "duration": duration,
            "create_time": (self.start_ms if self.growing else self.hist_base_ms) - 4000,
            "engine_type": 1,
            "engine_name": "PyTorch",
            "engine_version": "PyTorch-1.11.0-python3.9",
            "worker_server_num": len(self.files),
            "log_file_count": len(self.files),
        }

    def iter_lines(self, name: str, now: float) -> Iterator[str]:
        f = self._files[name]
        n = self.visible(now)
        for start in range(0, n, 1000):
            yield from f.lines(start, min(n, start + 1000))


def demo_job(start_time: Optional[float] = None) -> Job:
    """The job `aomlog demo` follows: ~30 s of bursty output at a readable pace, then COMPLETED."""
    return Job(1024, 1, files=["log1.log"], seed=2026, initial_lines=30,
               lines_per_second=25, burst=6, duration_s=30, end_status=COMPLETED,
               start_time=start_time, name="resnet50-demo")
