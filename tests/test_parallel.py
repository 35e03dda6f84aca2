"""Reading side by side over real HTTP: byte-identical to reading one page after another."""

import io
import json

import pytest

from aomlog.cli.env import Environment
from aomlog.simulator import Job

from conftest import conn_args, expected_bytes

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
TASKS = [f"worker-{i}" for i in range(4)]
MODES = [(mode, strict, order) for mode in ("exclusive", "inclusive") for strict in (False, True)
         for order in ("documented", "v1")]
FAULTS = {"500": 0.03, "503": 0.02, "429": 0.02, "drop": 0.02, "cut": 0.01}


@pytest.fixture(params=MODES, ids=[f"{m}-{'strict' if s else 'lax'}-{o}" for m, s, o in MODES])
def sim(request, simulator):
    mode, strict, order = request.param
    sim = simulator([Job(UUID, None, files=TASKS, total_lines=12000, seed=5, name="big")],
                    base_line_mode=mode, strict_positions=strict, v2_order=order)
    sim.faults.set_rates(**FAULTS)
    return sim


def truth(sim, task="worker-0"):
    return sim.log_lines(UUID, None, task)


def test_one_long_task_is_the_same_in_parallel_and_in_sequence(sim, aomlog):
    parallel = aomlog("tail", UUID, "--task", "worker-0", "-n", "+1", *conn_args(sim))
    sequential = aomlog("tail", UUID, "--task", "worker-0", "-n", "+1", "--parallel", "1", *conn_args(sim))
    assert parallel.status == sequential.status == 0, (parallel, sequential)
    assert parallel.out == sequential.out == expected_bytes(truth(sim))


def test_every_task_side_by_side_keeps_each_in_order(sim, aomlog):
    r = aomlog("tail", UUID, "--all-tasks", "-n", "+1", *conn_args(sim))
    assert r.status == 0, r
    lines = r.out.decode().split("\n")[:-1]
    for task in TASKS:
        prefix = f"[{task}] "
        assert [line[len(prefix):] for line in lines if line.startswith(prefix)] == truth(sim, task)


def test_the_newest_lines_of_a_log_take_one_connection(simulator, aomlog):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=100_000, seed=1)])
    r = aomlog("tail", 10, 10, *conn_args(sim))  # its file names, then its newest page
    assert r.status == 0 and r.out == expected_bytes(sim.log_lines(10, 10)[-50:])
    assert len(sim.request_log) == 2 and len({req.peer for req in sim.request_log}) == 1  # a handshake saved


@pytest.mark.parametrize("parallel", [1, 3, 8])
def test_reading_side_by_side_takes_a_connection_per_worker_not_per_chunk(simulator, aomlog, parallel):
    sim = simulator([Job(UUID, None, files=TASKS, total_lines=60_000, seed=5, name="big")])
    r = aomlog("tail", UUID, "--all-tasks", "-n", "+1", "--parallel", parallel, *conn_args(sim))
    assert r.status == 0
    assert len(sim.request_log) > 400  # 4 x 120 pages, in many chunks
    assert len({req.peer for req in sim.request_log}) <= parallel


def test_after_a_position_in_parallel(sim, aomlog):
    first = aomlog("tail", UUID, "--task", "worker-0", "-n", 2000, "-o", "json", "--parallel", "1",
                   *conn_args(sim))
    position = json.loads(first.out.decode().splitlines()[0])["end_line"]  # after the first page of those
    r = aomlog("tail", UUID, "--task", "worker-0", "--base-line", position, *conn_args(sim))
    assert r.status == 0, r
    lines = truth(sim)
    assert r.out == expected_bytes(lines[len(lines) - 2000 + 500:])


def test_since_a_time_in_parallel_is_the_lines_from_that_time_on(sim, aomlog):
    lines = truth(sim)
    middle = lines[5000]
    stamp = middle[:23]  # "2026-11-27 07:31:12,345", the simulator's UTC time
    since = stamp.replace(" ", "T").replace(",", ".") + "Z"
    r = aomlog("tail", UUID, "--task", "worker-0", "--since", since, *conn_args(sim))
    assert r.status == 0, r
    got = r.out.decode().split("\n")[:-1]
    first = next(i for i, line in enumerate(lines) if line[:23] >= stamp and line[:4] == "2026")
    assert got[0] == lines[first] and got == lines[len(lines) - len(got):]
    assert first <= 5000 < first + 40  # lines of the same millisecond come together


