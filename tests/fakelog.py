"""A scripted page source for tests that need exact log content (injections, kinds).

Line ``i`` of a file (0-based) has position ``1000 + i``; reading onward from
a position returns the lines after it, reading back the lines before it.
"""

from aomlog.client import Page


class FakeLogClient:
    def __init__(self, files):
        self.files = {name: list(lines) for name, lines in files.items()}
        self.retries = 0

    def file_names(self, job_id, version_id):
        return list(self.files)

    def aom_log(self, job_id, version_id, log_file, base_line=None, lines=50, order="desc"):
        log = self.files[log_file]
        if base_line is None:
            first, stop = max(0, len(log) - lines), len(log)
        elif order == "desc":
            first = min(len(log), max(0, int(base_line) - 1000 + 1))
            stop = min(len(log), first + lines)
        else:
            stop = max(0, int(base_line) - 1000)
            first = max(0, stop - lines)
        chosen = log[first:stop]
        if not chosen:
            return Page("", 0, None, None)
        return Page("".join(line + "\n" for line in chosen), len(chosen), str(1000 + first), str(1000 + stop - 1))
