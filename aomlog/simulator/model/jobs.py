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
from typing import Iterator, List, Optional, Sequence, Set, Tuple, Union

from ..hashes import mix64, stable_key
from ..styles import log_text, style_class
from .story import Story
from .status import COMPLETED, INIT, RUNNING, SUCCESS, WAITING, code_of_phase, phase_of

# A v1 job's id is an integer, a v2 job's a UUID string; a v2 job has no version.
JobId = Union[int, str]
JobKey = Tuple[JobId, Optional[int]]

MS = 10**6  # position units per millisecond
SEQ_STEP = 3
HIST_BLOCK = 4
HIST_SPACING_MS = 25
PATTERN = 16

# 2026-11-27 07:32:39.254 UTC: when static jobs "started" (their logs end before it).
STATIC_START = 1795764759.254
# A job is created this long before its first log line (unless added with start_delay).
CREATE_LEAD_MS = 4000
DEFAULT_CREATING_S = 2.0


class LogFile:
    """One log file of a job: line text and positions as functions of the index."""

    def __init__(self, job: "Job", name: str, rank: int):
        self.job = job
        self.name = name
        self.key = stable_key("positions", job.seed, name)
        self.text = log_text(job.seed, name, style=job.style, rank=rank, world=len(job.files), pace=job.pace,
                             total=job.total_lines, failed=job.end_status not in SUCCESS)

    # -- positions ---------------------------------------------------------

    def _ms_and_offset(self, i: int) -> Tuple[int, int]:
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


def _check_delay(growing: bool, start_time: Optional[float], start_delay: float, creating_s: float) -> None:
    if not growing:
        raise ValueError("start_delay needs a growing job (lines_per_second)")
    if start_time is not None:
        raise ValueError("give start_time or start_delay, not both")
    if start_delay < 0 or creating_s < 0:
        raise ValueError("start_delay and creating_s cannot be negative")


