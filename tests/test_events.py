"""``aomlog events`` over real HTTP against the simulator: every event once, oldest first, as
tab-separated columns, JSON Lines or rows on a terminal; by level and time; followed on a
manual clock until the job ends; a refused call names the permission; v1 jobs have none."""

import io
import json

import pytest

from aomlog.api.family import JobRef
from aomlog.cli.env import Environment
from aomlog.engine.events import EventFeed
from aomlog.engine.settings import Collaborators
from aomlog.api.apis import Apis
from aomlog.output.events import EventsText
from aomlog.output.terminal import Destination
from aomlog.simulator import Job
from aomlog.simulator.model import story
from aomlog.transport.client import Client

from conftest import conn_args
from storyjob import UUID, failing_job



def truth(sim, now):
    return story.events(sim.job(UUID), now)


def iso(ms):
    from aomlog.timefmt import iso_time
    return iso_time(ms)


@pytest.mark.parametrize("times", ["iso", "ms", "ms-string"])
def test_every_event_once_as_tab_separated_columns(simulator, aomlog, t, times):
    sim = simulator([failing_job(chatter_s=2)], clock=t.clock, story_times=times, events_offset="pages")
    t.clock.advance(400)
    r = aomlog("events", UUID, *conn_args(sim))
    assert r.status == 0, r
    want = [f"{iso(e.time)}\t{e.level}\t{e.source}\t{e.message}" for e in truth(sim, t.now())]
    assert len(want) > 150
    assert r.out.decode().splitlines() == want


def test_json_lines_by_level(simulator, aomlog, t):
    sim = simulator([failing_job()], clock=t.clock)
    t.clock.advance(400)
    r = aomlog("events", UUID, "--level", "warning", "--level", "Error", "-o", "json", *conn_args(sim))
    assert r.status == 0, r
    got = [json.loads(line) for line in r.out.decode().splitlines()]
    want = [e for e in truth(sim, t.now()) if e.level in ("Warning", "Error")]
    assert got == [{"time": iso(e.time), "level": e.level, "source": e.source, "message": e.message} for e in want]
    assert [g["level"] for g in got] == ["Warning", "Warning", "Error", "Error"]


def test_since_a_time(simulator, aomlog, t):
    sim = simulator([failing_job()], clock=t.clock)
    t.clock.advance(400)
    every = truth(sim, t.now())
    since = iso(every[4].time)
    r = aomlog("events", UUID, "--since", since, "-o", "json", *conn_args(sim))
    assert [json.loads(line)["message"] for line in r.out.decode().splitlines()] == [e.message for e in every[4:]]


def test_follow_prints_each_event_once_until_the_job_ends(simulator, aomlog, t):
    sim = simulator([failing_job(chatter_s=7)], clock=t.clock)
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("events", UUID, "-f", "-o", "json", *conn_args(sim), env=env)
    assert r.status == 5, r  # the job failed
    got = [json.loads(line)["message"] for line in r.out.decode().splitlines()]
    assert got == [e.message for e in truth(sim, t.now())]
    assert got[-1] == "Job failed: task worker-1 exited abnormally."
    assert "Failed after 5m00s" in r.err
    assert max(t.sleeps) <= 10  # polled, never more than the longest wait apart


def test_follow_rides_out_failures(simulator, t):
    sim = simulator([failing_job()], clock=t.clock)
    api = Apis(Client(sim.url, "p", retries=0)).v2
    told = []
    feed = EventFeed(api, JobRef("v2", UUID), follow=True,
                     using=Collaborators(clock=t.now, sleep=t.sleep, notify=told.append))
    batches = feed.batches()
    first = next(batches)
    sim.faults.push("503", "503", "500", only="v2-events")
    got = list(first)
    try:
        while True:
            got.extend(next(batches))
    except StopIteration as done:
        assert done.value.name == "Failed"
    assert [e.key for e in got] == [e.key for e in api.events(JobRef("v2", UUID))]
    assert len(set(e.key for e in got)) == len(got)


def test_on_a_terminal_local_times_and_coloured_levels(simulator, t):
    sim = simulator([failing_job()], clock=t.clock)
    t.clock.advance(400)
    events = Apis(Client(sim.url, "p")).v2.events(JobRef("v2", UUID), level="Error")
    out = io.BytesIO()
    EventsText(Destination(out, tty=True, color=True)).write(events)
    first = out.getvalue().decode().splitlines()[0]
    assert "\x1b[31mError  \x1b[0m  Task  worker-1 exited with code 137" in first
    out = io.BytesIO()
    EventsText(Destination(out, tty=True, color=False)).write(events)
    assert "\x1b" not in out.getvalue().decode()


def test_a_refused_call_names_the_permission(simulator, aomlog):
    sim = simulator([failing_job()])
    sim.faults.push("403", only="v2-events")
    r = aomlog("events", UUID, *conn_args(sim))
    assert r.status == 3 and r.out == b""
    assert "modelarts:trainJob:listEvents" in r.err and "Traceback" not in r.err


def test_a_v1_job_is_a_usage_error(simulator, aomlog):
    sim = simulator([Job(10, 10)])
    r = aomlog("events", "10", "10", *conn_args(sim))
    assert r.status == 2 and r.out == b""
    assert "is a v1 job" in r.err and "only for v2 jobs" in r.err


def test_a_read_with_no_event_keeps_the_window_where_it_was():
    """An empty answer is no time that could not be read: the next read still asks only for
    the events since the newest one shown, not for the whole history again."""
    from aomlog.api.family import JobRef
    from aomlog.api.story import Event
    from aomlog.engine.events import EventReader

    class Api:
        def __init__(self):
            self.answers = [[Event(1000, "t", "Info", "Job", "created")], [], []]
            self.asked = []

        def events(self, job, level=None, since_ms=None):
            self.asked.append(since_ms)
            return self.answers.pop(0)

    api = Api()
    reader = EventReader(api, JobRef("v2", UUID))
    batches = [batch for _ in range(3) for batch in reader.onward()]
    assert [e.message for batch in batches for e in batch] == ["created"]
    assert api.asked == [None, 1000, 1000]
