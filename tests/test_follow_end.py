"""The end of a followed job is seen, however many streams it has and however often they fail
(issue 22): each stream is read on its own schedule, the job's state asked on its own, and
once the job is final each stream is read to its end and once more for late lines.

The simulator and the follower share one manual clock: minutes pass in milliseconds, and the
delays asserted are the clock's, never the wall's.
"""

import csv
import io
import json

import pytest

from aomlog.api import JobRef, JobState, Phase, Target
from aomlog.engine.follow import Follower, Timing
from aomlog.engine.paging import LogReader
from aomlog.errors import ApiError
from aomlog.simulator import Job
from aomlog.transport.client import Client

from conftest import conn_args
from engine import run_tail
from fakelog import FakeApi

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
ORDINARY = {"500": 0.025, "503": 0.025, "429": 0.03, "drop": 0.02}  # what a one-hour follow meets
BOUND = 20.0  # the README's: the end is seen within about this long of the job's final state


def tasks(n):
    return [f"worker-{i}" for i in range(n)]


def by_task(out, names):
    lines = out.decode().split("\n")[:-1]
    return {name: [line[len(name) + 3:] for line in lines if line.startswith(f"[{name}] ")] for name in names}


def follow(sim, t, names, sleep=None, retry_sleep=None, **options):
    client = Client(sim.url, "p1", retries=0, sleep=retry_sleep or t.sleep)
    return run_tail(client, UUID, None, names, ("from", 1), follow=True, clock=t.now, sleep=sleep or t.sleep,
                    **options)


@pytest.mark.parametrize("n", [16, 64])
def test_a_job_that_has_ended_is_read_once_and_left(simulator, t, capsysbinary, n):
    names = tasks(n)
    sim = simulator([Job(UUID, None, files=names, total_lines=700, seed=5)], clock=t.clock)
    sim.faults.set_rates(**ORDINARY)
    started = t.now()
    # The catch-up's workers retry at once (their waits, side by side, would add up on the one
    # clock): the clock's time is the follower's.
    assert follow(sim, t, names, retry_sleep=lambda seconds: None) == 0
    out, err = capsysbinary.readouterr()
    assert by_task(out, names) == {name: sim.log_lines(UUID, None, name) for name in names}
    assert len(sim.faults.applied) >= 3  # it met faults, and they held nothing up
    assert t.now() - started <= BOUND
    assert "Completed" in err.decode()


@pytest.mark.parametrize("n", [16, 64])
def test_a_job_that_ends_while_followed_is_seen_to_end(simulator, t, capsysbinary, n):
    names = tasks(n)
    job = Job(UUID, None, files=names, seed=6, initial_lines=50, lines_per_second=4, burst=4, duration_s=12)
    sim = simulator([job], clock=t.clock)
    sim.faults.set_rates(**ORDINARY)
    assert follow(sim, t, names) == 0
    out = capsysbinary.readouterr().out
    assert by_task(out, names) == {name: sim.log_lines(UUID, None, name) for name in names}
    assert len(sim.faults.applied) > 10
    assert t.now() - job.end_ms / 1000 <= BOUND


def test_a_restart_from_the_cursor_file_of_a_big_job_with_faults_ends_with_every_line_once(
        simulator, t, capsysbinary, tmp_path):
    names = tasks(64)
    job = Job(UUID, None, files=names, seed=7, initial_lines=40, lines_per_second=3, burst=3, duration_s=20)
    sim = simulator([job], clock=t.clock)
    sim.faults.set_rates(**ORDINARY)
    cursor = tmp_path / "cursor.json"
    stop_at = t.now() + 8  # mid-follow, as SIGTERM would (the guard raises between pages)

    def sleep(seconds):
        if t.now() > stop_at:
            raise KeyboardInterrupt
        t.sleep(seconds)

    with pytest.raises(KeyboardInterrupt):
        follow(sim, t, names, cursor_path=str(cursor), sleep=sleep)
    first = capsysbinary.readouterr().out
    assert set(json.loads(cursor.read_text())["positions"]) == set(names)
    t.sleep(5)  # down for a while; lines kept coming
    assert follow(sim, t, names, cursor_path=str(cursor)) == 0
    second = capsysbinary.readouterr().out
    assert by_task(first + second, names) == {name: sim.log_lines(UUID, None, name) for name in names}
    assert t.now() - job.end_ms / 1000 <= BOUND


