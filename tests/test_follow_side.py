"""Many tasks followed side by side (issue 18 point 1): the streams due are read on the reader
pool, each worker on its own connection; each stream is paced on its own, the idle ones of a
job within one request budget, and a stream that wakes has the others read at once.

The simulator and the follower share one manual clock (``t``): the times asserted are the
clock's, never the wall's.
"""

import threading

import pytest

from aomlog.api import JobRef, Target
from aomlog.engine.catchup.gate import GatedApi
from aomlog.engine.follow import Timing
from aomlog.engine.lanes import END, ITEM, Lane
from aomlog.engine.pollpool import PerThread, PollGate, PollPool
from aomlog.errors import ApiError
from aomlog.simulator import RUNNING, Job
from aomlog.simulator.http.routes import KIND_V2_LOG, kind_of
from aomlog.transport.client import Client

from engine import make_tail
from fakelog import FakeApi
from test_follow_end import ORDINARY, UUID, by_task, follow, tasks

HEAVY = {"500": 0.06, "503": 0.06, "429": 0.06, "drop": 0.04, "204": 0.03}


def log_reads(sim, since=0.0, until=float("inf")):
    """(time, task) of each log request the simulator saw in [since, until]."""
    return [(r.time, r.path.rsplit("/", 1)[-1]) for r in sim.request_log
            if kind_of(r.path) == KIND_V2_LOG and since <= r.time <= until]


def stop_after(t, at):
    """A follow's sleep that ends it (as Ctrl-C would) once the clock passes ``at``."""
    def sleep(seconds):
        if t.now() >= at:
            raise KeyboardInterrupt
        t.sleep(seconds)
    return sleep


def test_every_line_once_per_task_under_heavy_faults_with_64_tasks_side_by_side(simulator, t, capsysbinary):
    names = tasks(64)
    job = Job(UUID, None, files=names, seed=12, initial_lines=30, lines_per_second=3, burst=2, duration_s=15)
    sim = simulator([job], clock=t.clock)
    sim.faults.set_rates(**HEAVY)
    assert follow(sim, t, names, parallel=8) == 0
    out = capsysbinary.readouterr().out
    assert by_task(out, names) == {name: sim.log_lines(UUID, None, name) for name in names}
    assert len(sim.faults.applied) > 50  # (the end's bound under ordinary faults: test_follow_end.py)


def test_pages_come_whole_each_task_in_order_and_the_pool_reads_them(simulator, t, monkeypatch):
    names = tasks(16)
    job = Job(UUID, None, files=names, seed=13, initial_lines=0, lines_per_second=40, burst=20, duration_s=10)
    sim = simulator([job], clock=t.clock)
    sim.faults.set_rates(**ORDINARY)
    client = Client(sim.url, "p1", retries=0, sleep=t.sleep)
    engine = make_tail(client, UUID, None, names, ("from", 1), follow=True, clock=t.now, sleep=t.sleep, parallel=8)
    threads = set()
    fetch = GatedApi.fetch

    def fetched(self, *args):
        threads.add(threading.current_thread().name)
        return fetch(self, *args)

    monkeypatch.setattr(GatedApi, "fetch", fetched)
    got = {name: [] for name in names}
    pages = 0
    for name, page in engine.pages():
        wanted = sim.log_lines(UUID, None, name)[len(got[name]):len(got[name]) + page.count]
        assert page.lines == wanted  # a page of this task, whole, right after the one before
        got[name].extend(page.lines)
        pages += 1
    assert got == {name: sim.log_lines(UUID, None, name) for name in names}
    assert pages > 2 * len(names)
    assert any(name.startswith("aomlog-poll-") for name in threads)  # the follow read on the pool


def idle_job(simulator, t, n):
    job = Job(UUID, None, files=tasks(n), seed=14, initial_lines=0, lines_per_second=2, burst=1,
              duration_s=5, end_status=RUNNING, start_time=t.now() + 1)
    return job, simulator([job], clock=t.clock)


@pytest.mark.parametrize("n", [64, 128])
def test_the_idle_tasks_of_a_job_make_at_most_4_requests_a_second_and_each_is_read_in_time(
        simulator, t, capsysbinary, n):
    job, sim = idle_job(simulator, t, n)
    quiet = job.start_time + 5
    with pytest.raises(KeyboardInterrupt):
        follow(sim, t, tasks(n), sleep=stop_after(t, quiet + 150))
    window = log_reads(sim, quiet + 30, quiet + 150)
    calls = [r for r in sim.request_log if quiet + 30 <= r.time <= quiet + 150]
    assert len(calls) / 120 <= 4.0
    longest = max(Timing().max_interval, n / Timing().idle_requests)
    for name in tasks(n):  # and none is left unread much longer than the README says (a turn
        times = [0.0] + sorted(when for when, task in window if task == name)  # or two given up
        assert max(b - a for a, b in zip(times[1:], times[2:])) <= longest + 1.0  # to a state check)
        assert len(times) >= 120 // longest


