"""Paging against servers that read positions differently from the simulator."""

import pytest

from aomlog.paging import LogReader

from fakelog import FakeLogClient

LOG = [f"line {i}" for i in range(1234)]


class ZeroMeansNewest(FakeLogClient):
    """Reads base_line=0 as no position at all: the newest lines."""

    def aom_log(self, job_id, version_id, log_file, base_line=None, lines=50, order="desc"):
        return super().aom_log(job_id, version_id, log_file, None if base_line == "0" else base_line,
                               lines, order)


@pytest.mark.parametrize("client", [FakeLogClient({"f": LOG}), ZeroMeansNewest({"f": LOG})])
def test_whole_log_whatever_position_zero_means(client):
    reader = LogReader(client, 1, 1, "f")
    assert [line for page in reader.from_start() for line in page.lines] == LOG


def test_newest_lines_across_pages():
    reader = LogReader(FakeLogClient({"f": LOG}), 1, 1, "f")
    assert [line for page in reader.newest(1001) for line in page.lines] == LOG[-1001:]