def test_metrics_of_a_big_job_with_faults_ends_with_every_value_once(simulator, t, aomlog):
    from aomlog.cli.env import Environment
    from test_metrics_cli import expected_rows, per_task

    names = tasks(16)
    job = Job(UUID, None, files=names, seed=8, initial_lines=100, lines_per_second=5, burst=5, duration_s=15,
              name="live")
    sim = simulator([job], clock=t.clock)
    sim.faults.set_rates(**ORDINARY)
    r = aomlog("metrics", "live", "--all-tasks", "-f", "-o", "csv", *conn_args(sim),
               env=Environment(sleep=t.sleep, clock=t.now))
    assert r.status == 0, r
    rows = list(csv.reader(io.StringIO(r.out.decode())))
    assert rows[0][0] == "step" and per_task(rows[1:]) == expected_rows(sim, names)
    assert t.now() - job.end_ms / 1000 <= BOUND


# -- the follower alone, on a scripted API --------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Failing(FakeApi):
    """Stream "b" fails (503) until ``b_answers_at``; the job is final from ``ends_at`` on."""

    def __init__(self, clock, ends_at, b_answers_at):
        super().__init__({"a": ["a0", "a1"], "b": ["b0", "b1"]})
        self.clock, self.ends_at, self.b_answers_at = clock, ends_at, b_answers_at
        self.asked, self.read = [], []

    def state(self, job):
        self.asked.append(self.clock.now)
        final = self.clock.now >= self.ends_at
        return JobState(Phase.SUCCEEDED if final else Phase.RUNNING, "COMPLETED" if final else "RUNNING")

    def fetch(self, target, *args):
        self.read.append((self.clock.now, target.stream))
        if target.stream == "b" and self.clock.now < self.b_answers_at:
            raise ApiError("the API is unavailable (HTTP 503)", transient=True)
        return super().fetch(target, *args)


def scripted(ends_at, b_answers_at, order=("a", "b")):
    clock = Clock()
    api = Failing(clock, ends_at, b_answers_at)
    readers = [LogReader(api, Target(JobRef("v1", "1", "1"), name)) for name in order]
    for reader in readers:
        reader.cursor = "1001"  # caught up
    follower = Follower(readers, lambda: api.state(None), timing=Timing(), clock=lambda: clock.now,
                        sleep=clock.sleep)
    return clock, api, follower


def run(follower, state=None):
    pages = follower.run(state)
    try:
        while True:
            next(pages)
    except StopIteration as done:
        return done.value


def test_the_state_is_asked_on_its_schedule_while_a_stream_keeps_failing():
    clock, api, follower = scripted(ends_at=40.0, b_answers_at=60.0)
    end = run(follower)
    assert end.phase is Phase.SUCCEEDED
    # At the start, then 1, 3, 8, 16 s into the quiet spell and every 30 s: "b" failing all along.
    assert api.asked == pytest.approx([0.0, 1.0, 3.0, 8.0, 16.0, 46.0], abs=1e-6)


def test_once_final_each_stream_is_read_to_its_end_and_again_for_late_lines_in_its_own_time():
    clock, api, follower = scripted(ends_at=0.0, b_answers_at=25.0)
    run(follower, JobState(Phase.SUCCEEDED, "COMPLETED"))
    a = sorted(set(when for when, name in api.read if name == "a"))  # its first read has two calls: the
    b = [when for when, name in api.read if name == "b"]  # second learns which order word reads onward
    assert a == pytest.approx([0.0, 2.0])  # its end, then the late lines: "b" held it up not at all
    answered = sorted(set(when for when in b if when >= 25.0))
    assert len(answered) == 2 and answered[1] == pytest.approx(answered[0] + 2.0)  # "b" the same, once it answers
    assert len(b) > 4  # tried again and again meanwhile, backing off
    assert clock.now == pytest.approx(answered[1])  # and then the follow is over


