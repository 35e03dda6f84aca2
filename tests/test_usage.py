"""``aomlog usage`` over real HTTP against the simulator: each task's usage as CSV rows
(time,task,metric,value, the minutes counted back from the job's end or from now), JSON
Lines, or charts; by task and metric; followed each minute on a manual clock."""

import io
import json
import os
from datetime import datetime, timezone

from aomlog.cli.env import Environment
from aomlog.metrics.usageview import UsageView
from aomlog.output.terminal import Destination
from aomlog.simulator import Job
from aomlog.simulator.model import story
from aomlog.simulator.model.story import Story

from conftest import conn_args
from engine import Time

UUID = "4b1c2d3e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
TASKS = ["worker-0", "worker-1"]
SHOWN = ["gpuUtil", "gpuMemUsage", "npuUtil", "npuMemUsage", "cpuUsage", "memUsage"]  # accelerators first


def job(**story_given):
    return Job(UUID, None, files=TASKS, lines_per_second=2, duration_s=300, start_delay=20, end_phase="Completed",
               story=Story(**story_given))


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).astimezone().isoformat(timespec="seconds")


def expected_rows(sim, now, anchor_ms, scale=1.0):
    last = anchor_ms - anchor_ms % 60000
    rows = []
    for task in TASKS:
        for metric, values in story.usage(sim.job(UUID), task, now):
            rows += [(last - (len(values) - 1 - i) * 60000, task, metric, round(v / scale, 4))
                     for i, v in enumerate(values)]
    return sorted(rows, key=lambda r: (r[0], TASKS.index(r[1]), SHOWN.index(r[2])))


def test_csv_rows_count_back_from_the_end_of_an_ended_job(simulator, aomlog, t):
    sim = simulator([job()], clock=t.clock)
    t.clock.advance(400)
    r = aomlog("usage", UUID, *conn_args(sim))
    assert r.status == 0, r
    lines = r.out.decode().splitlines()
    assert lines[0] == "time,task,metric,value"
    end_ms = sim.job(UUID).end_ms
    want = expected_rows(sim, t.now(), end_ms)
    assert len(want) == 2 * 4 * 6  # two tasks, four metrics, six minutes
    got = [line.split(",") for line in lines[1:]]
    assert [(row[0], row[1], row[2], float(row[3])) for row in got] == [(iso(ms), task, metric, v)
                                                                        for ms, task, metric, v in want]
    # metric order: the accelerator first; rising once training runs
    assert [row[2] for row in got[:4]] == ["gpuUtil", "gpuMemUsage", "cpuUsage", "memUsage"]


def test_json_by_task_and_metric_and_as_the_api_gives_it(simulator, aomlog, t):
    sim = simulator([job(accelerator="cpu")], clock=t.clock, usage_scale="fraction")
    t.clock.advance(400)
    r = aomlog("usage", UUID, "--task", "worker-1", "--metric", "cpuusage", "-o", "json", *conn_args(sim))
    assert r.status == 0, r
    got = [json.loads(line) for line in r.out.decode().splitlines()]
    want = [row for row in expected_rows(sim, t.now(), sim.job(UUID).end_ms, scale=100.0)
            if row[1] == "worker-1" and row[2] == "cpuUsage"]
    assert got == [{"time": iso(ms), "task": task, "metric": metric, "value": v} for ms, task, metric, v in want]
    assert all(0 < row["value"] <= 1 for row in got)


def test_follow_adds_each_minute_until_the_job_ends(simulator, aomlog):
    t = Time()
    sim = simulator([job()], clock=t.clock)
    t.clock.advance(25)  # running
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("usage", UUID, "-f", "--metric", "gpuUtil", *conn_args(sim), env=env)
    assert r.status == 0, r
    rows = [line.split(",") for line in r.out.decode().splitlines()[1:]]
    assert len(rows) == len({(row[0], row[1]) for row in rows})  # each minute of each task once
    final = [row for row in expected_rows(sim, t.now(), sim.job(UUID).end_ms) if row[2] == "gpuUtil"]
    assert [float(row[3]) for row in rows if row[1] == "worker-0"] == [v for _, task, _, v in final
                                                                       if task == "worker-0"]
    assert set(t.sleeps) == {60.0} and "Completed after 5m00s" in r.err


def test_a_chart_per_metric_a_table_and_the_idle_task(simulator, t, monkeypatch):
    from aomlog.api.apis import Apis
    from aomlog.api.family import JobRef
    from aomlog.transport.client import Client

    sim = simulator([job(idle_task="worker-1")], clock=t.clock)
    t.clock.advance(400)
    api = Apis(Client(sim.url, "p")).v2
    usages = {task: api.usage(JobRef("v2", UUID), task) for task in TASKS}
    for rows, charted in ((80, ["GPU %", "GPU memory %", "CPU %", "memory %"]), (40, ["GPU %"])):
        monkeypatch.setattr("aomlog.output.terminal.size", lambda: os.terminal_size((100, rows)))
        text = io.StringIO()
        UsageView(Destination(io.BytesIO(), tty=True, color=False, text=text)).write(usages, 0)
        drawn = text.getvalue()
        assert [line.strip() for line in drawn.splitlines() if line.strip().endswith(" %")] == charted
        assert ("Not charted for want of room: gpuMemUsage, cpuUsage, memUsage" in drawn) == (rows == 40)
        assert "worker-1: its accelerator stays nearly idle while the others work" in drawn
        assert "\x1b[" not in drawn
        assert len(drawn.splitlines()) < rows  # it fits: no chart squashed to fit either


def test_a_chart_is_never_squashed_below_a_readable_height(simulator, t, monkeypatch):
    from aomlog.api.apis import Apis
    from aomlog.api.family import JobRef
    from aomlog.metrics.charts import CHART_ROWS
    from aomlog.transport.client import Client

    sim = simulator([job()], clock=t.clock)
    t.clock.advance(400)
    api = Apis(Client(sim.url, "p")).v2
    usages = {task: api.usage(JobRef("v2", UUID), task) for task in TASKS}
    monkeypatch.setattr("aomlog.output.terminal.size", lambda: os.terminal_size((100, 38)))
    text = io.StringIO()
    UsageView(Destination(io.BytesIO(), tty=True, color=False, text=text)).write(usages, 0)
    frames = [i for i, line in enumerate(text.getvalue().splitlines()) if line.lstrip().startswith("┌")]
    ends = [i for i, line in enumerate(text.getvalue().splitlines()) if line.lstrip().startswith("└")]
    assert frames and all(end - top - 1 >= CHART_ROWS[0] - 6 for top, end in zip(frames, ends))


def test_a_v1_job_is_a_usage_error(simulator, aomlog):
    sim = simulator([Job(10, 10)])
    r = aomlog("usage", "10", "10", *conn_args(sim))
    assert r.status == 2 and "is a v1 job" in r.err


def test_an_unknown_task_is_named_with_the_tasks_the_job_has(simulator, aomlog, t):
    sim = simulator([job()], clock=t.clock)
    t.clock.advance(400)
    r = aomlog("usage", UUID, "--task", "worker-9", *conn_args(sim))
    assert r.status == 4 and r.out == b""
    assert r.err.splitlines()[0] == f"Error: job {UUID} has no task worker-9"
    assert r.err.splitlines()[1] == f"Hint: Its tasks: {', '.join(TASKS)}."