@pytest.mark.parametrize("strict", [False, True])
def test_since_before_the_log_is_all_of_it_and_after_it_is_none(simulator, aomlog, strict):
    sim = simulator([Job(UUID, None, total_lines=3000, seed=2)], strict_positions=strict)
    whole = aomlog("tail", UUID, "--since", "2000-01-01", *conn_args(sim))
    assert whole.out == expected_bytes(truth(sim))
    none = aomlog("tail", UUID, "--since", "2026-11-28T00:00Z", *conn_args(sim))  # the log ends on the 27th
    assert (none.status, none.out) == (0, b"")


def test_since_with_positions_that_are_not_times_is_an_error(aomlog):
    import types

    from fakelog import FakeApi, FakeApis

    env = Environment(client=lambda conn: types.SimpleNamespace(debug=None),
                      apis=lambda client: FakeApis(FakeApi({"log1.log": ["a", "b"]})))
    r = aomlog("tail", 10, 10, "--since", "10m", "--project-id", "p", "--endpoint", "http://x", env=env)
    assert r.status == 1 and r.out == b""
    assert r.err.startswith("Error: the API's positions in log1.log are not times")
    assert "Hint: Start with -n N" in r.err


@pytest.mark.parametrize("value", ["yesterday", "10x", "2026-13-01", "١٠m", "10:61"])
def test_since_takes_durations_and_times_only(aomlog, value):
    r = aomlog("tail", UUID, "--since", value, "--endpoint", "http://127.0.0.1:9", "--project-id", "p")
    assert r.status == 2 and "is neither a duration" in r.err


def test_since_reads_durations_and_local_or_zoned_times():
    from datetime import datetime, timezone

    from aomlog.cli.params import Since

    since = Since(now=lambda: 1795764759.0)
    assert since.convert("10m", None, None) == (1795764759 - 600) * 1000
    assert since.convert("1h30m", None, None) == (1795764759 - 5400) * 1000
    assert since.convert("2d", None, None) == (1795764759 - 2 * 86400) * 1000
    assert since.convert("2026-11-27T07:00:00Z", None, None) == \
        int(datetime(2026, 11, 27, 7, tzinfo=timezone.utc).timestamp() * 1000)
    assert since.convert("2026-11-27 15:00+08:00", None, None) == since.convert("2026-11-27T07:00Z", None, None)
    local = datetime(2026, 11, 27, 7, 0).astimezone()
    assert since.convert("2026-11-27T07:00", None, None) == int(local.timestamp() * 1000)
    today = datetime.fromtimestamp(1795764759.0).date()
    nine = datetime(today.year, today.month, today.day, 9, 30).astimezone()
    assert since.convert("9:30", None, None) == since.convert("09:30", None, None) == int(nine.timestamp() * 1000)


def test_since_a_time_before_positions_began_reads_from_the_first_line(simulator, aomlog):
    sim = simulator([Job(UUID, None, total_lines=700, seed=2)])
    r = aomlog("tail", UUID, "--since", "1999-12-31T23:00Z", *conn_args(sim))
    assert (r.status, r.out) == (0, expected_bytes(truth(sim)))


@pytest.mark.parametrize("value", ["0001-01-01", "0001-01-01T00:00+14:00", "1969-07-20", "9" * 400 + "d"])
def test_since_longer_ago_than_any_log_reads_from_the_first_line(simulator, aomlog, value):
    sim = simulator([Job(UUID, None, total_lines=700, seed=2)])
    r = aomlog("tail", UUID, "--since", value, *conn_args(sim))
    assert (r.status, r.out) == (0, expected_bytes(truth(sim)))


@pytest.fixture(params=["America/New_York", "Asia/Tokyo", "UTC"])
def zone(request, monkeypatch):
    import time

    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_since_a_time_after_every_line_prints_none_in_any_zone(simulator, aomlog, zone):
    sim = simulator([Job(UUID, None, total_lines=700, seed=2)])
    r = aomlog("tail", UUID, "--since", "9999-12-31T23:59", *conn_args(sim))
    assert (r.status, r.out, r.err) == (0, b"", "")


