"""A scripted API family for tests that need exact log content (injections, kinds, paging rules).

Each stream is a list of lines with increasing positions (by default line ``i`` is at
``1000 + i``). Reading onward from a position returns the lines after it (``inclusive``:
at or after it, with ``end_line`` the position after the page, as the other reading of
``base_line`` has it); reading back returns the lines before it. ``refuse_made_up``
refuses any position it never handed out, as a strict server may. Its order words are
v1's unless told otherwise (``onward_word``).
"""

import bisect
import threading

from aomlog.api import BACK, ONWARD, JobApi, JobRef, JobState, Page, Phase
from aomlog.errors import BadRequest

JOB = JobRef("v1", "10", "10")


class FakeApi(JobApi):
    family = "v1"
    stream_word = "log file"

    def __init__(self, files, onward_word="desc", documented_onward="desc", *, positions=None,
                 inclusive=False, refuse_made_up=False, short_between=None):
        self.files = {name: list(lines) for name, lines in files.items()}
        self.positions = positions  # name -> list of positions, or None for 1000 + i
        back = "asc" if onward_word == "desc" else "desc"
        self.reads = {onward_word: ONWARD, back: BACK}
        self.order_words = {ONWARD: documented_onward, BACK: "asc" if documented_onward == "desc" else "desc"}
        self.inclusive = inclusive
        self.refuse_made_up = refuse_made_up
        self.short_between = short_between  # (lo, hi): onward pages starting at a line in it are a line short
        self.calls = []
        self._lock = threading.Lock()
        self.phase = Phase.RUNNING

    def clone(self, **client_changes):
        return self  # no connection to copy; its reads are thread-safe

    def streams(self, job):
        return list(self.files)

    def state(self, job):
        return JobState(self.phase, self.phase.value.upper())

    def _positions(self, name):
        log = self.files[name]
        if self.positions is None:
            return [1000 + i for i in range(len(log))]
        return self.positions[name][:len(log)]

    def _issued(self, pos, positions):
        if pos in positions:
            return True
        return self.inclusive and bool(positions) and pos == positions[-1] + 1

    def fetch(self, target, base_line, lines, order):
        with self._lock:
            self.calls.append((target.stream, base_line, lines, order))
        log = self.files[target.stream]
        positions = self._positions(target.stream)
        if base_line is not None and self.refuse_made_up and not self._issued(int(base_line), positions):
            raise BadRequest("the API refused the request (HTTP 400) (ModelArts.0104)", code="ModelArts.0104",
                             http_status=400)
        if base_line is None:
            first, stop = max(0, len(log) - lines), len(log)
        elif self.reads[order] == ONWARD:
            base = int(base_line)
            first = bisect.bisect_left(positions, base) if self.inclusive else bisect.bisect_right(positions, base)
            stop = min(len(log), first + lines)
            if self.short_between and self.short_between[0] <= first < self.short_between[1] and lines > 1:
                stop = min(stop, first + lines - 1)
        else:
            stop = bisect.bisect_left(positions, int(base_line))
            first = max(0, stop - lines)
        chosen = log[first:stop]
        if not chosen:
            return Page("", 0, None, None)
        if self.inclusive:
            end = positions[stop] if stop < len(positions) else positions[stop - 1] + 1
        else:
            end = positions[stop - 1]
        return Page("".join(line + "\n" for line in chosen), len(chosen), str(positions[first]), str(end))


class FakeApis:
    """What the CLI resolves jobs with, answering every job with one FakeApi."""

    def __init__(self, api):
        self.api = api

    def resolve(self, job, version=None):
        return JobRef("v1", job, version or "1")

    def of(self, ref):
        return self.api
