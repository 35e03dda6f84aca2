"""Every request aomlog sends is shaped as the official SDK shapes it: a query parameter that is
not set is left out (never ``base_line=``), and a log call's ``lines`` is within 1..500.

The simulator records each request (``request_log``); these tests run the main paths of every
command over real HTTP and look at all of them."""

import pytest

from aomlog.cli.env import Environment
from aomlog.simulator import Job

from conftest import conn_args
from engine import Time
from storyjob import UUID as STORY_UUID, failing_job

V2 = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
TASKS = [f"worker-{i}" for i in range(4)]
LOG_PATHS = ("/aom-log", "/logs/")


def check_every_request(sim, at_least=1):
    requests = list(sim.request_log)
    assert len(requests) >= at_least
    for req in requests:
        empty = sorted(name for name, value in req.query.items() if value == "")
        assert not empty, f"{req.method} {req.path} sent empty {empty}: {req.query}"
        if any(part in req.path for part in LOG_PATHS):
            assert 1 <= int(req.query["lines"]) <= 500, req
    return requests


@pytest.fixture(params=["exclusive-lax", "inclusive-strict"])
def sims(request, simulator):
    mode, strictness = request.param.split("-")
    jobs = [Job(V2, None, files=TASKS, total_lines=6000, seed=3, name="wide"),
            Job(10, 10, files=["log1.log"], total_lines=30_000, seed=4, name="long")]
    return simulator(jobs, base_line_mode=mode, strict_positions=strictness == "strict")


@pytest.mark.parametrize("args", [
    ["10", "10"], ["10", "10", "-n", "+1"], ["10", "10", "-n", "12000"], ["10", "10", "-n", "0"],
    ["10", "10", "-n", "+20000"], ["10", "10", "-n", "30000"],
    [V2, "--all-tasks", "-n", "+1"], [V2, "--all-tasks", "-n", "2500"], [V2, "--task", "worker-2", "-n", "1"],
], ids=lambda args: " ".join(args[1:]))
def test_tail_sends_no_empty_parameter_and_lines_in_range(sims, aomlog, args):
    r = aomlog("tail", *args, *conn_args(sims))
    assert r.status == 0, r
    requests = check_every_request(sims)
    assert any(any(part in req.path for part in LOG_PATHS) for req in requests)


def test_the_newest_page_is_asked_for_without_a_base_line(sims, aomlog):
    r = aomlog("tail", "10", "10", "-n", "50", *conn_args(sims))
    assert r.status == 0, r
    log_calls = [req for req in sims.request_log if "/aom-log" in req.path]
    assert log_calls and "base_line" not in log_calls[0].query


def test_metrics_sends_no_empty_parameter(sims, aomlog):
    r = aomlog("metrics", V2, "--all-tasks", "-o", "csv", *conn_args(sims))
    assert r.status == 0, r
    check_every_request(sims, at_least=5)


def test_following_and_the_story_send_no_empty_parameter(simulator, aomlog):
    t = Time()
    sim = simulator([failing_job(seed=2)], clock=t.clock)
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("tail", STORY_UUID, "--all-tasks", "-f", "-n", "0", *conn_args(sim), env=env)
    assert r.status == 5, r  # the job fails
    check_every_request(sim, at_least=20)
    for args in (["status", STORY_UUID], ["events", STORY_UUID, "--level", "warning"], ["usage", STORY_UUID],
                 ["events", STORY_UUID, "--since", "2000-01-01T00:00:00Z", "-o", "json"]):
        sim.request_log.clear()
        r = aomlog(*args, *conn_args(sim), env=env)
        assert r.status in (0, 5), (args, r)
        check_every_request(sim)


def test_a_followed_v1_log_sends_no_empty_parameter(simulator, aomlog):
    t = Time()
    sim = simulator([Job(11, 1, files=["log1.log"], lines_per_second=5, duration_s=60, seed=1)], clock=t.clock)
    env = Environment(clock=t.now, sleep=t.sleep, retry_sleep=t.sleep)
    r = aomlog("tail", "11", "1", "-f", "-n", "+1", *conn_args(sim), env=env)
    assert r.status == 0, r
    check_every_request(sim, at_least=10)