def test_a_few_tasks_are_read_at_least_every_max_interval_while_idle(simulator, t, capsysbinary):
    job, sim = idle_job(simulator, t, 4)
    quiet = job.start_time + 5
    with pytest.raises(KeyboardInterrupt):
        follow(sim, t, tasks(4), sleep=stop_after(t, quiet + 60))
    for name in tasks(4):
        times = sorted(when for when, task in log_reads(sim, quiet + 20, quiet + 60) if task == name)
        assert max(b - a for a, b in zip(times, times[1:])) <= Timing().max_interval + 1e-3


def test_a_task_that_wakes_has_the_others_read_at_once(simulator, t, capsysbinary):
    names = tasks(64)
    # Every task writes a line at the same instant, once a minute: the job's ranks, together.
    job = Job(UUID, None, files=names, seed=15, initial_lines=0, lines_per_second=1 / 60, burst=1,
              end_status=RUNNING, start_time=t.now() + 1)
    sim = simulator([job], clock=t.clock)
    client = Client(sim.url, "p1", retries=0, sleep=t.sleep)
    engine = make_tail(client, UUID, None, names, ("from", 1), follow=True, clock=t.now,
                       sleep=stop_after(t, job.start_time + 400))
    seen = {}  # line index -> {task: clock time it was handed out}
    with pytest.raises(KeyboardInterrupt):
        for name, page in engine.pages():
            for line in page.lines:
                index = sim.log_lines(UUID, None, name).index(line)
                seen.setdefault(index, {})[name] = t.now()
    assert len(seen) >= 5
    for index, when in sorted(seen.items())[1:]:  # the first came with the catch-up
        assert set(when) == set(names)
        appeared = job.start_time + index * 60
        assert min(when.values()) - appeared <= 1.0  # the first task noticed at its turn, soon
        assert max(when.values()) - min(when.values()) <= Timing().interval  # and the others at once


class Scripted:
    """A source handing out ``n`` items, noting when each is read."""

    def __init__(self, name, n, log):
        self.name, self.n, self.log = name, n, log

    def onward(self):
        for i in range(self.n):
            self.log.append(("read", self.name, i))
            yield f"{self.name}{i}"


def test_the_pool_reads_a_source_on_only_once_its_item_was_taken():
    log = []
    lanes = [Lane(Scripted(name, 3, log)) for name in "abcd"]
    pool = PollPool(3)
    try:
        order = []
        for lane, kind, item in pool.read(lanes):
            if kind == ITEM:
                name, i = item[0], int(item[1:])
                assert ("read", name, i + 1) not in log  # its position moves only once this one is taken
                log.append(("taken", name, i))
                order.append(item)
            else:
                assert kind == END
        for name in "abcd":
            assert [item for item in order if item[0] == name] == [f"{name}{i}" for i in range(3)]
    finally:
        pool.close()


def test_a_throttled_answer_halves_the_followers_connections_once_a_second_and_answers_regrow_them():
    now = [0.0]
    gate = PollGate(8, lambda: now[0])
    for _ in range(3):  # three requests made together, all throttled: one message
        gate.shrink()
    assert gate.limit == 4
    now[0] = 1.0
    gate.shrink()
    assert gate.limit == 2
    for _ in range(PollGate.REGROW_AFTER):
        with gate.slot():
            pass
    assert gate.limit == 3


def test_a_429_on_a_worker_shrinks_the_gate_and_each_worker_has_its_own_connection():
    class Throttled(FakeApi):
        def __init__(self):
            super().__init__({"a": ["a0"]})
            self.clones = []

        def clone(self, **kwargs):
            self.clones.append(threading.current_thread().name)
            return self

        def fetch(self, target, *args):
            raise ApiError("too many requests (HTTP 429)", http_status=429, transient=True)

    inner = Throttled()
    api = PerThread(inner, PollGate(8, lambda: 0.0))
    failed = []

    def worker():
        with pytest.raises(ApiError):
            api.fetch(Target(JobRef("v1", "1", "1"), "a"), None, 10, "desc")
        failed.append(True)

    threads = [threading.Thread(target=worker, name=f"w{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == [True, True] and sorted(inner.clones) == ["w0", "w1"]
    assert api.gate.limit == 4  # both at the same time: halved once
