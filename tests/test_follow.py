"""Follow mode: every line exactly once, faults ridden out, the job's end noticed.

The loop runs against the simulator over real HTTP with the simulator's clock
driven by the follower's injected sleep: hours of a job pass in milliseconds.
"""

import json

import pytest

from aomlog.cli.env import Environment
from aomlog.transport.client import Client
from aomlog.simulator import Job
from aomlog.simulator.http.routes import kind_of

from engine import run_tail
from conftest import expected_bytes

FAILED = 11


def growing(t, simulator, mode="exclusive", end_status=10, rate=40.0, duration=120, **options):
    job = Job(10, 10, files=["log1.log"], seed=11, initial_lines=700, lines_per_second=rate,
              duration_s=duration, burst=25, end_status=end_status)
    return simulator([job], clock=t.clock, base_line_mode=mode, **options)


def follow(sim, t, start=("last", 50), **kwargs):
    client = Client(sim.url, "p1", sleep=t.sleep)
    return run_tail(client, 10, 10, "log1.log", start, follow=True, clock=t.now, sleep=t.sleep, **kwargs)


@pytest.mark.parametrize("mode", ["exclusive", "inclusive"])
@pytest.mark.parametrize("start", [("from", 1), ("last", 0), ("last", 1234)])
def test_every_line_exactly_once_until_completed(simulator, t, capsysbinary, mode, start):
    sim = growing(t, simulator, mode)
    at_start = sim.visible_lines(10, 10)
    status = follow(sim, t, start)
    out, err = capsysbinary.readouterr()
    lines = sim.log_lines(10, 10, "log1.log")
    assert len(lines) > 5000  # the job grew while followed
    kind, n = start
    expected = lines if kind == "from" else lines[max(0, at_start - n):]
    assert out == expected_bytes(expected)
    assert status == 0
    assert "COMPLETED after 2m00s" in err.decode()


@pytest.mark.parametrize("mode", ["exclusive", "inclusive"])
def test_faults_are_ridden_out_without_losing_a_line(simulator, t, capsysbinary, mode):
    sim = growing(t, simulator, mode)
    sim.faults.set_rates(**{"500": 0.1, "503": 0.05, "429": 0.1, "drop": 0.1, "204": 0.05,
                            "cut": 0.05, "nonjson": 0.05})
    status = follow(sim, t, ("from", 1))
    out, err = capsysbinary.readouterr()
    assert out == expected_bytes(sim.log_lines(10, 10, "log1.log"))
    assert status == 0
    assert "Traceback" not in err.decode()


def test_failed_job_exits_5(simulator, t, capsysbinary):
    sim = growing(t, simulator, end_status=FAILED, duration=30)
    assert follow(sim, t) == 5
    out, err = capsysbinary.readouterr()
    assert "job 10 version 10 FAILED after 30s" in err.decode()
    assert out.endswith(expected_bytes(sim.log_lines(10, 10, "log1.log")[-10:]))


def test_following_a_finished_job_prints_and_exits(simulator, t, capsysbinary):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=300, seed=1, status=FAILED)], clock=t.clock)
    assert follow(sim, t) == 5
    out, err = capsysbinary.readouterr()
    assert out == expected_bytes(sim.log_lines(10, 10, "log1.log")[-50:])
    assert "FAILED" in err.decode()


def test_one_notice_per_outage_and_one_when_back(simulator, t, capsysbinary):
    sim = growing(t, simulator)
    client = Client(sim.url, "p1", sleep=t.sleep)
    outage = []

    def sleep(seconds):
        if not outage:  # the initial lines are out: now the log calls fail for a while (the
            outage.append(t.now())  # state calls, on a schedule of their own, would take some)
            sim.faults.push(*["503"] * 6, only="aom-log")
        t.sleep(seconds)

    status = run_tail(client, 10, 10, "log1.log", ("last", 10), follow=True, clock=t.now, sleep=sleep)
    out, err = capsysbinary.readouterr()
    err = err.decode()
    assert err.count("retrying until the API answers again") == 1
    assert err.count("aomlog: the API answers again") == 1
    assert status == 0
    assert out == expected_bytes(sim.log_lines(10, 10, "log1.log")[731 - 10:])


