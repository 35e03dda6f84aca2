"""The calls of what a v2 job tells besides its log, over real HTTP against the simulator:
events (every reading of offset and of times), stages, where tasks run, exits, recoveries
and usage, as the job's life unfolds on a manual clock; a v1 job has none of them."""

import pytest

from aomlog.api.apis import Apis
from aomlog.api.family import JobRef
from aomlog.errors import AuthError, UsageError
from aomlog.simulator import Job
from aomlog.simulator.model import ManualClock
from aomlog.simulator.model import story
from aomlog.simulator.model.story import Story
from aomlog.transport.client import Client

from storyjob import TASKS, UUID, failing_job

JOB = JobRef("v2", UUID)
story_job = failing_job


def api_of(sim):
    return Apis(Client(sim.url, "p0123", retries=0)).v2


@pytest.mark.parametrize("offset", ["items", "pages"])
@pytest.mark.parametrize("times", ["iso", "ms", "ms-string"])
def test_every_event_once_oldest_first_whatever_offset_and_times_mean(simulator, offset, times):
    clock = ManualClock()
    sim = simulator([story_job(chatter_s=1)], clock=clock, events_offset=offset, story_times=times)
    clock.advance(400)  # ~300 checkpoints: four pages of events
    truth = story.events(sim.job(UUID), clock.now())
    sim.reset_requests()
    got = api_of(sim).events(JOB)
    assert [(e.time_ms, e.level, e.source, e.message) for e in got] == [tuple(e) for e in truth]
    assert len(truth) > 300
    assert 4 <= sim.request_count["v2-events"] <= 5
    assert all(int(r.query["limit"]) <= 100 for r in sim.request_log if r.path.endswith("/events"))


def test_a_short_list_of_events_is_one_request(simulator):
    clock = ManualClock()
    sim = simulator([story_job()], clock=clock)
    clock.advance(30)
    got = api_of(sim).events(JOB)
    assert [e.message for e in got][:2] == ["Job created.", Story().queue_reason]
    assert sim.request_count["v2-events"] == 1


def test_events_of_a_level_and_since_a_time(simulator):
    clock = ManualClock()
    sim = simulator([story_job()], clock=clock)
    clock.advance(400)
    api = api_of(sim)
    errors = api.events(JOB, level="Error")
    assert [e.message for e in errors] == [
        "worker-1 exited with code 137: OOMKilled: the container exceeded its memory limit (64 GiB).",
        "Job failed: task worker-1 exited abnormally."]
    every = api.events(JOB)
    later = api.events(JOB, since_ms=every[3].time_ms)
    assert later == every[3:]


def test_the_stage_says_why_a_job_waits_and_changes_as_it_goes(simulator):
    clock = ManualClock()
    sim = simulator([story_job()], clock=clock)
    api = api_of(sim)
    assert api.stage(JOB) is None  # being created
    clock.advance(5)
    assert (api.stage(JOB).name, api.stage(JOB).message) == ("scheduling", Story().queue_reason)
    clock.advance(10)
    assert api.stage(JOB).name == "preparing" and "Pulling image" in api.stage(JOB).message
    clock.advance(5)
    assert api.stage(JOB).name == "running"
    clock.advance(103)  # 3 s after the fault: the second run is being prepared
    assert (api.stage(JOB).run, api.stage(JOB).name) == (2, "preparing")
    clock.advance(3)
    assert (api.stage(JOB).run, api.stage(JOB).name) == (2, "running")


def test_tasks_exits_runs_and_recoveries(simulator):
    clock = ManualClock()
    sim = simulator([story_job()], clock=clock)
    api = api_of(sim)
    clock.advance(25)
    told = api.story(JOB)
    assert (told.state.name, told.ends, told.runs, told.recoveries) == ("Running", [], 1, [])
    clock.advance(200)
    assert [p.task for p in api.places(JOB)] == TASKS
    assert [p.rounds for p in api.places(JOB)] == [1, 2]  # worker-1 was rescheduled
    clock.advance(200)
    told = api.story(JOB)
    assert told.state.name == "Failed" and told.runs == 2 and told.tasks == TASKS
    assert [(e.task, e.exit_code) for e in told.ends] == [("worker-0", 143), ("worker-1", 137)]
    assert "OOMKilled" in told.ends[1].message
    (fault,) = told.recoveries
    assert (fault.task, fault.scenario, fault.recover, fault.result) == ("worker-1", "chip_fault", "pod_reschedule",
                                                                         "success")
    assert fault.end_ms - fault.start_ms == 5000


def test_usage_rises_once_training_runs_and_only_metrics_the_hardware_has(simulator):
    clock = ManualClock()
    sim = simulator([story_job(accelerator="npu", idle_task="worker-0")], clock=clock)
    api = api_of(sim)
    assert api.usage(JOB, "worker-1") == {}  # not started: nothing yet
    clock.advance(20 + 180)
    usage = api.usage(JOB, "worker-1")
    assert sorted(usage) == ["cpuUsage", "memUsage", "npuMemUsage", "npuUtil"]
    assert len(usage["npuUtil"]) == 4 and usage["npuUtil"][0] < 20 < 70 < min(usage["npuUtil"][1:])
    assert max(api.usage(JOB, "worker-0")["npuUtil"]) < 20  # the idle task


def test_a_v1_job_has_none_of_it(simulator):
    sim = simulator([Job(10, 10)])
    api = Apis(Client(sim.url, "p0123", retries=0)).v1
    for call in (lambda j: api.events(j), api.stage, api.places, api.story, lambda j: api.usage(j, "log1.log")):
        with pytest.raises(UsageError, match="v1 job.*only for v2 jobs"):
            call(JobRef("v1", "10", "10"))


def test_a_refused_events_call_names_the_permission(simulator):
    sim = simulator([story_job()])
    sim.faults.push("403", only="v2-events")
    with pytest.raises(AuthError, match="modelarts:trainJob:listEvents"):
        api_of(sim).events(JOB)


BASE_MS = 1764228759000  # 2025-11-27T07:32:39Z


@pytest.mark.parametrize("text, ms", [
    ("2025-11-27T07:32:39.123456789Z", BASE_MS + 123),  # nanoseconds
    ("2025-11-27T07:32:39.25Z", BASE_MS + 250),
    ("2025-11-27T15:32:39.5+08:00", BASE_MS + 500),
    ("2025-11-27T15:32:39+0800", BASE_MS),  # an offset without its colon
    ("2025-11-27 07:32:39,5z", BASE_MS + 500),
    ("2025-11-27T07:32:39.123+00:00", BASE_MS + 123),
    ("1764228759000", BASE_MS),
    (1764228759000, BASE_MS),
    ("not a time", None),
])
def test_event_times_in_every_iso_8601_form_on_every_python(text, ms):
    """Python before 3.11 reads only 3- or 6-digit fractions and +HH:MM: these forms were None
    there (events unsorted, shown raw, the window of events -f lost)."""
    from aomlog.api.storyfields import millis

    assert millis(text) == ms