class Job:
    """A training job (v1: a version of one) with one or more log files.

    v1 jobs have integer ids and a version (``Job(10, 10)``) and name their
    logs by file; a v2 job has a UUID string id and no version
    (``Job("3faf5c03-...", None, files=["worker-0", "worker-1"])``), its
    "files" being its tasks (default ``["worker-0"]``).

    Static (``total_lines``, all present from the start) unless
    ``lines_per_second`` is given: then ``initial_lines`` exist at start and
    more appear at that average rate, in bursts averaging ``burst`` lines,
    until ``duration_s`` has passed (``None``: forever); its status is RUNNING
    until then and ``end_status`` after. ``start_time`` (seconds) defaults to
    the simulator clock's now when the job is added (static jobs: a fixed date),
    or ``start_delay`` seconds later: the first ``creating_s`` of the wait the
    job is being created (INIT / "Creating"), then it queues (WAITING / "Pending").
    ``end_phase`` names the end state as a v2 phase ("Completed", "Failed",
    "Terminated", "Abnormal", ...) instead of ``end_status``/``status``.
    ``create_time`` (epoch ms) defaults to a little before the first log line.
    ``style`` is the framework its logs imitate (``styles.STYLES``): "pytorch" (the
    default), "huggingface", "keras" or "mindspore". ``pace`` is how fast its (PyTorch-style)
    curves move: 2.0 learns twice as fast per epoch, so that runs side by side differ.
    ``story`` (``model.story.Story``) is what its events, stages, task exits and usage tell.
    """

    end_ms: Optional[int]  # set by set_start; None: a growing job without an end

    def __init__(self, job_id: JobId, version_id: Optional[int] = None,
                 files: Optional[Sequence[str]] = None, *,
                 total_lines: Optional[int] = None, seed: int = 0,
                 initial_lines: int = 0, lines_per_second: Optional[float] = None,
                 duration_s: Optional[float] = None, burst: int = 1,
                 end_status: int = COMPLETED, status: int = COMPLETED, end_phase: Optional[str] = None,
                 start_time: Optional[float] = None, start_delay: Optional[float] = None,
                 creating_s: float = DEFAULT_CREATING_S, create_time: Optional[int] = None,
                 name: Optional[str] = None, style: str = "pytorch", pace: float = 1.0,
                 story: Optional[Story] = None):
        style_class(style)  # an unknown style fails here, not at the first line
        self.style = style
        self.pace = pace
        # What a v2 job tells besides its log; a MindSpore job runs on NPUs.
        self.story = story if story is not None else Story(accelerator="npu" if style == "mindspore" else "gpu")
        if version_id is None:
            # v2: the id is an opaque string; a bare number would be mistaken for a v1 id.
            if not isinstance(job_id, str) or not job_id or job_id.isdigit() or "/" in job_id:
                raise ValueError("a v2 job (version_id=None) needs a UUID string id, not %r" % (job_id,))
            self.job_id: JobId = job_id
            self.version_id: Optional[int] = None
            files = ["worker-0"] if files is None else files
            default_name = "trainjob-%s" % job_id[:8]
        else:
            self.job_id = int(job_id)
            self.version_id = int(version_id)
            files = ["log1.log"] if files is None else files
            default_name = "job-%d" % self.job_id
        if not files:
            raise ValueError("a job needs at least one log file")
        self.files = list(files)
        self.seed = seed
        self.name = name or default_name
        self.growing = lines_per_second is not None
        if end_phase is not None:
            status = end_status = code_of_phase(end_phase)
        self.static_status = status
        self.end_status = end_status if self.growing else status
        self.duration_s = duration_s
        if start_delay is not None:
            _check_delay(self.growing, start_time, start_delay, creating_s)
        self.start_delay = start_delay
        self.creating_s = float(creating_s)
        self.added_at: Optional[float] = None  # simulator time the job was added (delayed jobs only)
        self.explicit_create_ms = None if create_time is None else int(create_time)
        self._assigned_create_ms: Optional[int] = None
        if lines_per_second is not None:  # self.growing
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

    @property
    def api(self) -> str:
        """Which family of calls serves the job: "v1" or "v2"."""
        return "v1" if self.version_id is not None else "v2"

    @property
    def key(self) -> JobKey:
        """How the simulator files the job: (job_id, version_id), version None for v2."""
        return (self.job_id, self.version_id)

    def place(self, now: float) -> None:
        """Called when a simulator adds the job: a growing job without a start starts
        now, or ``start_delay`` from now."""
        if self.start_time is None:
            if self.start_delay is not None:
                self.added_at = now
            self.set_start(now + (self.start_delay or 0.0))

    def _natural_create_ms(self) -> int:
        if self.added_at is not None:
            return int(round(self.added_at * 1000))
        return min(self.hist_base_ms, self.start_ms) - CREATE_LEAD_MS

    def assign_create_time(self, taken: Set[int]) -> None:
        """Pick a create_time distinct from ``taken`` (a simulator's other jobs), so that
        sorting by it is meaningful: a later-added job wins ties by a millisecond."""
        if self.explicit_create_ms is None:
            ms = self._natural_create_ms()
            while ms in taken:
                ms += 1
            self._assigned_create_ms = ms

    @property
    def create_time(self) -> int:
        """Epoch milliseconds: given, assigned by the simulator, or the natural default."""
        if self.explicit_create_ms is not None:
            return self.explicit_create_ms
        if self._assigned_create_ms is not None:
            return self._assigned_create_ms
        return self._natural_create_ms()

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

    def burst_of(self, j: int) -> Tuple[int, int]:
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
        # A static job's log is all there whatever the clock says.
        return not self.growing or (self.start_time is not None and now >= self.start_time)

    def ended(self, now: float) -> bool:
        return not self.growing or (self.end_ms is not None and now * 1000 >= self.end_ms)

    def visible(self, now: float) -> int:
        """Number of lines (per file) visible at ``now``."""
        if not self.growing:
            return self.history
        if not self.started(now):
            return 0
        if self.ended(now):
            # A growing job ends only with a duration, which fixed total_lines.
            assert self.total_lines is not None
            return self.total_lines
        return self.history + self._live_count(int(now * 1000))

    def status(self, now: float) -> int:
        """The v1 status code at ``now`` (v2 jobs show it as a phase)."""
        if not self.growing:
            return self.static_status
        if not self.started(now):
            creating = False
            if self.added_at is not None:
                assert self.start_delay is not None  # place() sets added_at only for a delayed job
                creating = now < self.added_at + min(self.creating_s, self.start_delay)
            return INIT if creating else WAITING
        return self.end_status if self.ended(now) else RUNNING

    def phase(self, now: float) -> str:
        """The v2 ``status.phase`` at ``now``."""
        return phase_of(self.status(now))[0]

    def run_ms(self, now: float) -> Tuple[Optional[int], int]:
        """(run start, duration) in ms at ``now``; a static job ran while its log was written."""
        if not self.growing:
            return self.hist_base_ms, self.start_ms - self.hist_base_ms
        if not self.started(now):
            return None, 0
        end = self.end_ms if self.ended(now) else now * 1000
        assert end is not None  # a growing job has ended only if it has an end_ms
        return self.start_ms, int(end - self.start_ms)

    def file(self, name: str) -> Optional[LogFile]:
        return self._files.get(name)

    def iter_lines(self, name: str, now: float) -> Iterator[str]:
        f = self._files[name]
        n = self.visible(now)
        for start in range(0, n, 1000):
            yield from f.lines(start, min(n, start + 1000))