def test_throttle_waits_at_least_retry_after(simulator, t, capsysbinary):
    sim = growing(t, simulator)
    sim.faults.retry_after = 7  # longer than any wait of the follower's own
    client = Client(sim.url, "p1", sleep=t.sleep)
    pushed = []

    def sleep(seconds):
        if not pushed:  # throttled while following, not during the initial read
            pushed.append(t.now())
            sim.faults.push("429", only="aom-log")
        t.sleep(seconds)

    run_tail(client, 10, 10, "log1.log", ("last", 10), follow=True, clock=t.now, sleep=sleep)
    # The next read of the log comes after Retry-After (the job's state may be asked meanwhile).
    reads = [r.time for r in sim.request_log if kind_of(r.path) == "aom-log" and r.time > pushed[0]]
    assert 7 <= reads[1] - reads[0] < 8


def test_authentication_failure_stops_at_once(simulator, t, capsysbinary):
    from aomlog.errors import AuthError

    sim = growing(t, simulator)
    sim.faults.push("401")
    with pytest.raises(AuthError):
        follow(sim, t)


def test_full_pages_are_read_without_sleeping(simulator, t, capsysbinary):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=5000, seed=1)], clock=t.clock)
    follow(sim, t, ("from", 1))
    # 5000 lines: ten full pages in a row, then the job is over: only the grace wait.
    assert t.sleeps == [2.0]


def test_idle_polling_backs_off(simulator, t, capsysbinary):
    job = Job(10, 10, files=["log1.log"], seed=3, initial_lines=100, lines_per_second=1e-6)
    sim = simulator([job], clock=t.clock)  # running, and silent from now on
    client = Client(sim.url, "p1", sleep=t.sleep)
    stop_after = 300.0
    start = t.now()

    def sleep(seconds):
        if t.now() - start > stop_after:
            raise KeyboardInterrupt
        t.sleep(seconds)

    with pytest.raises(KeyboardInterrupt):
        run_tail(client, 10, 10, "log1.log", ("last", 0), follow=True, clock=t.now, sleep=sleep)
    requests = [r for r in sim.request_log if r.time - start > 30]
    per_second = len(requests) / (t.now() - start - 30)
    assert per_second <= 0.25  # at most one request every 4 s once idle
    assert max(t.sleeps) == 5.0


def test_cursor_file_restart_loses_and_repeats_nothing(simulator, t, capsysbinary, tmp_path):
    sim = growing(t, simulator, "inclusive")
    cursor = tmp_path / "cursor.json"
    client = Client(sim.url, "p1", sleep=t.sleep)
    killed_at = t.now() + 45

    def sleep(seconds):
        if t.now() > killed_at:
            raise KeyboardInterrupt
        t.sleep(seconds)

    with pytest.raises(KeyboardInterrupt):
        run_tail(client, 10, 10, "log1.log", ("from", 1), follow=True, clock=t.now, sleep=sleep,
                 cursor_path=str(cursor))
    first = capsysbinary.readouterr().out
    stored = json.loads(cursor.read_text())
    assert stored["job_id"] == "10" and stored["positions"]["log1.log"].isdigit()
    t.sleep(20)  # the follower was down for a while; lines kept coming
    follow(sim, t, ("last", 50), cursor_path=str(cursor))
    second = capsysbinary.readouterr().out
    assert first + second == expected_bytes(sim.log_lines(10, 10, "log1.log"))


def test_cursor_file_of_another_job_is_refused_and_kept(simulator, t, capsysbinary, tmp_path):
    from aomlog.errors import UsageError

    sim = growing(t, simulator)
    cursor = tmp_path / "cursor.json"
    original = json.dumps({"format": 1, "job_id": "99", "version_id": "1", "positions": {"log1.log": "5"}})
    cursor.write_text(original)
    with pytest.raises(UsageError, match="belongs to job 99"):
        follow(sim, t, cursor_path=str(cursor))
    assert cursor.read_text() == original


def test_cursor_is_stored_only_after_the_newest_lines_are_all_out(simulator, t, capsysbinary, tmp_path):
    """Killed while printing `-n 1200` (three pages), a restart must not skip what was unprinted."""
    import sys

    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=3000, seed=2)], clock=t.clock)
    cursor = tmp_path / "cursor.json"
    real_stdout = sys.stdout.buffer

    class DiesOnSecondPage:
        writes = 0

        def write(self, data):
            self.writes += 1
            if self.writes == 2:
                raise KeyboardInterrupt
            return real_stdout.write(data)

        def flush(self):
            real_stdout.flush()

        def fileno(self):
            return real_stdout.fileno()

    with pytest.raises(KeyboardInterrupt):
        follow(sim, t, ("last", 1200), cursor_path=str(cursor), out=DiesOnSecondPage())
    assert not cursor.exists()  # nothing stored: a restart starts over rather than skipping lines


