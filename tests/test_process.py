"""The CLI as a real process: closed pipes, Ctrl-C, --version, as a user meets them."""

import signal
import subprocess

from aomlog import __version__
from aomlog.simulator import Job

from conftest import conn_args, spawn


def tail_process(sim, *args):
    return spawn(["tail", 10, 10, "--file", "log1.log", *args, *conn_args(sim)],
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def first_line_then_close(proc):
    line = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    return line


def test_closed_pipe_exits_141_quietly(simulator):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=20000, seed=4)])
    proc = tail_process(sim, "-n", "+1")
    line = first_line_then_close(proc)
    assert proc.wait(timeout=30) == 141
    assert line == (sim.log_lines(10, 10)[0] + "\n").encode()
    assert proc.stderr.read() == b""


def idle_job():
    """A running job that has said all it will say for a long while."""
    return Job(10, 10, files=["log1.log"], seed=4, initial_lines=100, lines_per_second=1e-6)


def test_closed_pipe_while_following_an_idle_log_exits_promptly(simulator):
    sim = simulator([idle_job()])
    proc = tail_process(sim, "-f", "-n", "3", "--interval", "60", "--max-interval", "60")
    first_line_then_close(proc)
    # It sleeps up to 60 s between polls, yet notices the closed pipe at once.
    assert proc.wait(timeout=20) == 141
    assert proc.stderr.read() == b""


def test_ctrl_c_exits_130_quietly(simulator):
    sim = simulator([idle_job()])
    proc = tail_process(sim, "-f", "-n", "3")
    assert proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 130
    assert proc.stderr.read() == b""


def test_python_m_and_version():
    proc = spawn(["--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert out.decode().strip() == f"aomlog, version {__version__}"


def test_unknown_command_is_a_usage_error():
    proc = spawn(["tial"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert err.decode().splitlines()[0].startswith("Error: No such command 'tial'")
    assert "Traceback" not in err.decode()


def start_simulate(env, *args):
    """`aomlog simulate` as a user starts it; returns the process and its URL."""
    import re

    proc = spawn(["simulate", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                 env_extra=env)
    for line in iter(proc.stdout.readline, b""):
        found = re.search(rb"http://127\.0\.0\.1:\d+", line)
        if found:
            return proc, found.group(0).decode()
    raise AssertionError(proc.stderr.read().decode())


def test_simulate_with_aksk_accepts_the_pair_and_rejects_another():
    pair = {"HUAWEICLOUD_SDK_AK": "AKSIMTEST000000000000", "HUAWEICLOUD_SDK_SK": "sk-for-the-simulator-0123456789"}
    sim, url = start_simulate(pair, "--auth", "aksk", "--lines", "30")
    try:
        args = ["tail", "resnet50-train", "-n", 5, "--endpoint", url, "--project-id", "p"]  # a signed POST too
        good = spawn(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env_extra=pair)
        out, err = good.communicate(timeout=30)
        assert (good.returncode, len(out.splitlines())) == (0, 5), err
        wrong = dict(pair, HUAWEICLOUD_SDK_SK="not-the-simulators-secret-key")
        bad = spawn(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env_extra=wrong)
        out, err = bad.communicate(timeout=30)
        assert bad.returncode == 3
        assert out == b""
        assert err.decode().startswith("Error: the API rejected access key AKSIMTEST000000000000 from $HUAWEICLOUD_SDK_AK"), err
        assert b"not-the-simulators-secret-key" not in err
    finally:
        sim.send_signal(signal.SIGINT)
        sim.wait(timeout=20)


def test_the_demo_waits_for_its_job_follows_both_workers_and_draws_the_curves(capsysbinary):
    """The README's first command, on a clock that its sleeps move: the simulated job's life in a moment."""
    from aomlog.cli.simulate import run_demo
    from aomlog.simulator import ManualClock, demo_job_v2

    assert run_demo(clock=ManualClock(), curves=True) == 0
    out, err = capsysbinary.readouterr()
    out, err = out.decode(), err.decode()
    assert "is Creating: waiting for it to start" in err or "is Pending" in err
    assert "resnet50-demo" in err and "Completed after 30s" in err
    assert "is Pending (Queuing): Waiting for resources" in err  # why it waits
    assert "aomlog: fault recovery: worker-1 had a chip_fault" in err
    assert "aomlog demo: and the job at a glance, as 'aomlog status resnet50-demo' shows it:" in err
    assert "Phase:    Completed" in out and "Runs:     2 (1 fault recovery)" in out
    lines = out.split("\n")
    from aomlog.simulator import DEMO_V2_ID, Simulator

    clock = ManualClock()
    twin = Simulator([demo_job_v2()], clock=clock)  # the same job on the same clock: the same log
    clock.advance(3600)
    for task in ("worker-0", "worker-1"):
        prefix = f"[{task}] "
        assert [line[len(prefix):] for line in lines if line.startswith(prefix)] == \
            twin.log_lines(DEMO_V2_ID, None, task)  # every line from the first, once
    assert "METRIC" in out and "loss" in out  # the curves, drawn


def test_the_demo_says_how_to_start_a_simulator_like_its_own_and_follow_it(capsysbinary):
    """Its own simulator stops with the demo: the command to paste starts one first."""
    import json
    import shlex

    from aomlog.cli.simulate import run_demo, simulate
    from aomlog.simulator import ManualClock, demo_job_v2

    assert run_demo(clock=ManualClock(), curves=False) == 0
    said = capsysbinary.readouterr().err.decode().split("\n")
    url = said[0].split(" at ", 1)[1].split(". ", 1)[0]
    start, follow = shlex.split(said[1]), shlex.split(said[2])
    assert start[:2] == ["aomlog", "simulate"] and start[-1] == "&"
    assert start[start.index("--port") + 1] == url.rsplit(":", 1)[1]
    endpoint, project = follow[0].split("=", 1)[1], follow[1].split("=", 1)[1]
    assert endpoint == url and follow[2:] == ["aomlog", "tail", "resnet50-demo", "--all-tasks", "-f"]
    args = start[2:-1]
    job, given = demo_job_v2(), simulate.make_context("simulate", list(args)).params
    assert (given["tasks"], given["name"], given["total_lines"], given["rate"], given["duration"],
            given["start_delay"], given["seed"]) == (len(job.files), job.name, job.history, job.rate, job.duration_s,
                                                     job.start_delay, job.seed)  # the demo's job
    assert given["fault_at"] == job.story.faults[0].at_s  # and the fault it recovers from
    args[args.index("--port") + 1] = "0"  # the demo's port may be taken by now
    sim = spawn(["simulate", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        served = sim.stdout.readline().decode().split()[2]  # "aomlog simulator: http://..."
        env = {"AOMLOG_ENDPOINT": served, "HUAWEICLOUD_SDK_PROJECT_ID": project}
        jobs = spawn(["jobs", "-o", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env_extra=env)
        out, err = jobs.communicate(timeout=30)
        assert jobs.returncode == 0, err
        assert [row["name"] for row in map(json.loads, out.splitlines())] == ["resnet50-demo"]
    finally:
        sim.send_signal(signal.SIGINT)
        sim.wait(timeout=20)