def test_a_failing_stream_puts_off_neither_the_others_nor_the_end():
    clock, api, follower = scripted(ends_at=10.0, b_answers_at=12.0, order=("b", "a"))
    run(follower)
    a = sorted(set(when for when, name in api.read if name == "a"))
    assert len([when for when in a if when < 10.0]) >= 6  # read all along, "b" failing first each time
    assert max(later - earlier for earlier, later in zip(a, a[1:])) <= Timing().max_interval
    assert api.asked[-1] == pytest.approx(16.0)  # the first check after the end: 16 s into the quiet spell
    assert a[-2:] == pytest.approx([16.0, 18.0])  # "a" read to its end and again for late lines


def test_lines_that_keep_coming_are_read_at_the_interval_asked_for():
    clock, api, follower = scripted(ends_at=300.0, b_answers_at=0.0)
    fetch = api.fetch

    def growing(target, *args):  # a new line on "a" at each new time it is read: never quiet
        if target.stream == "a" and clock.now <= 250 and api.files["a"][-1] != f"a at {clock.now}":
            api.files["a"].append(f"a at {clock.now}")
        return fetch(target, *args)

    api.fetch = growing
    follower.timing = Timing(interval=60.0, max_interval=60.0)
    run(follower)
    a = sorted(set(when for when, name in api.read if name == "a"))
    assert a[:5] == pytest.approx([0.0, 60.0, 120.0, 180.0, 240.0])  # no quiet spell forces a read
    assert api.asked[:5] == pytest.approx([0.0, 30.0, 60.0, 90.0, 120.0])  # every 30 s, on its own


# -- events -f and usage -f: the same follower, the same end --------------------------------------

def test_events_follow_with_faults_ends_with_the_job_and_every_event_once(simulator, aomlog, t):
    from aomlog.cli.env import Environment
    from aomlog.simulator.model import story
    from storyjob import UUID as STORY, failing_job

    sim = simulator([failing_job(chatter_s=3)], clock=t.clock)
    sim.faults.set_rates(**ORDINARY)
    sim.faults.push("503", only="v2-events")  # the first read too is ridden out
    r = aomlog("events", STORY, "-f", "-o", "json", *conn_args(sim),
               env=Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep))
    assert r.status == 5, r  # the job failed
    got = [tuple(json.loads(line)[k] for k in ("level", "source", "message")) for line in r.out.decode().splitlines()]
    assert got == [(e.level, e.source, e.message) for e in story.events(sim.job(STORY), t.now())]
    assert len(got) > 100 and got[-1][2] == "Job failed: task worker-1 exited abnormally."
    assert len(sim.faults.applied) > 10  # it met faults, and they held nothing up
    assert t.now() - sim.job(STORY).end_ms / 1000 <= BOUND
    assert "Failed after 5m00s" in r.err


def test_usage_follow_with_faults_reads_each_minute_until_the_job_ends(simulator, aomlog, t):
    from aomlog.cli.env import Environment
    from aomlog.engine.usagefeed import EVERY
    from test_usage import UUID as USAGE, expected_rows, job

    sim = simulator([job()], clock=t.clock)
    t.clock.advance(25)  # running
    sim.faults.set_rates(**ORDINARY)  # too few requests a minute to meet many: a fault is pushed each minute
    sim.faults.push("503", only="v2-metrics")  # the first reading too is ridden out

    def sleep(seconds):
        if seconds >= 30:  # a minute's wait: its reading fails once, and so does a call for the job's story
            sim.faults.push("429", only="v2-metrics")
            sim.faults.push("drop", only="v2-detail")
        t.sleep(seconds)

    r = aomlog("usage", USAGE, "-f", "--metric", "gpuUtil", "-o", "csv", *conn_args(sim),
               env=Environment(clock=t.now, sleep=sleep, retry_sleep=t.sleep))
    assert r.status == 0, r
    rows = [line.split(",") for line in r.out.decode().splitlines()[1:]]
    assert len(rows) == len({(row[0], row[1]) for row in rows})  # each minute of each task once
    final = [row for row in expected_rows(sim, t.now(), sim.job(USAGE).end_ms) if row[2] == "gpuUtil"]
    for task in ("worker-0", "worker-1"):
        assert [float(row[3]) for row in rows if row[1] == task] == [v for _, name, _, v in final if name == task]
    assert len([kind for _, kind in sim.faults.applied if kind == "v2-detail"]) >= 4
    assert t.now() - sim.job(USAGE).end_ms / 1000 <= EVERY + BOUND  # the next minute's reading, faults or not
    assert "Completed after 5m00s" in r.err