@pytest.mark.parametrize("initial", [0, 3, 700])
def test_from_line_n_while_the_log_is_still_shorter(simulator, t, capsysbinary, initial):
    job = Job(10, 10, files=["log1.log"], seed=11, initial_lines=initial, lines_per_second=5.0,
              duration_s=60, burst=1)
    sim = simulator([job], clock=t.clock)
    assert follow(sim, t, ("from", 10)) == 0
    assert capsysbinary.readouterr().out == expected_bytes(sim.log_lines(10, 10, "log1.log")[9:])


def test_the_api_is_said_to_be_back_before_its_backlog_is_printed():
    from aomlog.api import JobRef, JobState, Phase, Target
    from aomlog.errors import ApiError
    from aomlog.engine.follow import Follower
    from aomlog.engine.paging import LogReader

    from fakelog import FakeApi

    class Flaky(FakeApi):
        down = 0

        def fetch(self, *args, **kwargs):
            if self.down:
                self.down -= 1
                raise ApiError("the API is unavailable (HTTP 503)", transient=True)
            return super().fetch(*args, **kwargs)

    api = Flaky({"f": [f"line {i}" for i in range(10)]})
    reader = LogReader(api, Target(JobRef("v1", "1", "1"), "f"))
    reader.newest(0)
    api.files["f"] += [f"late {i}" for i in range(1200)]
    said = []
    states = iter([JobState(Phase.RUNNING, "RUNNING"), JobState(Phase.SUCCEEDED, "COMPLETED")])
    now = [0.0]
    follower = Follower([reader], lambda: next(states), clock=lambda: now[0],
                        sleep=lambda s: now.__setitem__(0, now[0] + s), notify=said.append)
    api.down = 8  # long enough to be told about
    for _ in follower.run():
        said.append("page")
    assert said[0].endswith("(Ctrl-C to stop)")
    assert said[1] == "aomlog: the API answers again; resuming from the last position"
    assert said[2:] == ["page"] * 3


def test_a_ten_minute_follow_through_many_blips_says_nothing(simulator, t, capsysbinary):
    """Faults a retry clears within seconds are ridden out silently; no line lost."""
    sim = growing(t, simulator, rate=20.0, duration=600)
    sim.faults.set_rates(**{"500": 0.05, "503": 0.05, "429": 0.03, "drop": 0.05, "cut": 0.02})
    debug = []
    status = follow(sim, t, ("from", 1), debug=debug.append)
    out, err = capsysbinary.readouterr()
    assert status == 0
    assert out == expected_bytes(sim.log_lines(10, 10, "log1.log"))
    faults = len(sim.faults.applied)
    assert faults > 50  # plenty of blips
    assert len(debug) == faults  # --debug shows every retry
    notices = [line for line in err.decode().splitlines() if "retrying" in line or "answers again" in line]
    assert len(notices) <= 4, notices


def test_follow_of_an_endpoint_that_never_answers_fails_like_tail_does(aomlog):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there: connections are refused
    waits = []
    r = aomlog("tail", 10, 10, "-f", "--endpoint", f"http://127.0.0.1:{port}", "--project-id", "p",
               env=Environment(sleep=waits.append, clock=lambda: sum(waits)))
    assert r.status == 1 and r.out == b""
    assert r.err.startswith(f"Error: cannot connect to 127.0.0.1:{port}: connection refused"), r.err
    assert len(waits) == 4 and sum(waits) <= 15  # a few quick tries, as without -f


# A job usually ends right after its last line: then -f exits within ~5 s of the end, plus the
# 2 s of grace for late lines. One that ends long after its last line is seen at the next
# backed-off check (every 30 s), which keeps an idle follower at <= 0.25 requests/s.
@pytest.mark.parametrize("rate, within", [(40.0, 5.0 + 2.0), (0.2, 30.0 + 5.0 + 2.0)])
def test_the_end_of_a_job_is_seen_within_seconds(simulator, t, capsysbinary, rate, within):
    sim = growing(t, simulator, rate=rate, duration=300)
    follow(sim, t)
    assert t.now() - sim.job(10, 10).end_ms / 1000 <= within