@pytest.mark.parametrize("args", [["--parallel", "0"], ["--parallel", "33"], ["--parallel", "x"]])
def test_parallel_is_a_small_whole_number(aomlog, args):
    r = aomlog("tail", UUID, *args, "--endpoint", "http://127.0.0.1:9", "--project-id", "p")
    assert r.status == 2 and "--parallel" in r.err


def test_progress_shows_on_a_terminal_stderr_only_after_a_second_and_is_cleared():
    from aomlog.output.progress import CatchUpProgress

    now = [0.0]
    err = io.StringIO()
    err.isatty = lambda: True  # type: ignore[method-assign]
    progress = CatchUpProgress(err, clock=lambda: now[0])
    progress.update(500, 1, 0.01)
    assert err.getvalue() == "" and not progress.print("aomlog: a notice")  # not yet shown
    now[0] = 1.5
    progress.update(30000, 60, 0.4)
    progress.close()
    shown = err.getvalue()
    assert "catching up: 30,000 lines, 60 pages, 20,000 lines/s" in shown and "40%" in shown
    assert shown.endswith("\x1b[2K")  # cleared when done (rich's transient stop erases the line)


class Stream:
    """A stream that says whether it is a terminal, as told."""

    def __init__(self):
        self.tty = False

    def isatty(self):
        return self.tty


def test_progress_only_where_it_is_wanted():
    out, err = Stream(), Stream()
    env = Environment(stdout=out, stderr=err)
    err.tty = True  # output to a file, stderr on the terminal
    assert env.progress(False) is not None and env.progress(True) is None  # --no-progress
    out.tty = True  # the log itself shows how it goes
    assert env.progress(False) is None and env.progress(False, always=True) is not None
    out.tty = err.tty = False  # stderr to a pipe too
    assert env.progress(False) is None


def test_no_progress_in_a_pipe_or_when_asked_not_to(simulator, aomlog):
    sim = simulator([Job(UUID, None, total_lines=3000, seed=2)])
    r = aomlog("tail", UUID, "-n", "+1", *conn_args(sim))  # stderr is no terminal under pytest
    assert r.status == 0 and r.err == ""


def _stamp_of(line):
    return line[:23].replace(" ", "T").replace(",", ".") + "Z"  # the simulator's UTC time, as --since takes it


def _stamped_before(lines, index):
    """The index of the last line at or before ``index`` that starts with its time."""
    return next(i for i in range(index, -1, -1) if lines[i][:4] == "2026")


def _first_since(lines, line):
    return next(i for i, one in enumerate(lines) if one[:23] >= line[:23] and one[:4] == "2026")


@pytest.mark.parametrize("newest", [0, 5, 700])
def test_since_with_n_is_the_newest_n_of_the_lines_since_then(sim, aomlog, newest):
    lines = truth(sim)
    r = aomlog("tail", UUID, "--task", "worker-0", "--since", _stamp_of(lines[5000]), "-n", newest, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(lines[len(lines) - newest:] if newest else [])


@pytest.mark.parametrize("back", [1, 30, 600])
def test_since_with_n_gives_fewer_lines_when_fewer_are_that_new(sim, aomlog, back):
    lines = truth(sim)
    first = _first_since(lines, lines[_stamped_before(lines, len(lines) - back)])
    r = aomlog("tail", UUID, "--task", "worker-0", "--since", _stamp_of(lines[first]), "-n", 2000, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(lines[first:]) and len(lines) - first < 2000


def test_since_with_n_before_the_log_and_after_it(simulator, aomlog):
    sim = simulator([Job(UUID, None, total_lines=3000, seed=2)])
    before = aomlog("tail", UUID, "--since", "2000-01-01", "-n", 7, *conn_args(sim))
    assert before.out == expected_bytes(truth(sim)[-7:])
    after = aomlog("tail", UUID, "--since", "2026-11-28T00:00Z", "-n", 7, *conn_args(sim))
    assert (after.status, after.out) == (0, b"")


def test_since_with_n_from_a_line_on_is_refused(simulator, aomlog):
    sim = simulator([Job(UUID, None, total_lines=30, seed=2)])
    r = aomlog("tail", UUID, "--since", "1h", "-n", "+5", *conn_args(sim))
    assert r.status == 2 and "-n and --since cannot be used together" in r.err
