"""``-n N`` of a long log read in chunks side by side, from a start estimated by the line rate:
byte-identical to reading back one page after another, under both readings of base_line, both
order words, a server refusing made-up positions, faults, and logs whose rate changes (the
estimate falls short, and the lines it missed are read back).

And the catch-up of several streams in one fixed order: every read of a job gives the same
bytes, its pages merged by the position of their first line, then by the stream's name."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aomlog.engine.catchup.read import NEWEST_IN_CHUNKS
from aomlog.engine.settings import TailSettings
from aomlog.engine.start import Start
from aomlog.engine.streams import Streams
from aomlog.engine.tail import Tail
from aomlog.simulator import Job

from conftest import conn_args, expected_bytes
from fakelog import JOB, FakeApi
from test_catchup import logs
from test_parallel import FAULTS, MODES

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"


@pytest.fixture(params=MODES, ids=[f"{m}-{'strict' if s else 'lax'}-{o}" for m, s, o in MODES])
def sim(request, simulator):
    mode, strict, order = request.param
    return simulator([Job(UUID, None, files=["worker-0", "worker-1"], total_lines=30000, seed=7, name="long")],
                     base_line_mode=mode, strict_positions=strict, v2_order=order)


def tail(aomlog, sim, *args):
    r = aomlog("tail", UUID, *args, *conn_args(sim))
    assert r.status == 0, r
    return r.out


@pytest.mark.parametrize("n", [NEWEST_IN_CHUNKS, 12345, 29999, 30000, 45000])
def test_the_newest_lines_in_chunks_are_those_read_back_page_by_page(sim, aomlog, n):
    lines = sim.log_lines(UUID, None, "worker-0")
    sequential = tail(aomlog, sim, "--task", "worker-0", "-n", n, "--parallel", "1")
    sim.request_log.clear()
    chunked = tail(aomlog, sim, "--task", "worker-0", "-n", n)
    assert chunked == sequential == expected_bytes(lines[-n:])
    peers = {req.peer for req in sim.request_log}
    if not sim.api.strict_positions and n < len(lines):
        assert len(peers) > 2  # read side by side
    if sim.api.strict_positions:
        assert len(peers) == 1  # made-up positions refused: read back one page after another


def test_the_newest_lines_in_chunks_under_faults(sim, aomlog):
    sim.faults.set_rates(**FAULTS)
    lines = sim.log_lines(UUID, None, "worker-1")
    assert tail(aomlog, sim, "--task", "worker-1", "-n", 20000) == expected_bytes(lines[-20000:])
    both = tail(aomlog, sim, "--all-tasks", "-n", 9000, "-o", "json")
    assert both.count(b'"worker-0"') == both.count(b'"worker-1"') == 9000


def test_a_rate_that_changes_leaves_the_estimate_short_and_the_rest_is_read_back(simulator, aomlog):
    # 20,000 old lines at 160 a second, then 10,000 at 2,000 a second: the newest page's rate
    # puts the start of the last 25,000 lines far too late.
    job = Job(11, 1, files=["log1.log"], initial_lines=20000, lines_per_second=2000, duration_s=5,
              start_time=1_790_000_000, seed=3)
    sim = simulator([job])
    lines = sim.log_lines(11, 1)
    assert 29000 < len(lines) < 31000
    r = aomlog("tail", "11", "1", "-n", 25000, *conn_args(sim))
    assert r.status == 0 and r.out == expected_bytes(lines[-25000:])
    backs = [req for req in sim.request_log if req.query.get("order") == "asc" and req.query.get("lines") == "500"]
    assert len(backs) >= 20  # the lines the chunks lacked, read back
    assert len({req.peer for req in sim.request_log}) > 2  # after the chunks, read side by side


def run(api, streams, start, workers=8):
    engine = Tail(api, TailSettings(JOB, Streams(tuple(streams)), start, parallel=workers, fast_answer=0))
    got = {name: [] for name in streams}
    for stream, page in engine.pages():
        got[stream] += page.lines
    return got


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), inclusive=st.booleans(), refuse=st.booleans(), workers=st.integers(2, 8),
       streams=st.integers(1, 2))
def test_the_newest_lines_of_uneven_logs_are_exact(data, inclusive, refuse, workers, streams):
    files = {f"f{k}": data.draw(logs(max_lines=20000)) for k in range(streams)}
    n = data.draw(st.integers(NEWEST_IN_CHUNKS, 22000))
    api = FakeApi({name: lines for name, (lines, _) in files.items()},
                  positions={name: positions for name, (_, positions) in files.items()},
                  inclusive=inclusive, refuse_made_up=refuse)
    got = run(api, list(files), Start.last(n), workers)
    for name, (lines, _) in files.items():
        assert got[name] == lines[max(0, len(lines) - n):], name


def test_several_tasks_read_three_times_give_the_same_bytes_in_the_documented_order(simulator, aomlog):
    tasks = [f"worker-{k}" for k in (3, 1, 0, 2)]
    sim = simulator([Job(UUID, None, files=tasks, total_lines=8000, seed=9, name="four")])
    sim.faults.set_rates(**FAULTS)
    outs = [tail(aomlog, sim, "--all-tasks", "-n", "+1") for _ in range(3)]
    assert outs[0] == outs[1] == outs[2]
    for task in tasks:
        prefix = f"[{task}] "
        mine = [line[len(prefix):] for line in outs[0].decode().split("\n") if line.startswith(prefix)]
        assert mine == sim.log_lines(UUID, None, task)


def test_the_pages_of_several_streams_come_by_first_position_then_name():
    lines = {f"w{k}": [f"w{k} {i}" for i in range(6000)] for k in (2, 0, 1)}
    # w0 and w1 write at the same times (ties), w2 a little later than both
    step = {"w0": 0, "w1": 0, "w2": 7}
    positions = {name: [(1795764000000 + i * 10 + step[name]) * 10**6 + 2 for i in range(6000)] for name in lines}
    api = FakeApi(lines, positions=positions)
    engine = Tail(api, TailSettings(JOB, Streams(every=True), Start.from_line(1), parallel=8, fast_answer=0))
    keys = [(int(page.start_line), stream) for stream, page in engine.pages()]
    assert keys == sorted(keys)
    assert {stream for _, stream in keys[:3]} == {"w0", "w1", "w2"}  # interleaved, not one after another


def test_the_newest_lines_in_chunks_store_the_logs_end_as_the_cursor(sim, aomlog, tmp_path):
    cursor = tmp_path / "cursor.json"
    lines = sim.log_lines(UUID, None, "worker-0")
    first = tail(aomlog, sim, "--task", "worker-0", "-n", 9000, "--cursor-file", cursor)
    assert first == expected_bytes(lines[-9000:])
    assert tail(aomlog, sim, "--task", "worker-0", "--cursor-file", cursor) == b""  # nothing after the end
