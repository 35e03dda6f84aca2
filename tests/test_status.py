"""``aomlog status`` over real HTTP against the simulator: the job at a glance, as text and
as JSON; its calls side by side; what fails besides the detail left out, and said."""

import json

from aomlog.simulator import Job
from aomlog.simulator.model import ManualClock
from aomlog.simulator.model.story import Story

from conftest import conn_args
from storyjob import UUID, failing_job



def test_a_waiting_job_says_why_it_waits(simulator, aomlog):
    clock = ManualClock()
    sim = simulator([failing_job()], clock=clock)
    clock.advance(5)
    r = aomlog("status", "llama-finetune", *conn_args(sim))
    assert r.status == 0, r
    text = r.out.decode()
    assert "Phase:    Pending (Queuing)\n" in text
    assert f"Stage:    scheduling: {Story().queue_reason}\n" in text
    assert "\x1b" not in text  # a pipe gets no colour


def test_a_failed_job_names_its_tasks_exits_restarts_events_and_usage(simulator, aomlog):
    clock = ManualClock()
    sim = simulator([failing_job()], clock=clock)
    clock.advance(400)
    r = aomlog("status", UUID, *conn_args(sim))
    assert r.status == 0, r
    lines = r.out.decode().splitlines()
    assert "Phase:    Failed" in lines and "Duration: 5m00s" in lines
    assert not any(line.startswith("Stage:") for line in lines)  # it is over: no "why it waits"
    assert "  worker-1  172.16.1.3  192.168.0.9  137   OOMKilled: the container exceeded its memory limit " \
           "(64 GiB)." in lines
    assert "  worker-0  172.16.0.2  192.168.0.1  143   Terminated: worker-1 failed." in lines
    assert "Runs:     2 (1 fault recovery)" in lines
    assert any("worker-1  chip_fault: GPU 3 reported an uncorrectable ECC error. -> pod_reschedule, success" in line
               for line in lines)
    assert any("Error    Task  worker-1 exited with code 137" in line for line in lines)
    assert "Usage (%; last / mean):" in lines
    assert lines[lines.index("Usage (%; last / mean):") + 1].split() == ["TASK", "GPU", "GPU", "memory", "CPU",
                                                                           "memory"]


def test_json_has_the_promised_keys(simulator, aomlog):
    clock = ManualClock()
    sim = simulator([failing_job(accelerator="cpu")], clock=clock, usage_scale="fraction")
    clock.advance(400)
    r = aomlog("status", UUID, "-o", "json", *conn_args(sim))
    assert r.status == 0, r
    (line,) = r.out.decode().splitlines()
    got = json.loads(line)
    assert {"id", "name", "phase", "secondary_phase", "created", "duration_ms", "stage", "tasks", "restarts",
            "events"} <= set(got)
    assert (got["id"], got["name"], got["phase"], got["duration_ms"]) == (UUID, "llama-finetune", "Failed", 300000)
    assert got["tasks"][1] == {"task": "worker-1", "ip": "172.16.1.3", "host_ip": "192.168.0.9", "exit_code": 137,
                               "message": "OOMKilled: the container exceeded its memory limit (64 GiB)."}
    assert [(r["task"], r["fault"], r["recover"], r["result"]) for r in got["restarts"]] == [
        ("worker-1", "chip_fault", "pod_reschedule", "success")]
    assert got["events"][-1]["level"] == "Error" and got["events"][-1]["time"].startswith("2026-11-27T")
    # fractions of 1 are read as such and shown in percent; a CPU job has no GPU metrics
    assert got["usage_read_as_fractions"] is True
    assert sorted(got["usage"]["worker-0"]) == ["cpuUsage", "memUsage"]
    assert got["usage"]["worker-0"]["cpuUsage"]["max"] > 30


def test_every_call_of_a_64_task_job_is_made_once(simulator, aomlog):
    tasks = [f"worker-{i}" for i in range(64)]
    sim = simulator([Job(UUID, None, files=tasks, total_lines=10, name="big")])
    r = aomlog("status", UUID, *conn_args(sim))
    assert r.status == 0, r
    assert sum(1 for line in r.out.decode().splitlines() if line.startswith("  worker-")) == 2 * 64
    assert sim.request_count["v2-metrics"] == 64 and sim.request_count["v2-events"] == 1
    peers = {req.peer for req in sim.request_log if "/metrics/" in req.path}
    assert len(peers) > 1  # side by side, on connections of their own


def test_what_fails_besides_the_detail_is_left_out_and_said(simulator, aomlog):
    sim = simulator([failing_job()])
    sim.faults.push("403", only="v2-events")
    r = aomlog("status", UUID, *conn_args(sim))
    assert r.status == 0, r
    text = r.out.decode()
    assert "Tasks:" in text and "Events (the last" not in text
    assert "Not shown: events: listing the events of job %s was refused: it needs the permission " \
           "modelarts:trainJob:listEvents" % UUID in text


def test_a_v1_job_is_a_usage_error(simulator, aomlog):
    sim = simulator([Job(10, 10)])
    r = aomlog("status", "10", "10", *conn_args(sim))
    assert r.status == 2 and r.out == b""
    assert "Error: job 10 version 10 is a v1 job" in r.err and "Hint:" in r.err
