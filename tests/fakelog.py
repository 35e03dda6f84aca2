"""A scripted API family for tests that need exact log content (injections, kinds, paging rules).

Line ``i`` of a stream (0-based) has position ``1000 + i``; reading onward from
a position returns the lines after it, reading back the lines before it. Its
order words are v1's unless told otherwise (``onward_word``).
"""

from aomlog.api import BACK, ONWARD, JobApi, JobRef, JobState, Page, Phase

JOB = JobRef("v1", "10", "10")


class FakeApi(JobApi):
    family = "v1"
    stream_word = "log file"

    def __init__(self, files, onward_word="desc", documented_onward="desc"):
        self.files = {name: list(lines) for name, lines in files.items()}
        back = "asc" if onward_word == "desc" else "desc"
        self.reads = {onward_word: ONWARD, back: BACK}
        self.order_words = {ONWARD: documented_onward, BACK: "asc" if documented_onward == "desc" else "desc"}
        self.calls = []
        self.phase = Phase.RUNNING

    def streams(self, job):
        return list(self.files)

    def state(self, job):
        return JobState(self.phase, self.phase.value.upper())

    def fetch(self, target, base_line, lines, order):
        self.calls.append((target.stream, base_line, lines, order))
        log = self.files[target.stream]
        if base_line is None:
            first, stop = max(0, len(log) - lines), len(log)
        elif self.reads[order] == ONWARD:
            first = min(len(log), max(0, int(base_line) - 1000 + 1))
            stop = min(len(log), first + lines)
        else:
            stop = max(0, min(len(log), int(base_line) - 1000))
            first = max(0, stop - lines)
        chosen = log[first:stop]
        if not chosen:
            return Page("", 0, None, None)
        return Page("".join(line + "\n" for line in chosen), len(chosen), str(1000 + first), str(1000 + stop - 1))


class FakeApis:
    """What the CLI resolves jobs with, answering every job with one FakeApi."""

    def __init__(self, api):
        self.api = api

    def resolve(self, job, version=None):
        return JobRef("v1", job, version or "1")

    def of(self, ref):
        return self.api
