"""``tail -f`` of a v2 job tells its story on stderr, over real HTTP against the simulator on a
manual clock: why it waits, new warning and error events, fault recoveries, and at the end
each task's non-zero exit, why it ended and where the first traceback began. stdout stays
the log, byte for byte; the extras fail silently (one line with --debug)."""

import pytest

from aomlog.cli.env import Environment
from aomlog.simulator import Job
from aomlog.simulator.model.story import Story

from conftest import conn_args, expected_bytes
from engine import Time
from storyjob import TASKS, UUID, failing_job

QUEUED = Story().queue_reason


def follow(simulator, aomlog, *extra, faults=None):
    t = Time()
    sim = simulator([failing_job(seed=5)], clock=t.clock)
    if faults:
        faults(sim)
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("tail", UUID, "--task", "worker-1", "-f", *extra, *conn_args(sim), env=env)
    assert r.status == 5, r
    assert r.out == expected_bytes(sim.log_lines(UUID, None, "worker-1"))  # the log, byte for byte
    return r.err.splitlines()


def test_the_story_on_stderr(simulator, aomlog):
    err = follow(simulator, aomlog)
    waiting = [line for line in err if line.endswith("(Ctrl-C to stop)")]
    assert waiting[:2] == [f"aomlog: job {UUID} is Creating: waiting for it to start (Ctrl-C to stop)",
                           f"aomlog: job {UUID} is Pending (Queuing): {QUEUED} (Ctrl-C to stop)"]
    assert any(": Pulling image" in line for line in waiting)  # it changes when the stage does
    assert len(waiting) == len(set(waiting))  # and only then
    assert err.count("aomlog: Warning event (Job): Fault in worker-1 (chip_fault): GPU 3 reported an uncorrectable "
                     "ECC error. Recovering by pod_reschedule.") == 1
    assert err.count("aomlog: fault recovery: worker-1 had a chip_fault (GPU 3 reported an uncorrectable ECC "
                     "error.); recovered by pod_reschedule: success") == 1
    errors = [line for line in err if line.startswith("aomlog: Error event")]
    assert errors == ["aomlog: Error event (Task): worker-1 exited with code 137: OOMKilled: the container "
                      "exceeded its memory limit (64 GiB).",
                      "aomlog: Error event (Job): Job failed: task worker-1 exited abnormally."]
    end = err[err.index(f"aomlog: job {UUID} Failed after 5m00s"):]
    assert end[1:4] == ["aomlog: worker-0 exit 143: Terminated: worker-1 failed.",
                        "aomlog: worker-1 exit 137: OOMKilled: the container exceeded its memory limit (64 GiB).",
                        "aomlog: why it ended: Job failed: task worker-1 exited abnormally."]


def test_no_events_turns_the_event_notices_off(simulator, aomlog):
    err = follow(simulator, aomlog, "--no-events")
    assert not any(" event (" in line for line in err)
    assert any(line.startswith("aomlog: fault recovery: worker-1") for line in err)
    assert "aomlog: why it ended: Job failed: task worker-1 exited abnormally." in err


@pytest.mark.parametrize("kind", ["403", "500"])
def test_extras_that_fail_say_nothing_and_the_log_goes_on(simulator, aomlog, kind):
    def refuse(sim):
        sim.faults.rate_scope = None
        sim.faults.set_rates(**{kind: 1.0})
        sim.faults.rate_scope = "v2-events"

    err = follow(simulator, aomlog, faults=refuse)
    assert not any("event" in line or "retrying" in line for line in err), err
    assert "aomlog: worker-1 exit 137: OOMKilled: the container exceeded its memory limit (64 GiB)." in err


def test_with_debug_a_failed_extra_is_one_line(simulator, aomlog):
    def refuse(sim):
        sim.faults.set_rates(**{"403": 1.0})
        sim.faults.rate_scope = "v2-stages"

    err = follow(simulator, aomlog, "--debug", faults=refuse)
    told = [line for line in err if "stages were not read" in line]
    assert len(told) == 1 and "the log goes on" in told[0]


def test_the_first_traceback_is_named(simulator, aomlog):
    t = Time()
    job = Job(UUID, None, files=TASKS, total_lines=3000, seed=3, end_phase="Failed")
    sim = simulator([job], clock=t.clock)
    lines = sim.log_lines(UUID, None, "worker-0")
    first = next(i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last):"))
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("tail", UUID, "--task", "worker-0", "-f", "-n", "+1", *conn_args(sim), env=env)
    assert r.status == 5, r
    stamp = next(line[:19] for line in reversed(lines[:first]) if line[:4].isdigit())
    assert f"aomlog: the first traceback began in worker-0 at {stamp}" in r.err.splitlines()


def test_the_summary_of_a_job_over_before_the_follow_began(simulator, aomlog):
    t = Time()
    sim = simulator([failing_job()], clock=t.clock)
    t.clock.advance(400)
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("tail", UUID, "--task", "worker-1", "-f", "-n", "0", *conn_args(sim), env=env)
    assert r.status == 5 and r.out == b""
    assert r.err.splitlines()[-3:] == [
        "aomlog: worker-0 exit 143: Terminated: worker-1 failed.",
        "aomlog: worker-1 exit 137: OOMKilled: the container exceeded its memory limit (64 GiB).",
        "aomlog: why it ended: Job failed: task worker-1 exited abnormally."]


@pytest.mark.parametrize("faults", [False, True])
def test_a_fault_recovery_is_told_while_the_job_runs(simulator, aomlog, capsysbinary, faults):
    from aomlog.simulator.model import story

    t = Time()
    sim = simulator([failing_job(seed=5)], clock=t.clock)
    if faults:  # what a long follow meets: the state's own schedule holds
        sim.faults.set_rates(**{"500": 0.025, "503": 0.025, "429": 0.03, "drop": 0.02})
    told = []  # (the clock's time, what was told on stderr by then)

    def sleep(seconds):
        told.append((t.now(), capsysbinary.readouterr().err.decode()))
        t.sleep(seconds)

    env = Environment(clock=t.now, sleep=sleep, retry_sleep=sleep)
    r = aomlog("tail", UUID, "--task", "worker-1", "-f", *conn_args(sim), env=env)
    assert r.status == 5, r
    job = sim.job(UUID)
    (_, fault_ms), = story.faults_by(job, job.end_ms)
    when = next(now for now, err in told if "aomlog: fault recovery: worker-1 had a chip_fault" in err)
    assert fault_ms / 1000 <= when <= fault_ms / 1000 + 30 + 1  # at the next check of the job's state
    assert when < job.end_ms / 1000 - 60  # while it runs, not at its end
