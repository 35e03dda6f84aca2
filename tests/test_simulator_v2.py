"""The simulator's v2 jobs (docs/api-v2.md) and jobs that start after a delay,
tested over real HTTP with the stdlib only (never aomlog.transport.client)."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse

import pytest

from aomlog.simulator import (CANCELED, COMPLETED, FAILED, INIT, KILLED, LOST, RUNNING, WAITING, Faults, Job,
                              ManualClock, Simulator, default_jobs, demo_job_v2)

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
OTHER = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
P = "0123456789abcdef"
TASKS = ["worker-0", "worker-1"]


def call(sim, method, path, query=None, body=None):
    """(status, headers, raw body) over a fresh connection; HTTP errors are answers."""
    target = path + ("?" + urllib.parse.urlencode(query) if query else "")
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        conn.request(method, target, body=body, headers={"Content-Type": "application/json"} if body else {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def get_json(sim, path, **query):
    status, _, body = call(sim, "GET", path, query)
    return status, json.loads(body) if body else None


def detail(sim, job_id=UUID):
    status, d = get_json(sim, "/v2/%s/training-jobs/%s" % (P, job_id))
    assert status == 200, d
    return d


def log_page(sim, job_id=UUID, task="worker-0", **query):
    return get_json(sim, "/v2/%s/training-jobs/%s/logs/%s" % (P, job_id, task), **query)


def ok_page(sim, **query):
    status, page = log_page(sim, **query)
    assert status == 200, page
    return page


def lines_of(page):
    return page["content"].split("\n") if page["lines"] else []


@pytest.fixture
def sim():
    with Simulator([Job(UUID, None, files=TASKS, total_lines=700, seed=1, name="trainjob-resnet"),
                    Job(10, 10, total_lines=100, seed=2)]) as s:
        yield s


# -- the Job model ---------------------------------------------------------------

def test_v1_and_v2_jobs_are_told_apart_by_their_version():
    v2 = Job(job_id=UUID, version_id=None, files=TASKS, total_lines=10)
    assert (v2.api, v2.job_id, v2.version_id, v2.files) == ("v2", UUID, None, TASKS)
    assert Job(UUID, None).files == ["worker-0"]
    v1 = Job(10, 10, total_lines=10)
    assert (v1.api, v1.job_id, v1.version_id, v1.files) == ("v1", 10, 10, ["log1.log"])
    for bad in (10, "123", "", "a/b"):
        with pytest.raises(ValueError):
            Job(bad, None)


def test_start_delay_needs_a_growing_job_and_no_start_time():
    with pytest.raises(ValueError):
        Job(UUID, None, total_lines=10, start_delay=3)
    with pytest.raises(ValueError):
        Job(UUID, None, lines_per_second=5, start_delay=3, start_time=1.0)
    with pytest.raises(ValueError):
        Job(UUID, None, lines_per_second=5, end_phase="Finished")


def test_simulator_ground_truth_methods_take_a_uuid_and_a_task(sim):
    job = sim.job(UUID, None)
    assert job is sim.job(UUID) and job.api == "v2"
    assert sim.visible_lines(UUID, None) == 700
    w0, w1 = sim.log_lines(UUID, None, "worker-0"), sim.log_lines(UUID, None, "worker-1")
    assert len(w0) == len(w1) == 700 and w0 != w1
    assert sim.log_lines(UUID, None) == w0  # the first task by default
    assert list(sim.iter_log_lines(UUID, None, "worker-1")) == w1
    assert sim.log_text(UUID, None, "worker-1") == "\n".join(w1) + "\n"
    pos = sim.positions(UUID, None, "worker-1")
    assert len(pos) == 700 and all(b - a > 1 for a, b in zip(pos, pos[1:]))


# -- detail ------------------------------------------------------------------------

def test_v2_detail_has_the_documented_shape(sim):
    d = detail(sim)
    assert d["kind"] == "job"
    meta = d["metadata"]
    assert (meta["id"], meta["name"], meta["workspace_id"]) == (UUID, "trainjob-resnet", "0")
    assert isinstance(meta["create_time"], int) and meta["create_time"] > 1.7e12
    st = d["status"]
    assert (st["phase"], st["secondary_phase"]) == ("Completed", "Completed")
    assert st["tasks"] == TASKS
    assert [t["task"] for t in st["task_statuses"]] == TASKS
    assert all(t["exit_code"] == 0 for t in st["task_statuses"])
    assert isinstance(st["duration"], int) and st["duration"] > 0
    assert meta["create_time"] < st["start_time"] < st["start_time"] + st["duration"]
    assert d["spec"]["resource"]["node_count"] == 2
    assert isinstance(d["algorithm"], dict) and d["algorithm"]
    assert "is_success" not in d


@pytest.mark.parametrize("status, phase", [
    (COMPLETED, "Completed"), (FAILED, "Failed"), (KILLED, "Terminated"), (CANCELED, "Terminated"),
    (LOST, "Abnormal"), (RUNNING, "Running"),
])
def test_v2_phases_of_the_v1_end_codes(status, phase):
    with Simulator([Job(UUID, None, total_lines=10, status=status)]) as s:
        assert detail(s)["status"]["phase"] == phase


@pytest.mark.parametrize("end_phase, code", [
    ("Completed", COMPLETED), ("Failed", FAILED), ("Terminated", KILLED), ("Abnormal", LOST),
])
def test_end_phase_is_a_convenience_for_the_end_code(end_phase, code):
    clock = ManualClock()
    job = Job(UUID, None, lines_per_second=10, duration_s=1, end_phase=end_phase)
    with Simulator([job], clock=clock) as s:
        assert detail(s)["status"]["phase"] == "Running"
        clock.advance(1)
        assert detail(s)["status"]["phase"] == end_phase and job.status(clock.now()) == code
    assert Job(20, 1, total_lines=5, end_phase=end_phase).status(0) == code


def test_unknown_v2_job_is_a_404_with_the_v2_error_shape(sim):
    for path in ("/v2/%s/training-jobs/%s" % (P, OTHER), "/v2/%s/training-jobs/%s/logs/worker-0" % (P, OTHER),
                 "/v2/%s/training-jobs/10" % P):
        status, err = get_json(sim, path)
        assert status == 404
        assert err["error_code"] == "ModelArts.2775" and "not found" in err["error_msg"]
        assert "is_success" not in err
    assert get_json(sim, "/v2/%s/training-jobs/%s" % (P, OTHER))[1]["error_msg"] == \
        "Training job %s not found." % OTHER


def test_v1_calls_do_not_see_v2_jobs(sim):
    status, err = get_json(sim, "/v1/%s/training-jobs/%s/versions/None" % (P, UUID))
    assert (status, err["error_code"]) == (400, "ModelArts.2775")


def test_v2_project_id_checked_when_configured():
    with Simulator([Job(UUID, None, total_lines=5)], project_id="abc") as s:
        assert get_json(s, "/v2/abc/training-jobs/%s" % UUID)[0] == 200
        status, err = get_json(s, "/v2/xyz/training-jobs/%s/logs/worker-0" % UUID)
        assert (status, err["error_code"]) == (403, "ModelArts.0210") and "error_msg" in err


# -- log pages -----------------------------------------------------------------------

def test_v2_page_shape_positions_are_strings_lines_an_integer(sim):
    _, _, body = call(sim, "GET", "/v2/%s/training-jobs/%s/logs/worker-1" % (P, UUID), {"lines": 3})
    text = body.decode("utf-8")
    assert re.search(r'"start_line": "\d{19}"', text) and re.search(r'"end_line": "\d{19}"', text)
    assert '"lines": 3' in text
    page = json.loads(text)
    assert set(page) == {"start_line", "end_line", "lines", "content"}
    pos = sim.positions(UUID, None, "worker-1")
    assert (page["start_line"], page["end_line"]) == (str(pos[-3]), str(pos[-1]))
    assert lines_of(page) == sim.log_lines(UUID, None, "worker-1")[-3:]


@pytest.mark.parametrize("lines", ["0", "501", "-1", "abc", "1.5"])
def test_v2_lines_outside_1_to_500_are_refused(sim, lines):
    status, err = log_page(sim, lines=lines)
    assert status == 400 and err["error_code"] == "ModelArts.0104" and err["error_msg"]
    assert "is_success" not in err


def test_v2_lines_bounds_and_default(sim):
    assert ok_page(sim)["lines"] == 50
    assert ok_page(sim, lines=1)["lines"] == 1
    assert ok_page(sim, lines=500)["lines"] == 500


@pytest.mark.parametrize("query", [{"order": "up"}, {"base_line": "12ab"}, {"base_line": "-5"}])
def test_v2_bad_order_and_base_line_are_0104(sim, query):
    status, err = log_page(sim, **query)
    assert (status, err["error_code"]) == (400, "ModelArts.0104")


def test_unknown_task_is_a_404(sim):
    status, err = log_page(sim, task="worker-9")
    assert status == 404
    assert err == {"error_code": "ModelArts.2791", "error_msg": "Task worker-9 not found."}


@pytest.mark.parametrize("v2_order", ["documented", "v1"])
def test_without_base_line_either_order_gives_the_newest_lines(v2_order):
    with Simulator([Job(UUID, None, total_lines=300, seed=3)], v2_order=v2_order) as s:
        truth = s.log_lines(UUID)
        for order in ("asc", "desc", ""):
            assert lines_of(ok_page(s, lines=7, order=order, base_line="")) == truth[-7:]


def words(v2_order):
    """(onward word, back word) under each reading of v2's order."""
    return ("asc", "desc") if v2_order == "documented" else ("desc", "asc")


def read_onward(s, n, word, start="0", task="worker-0"):
    out, base = [], start
    for _ in range(10000):
        page = ok_page(s, task=task, lines=n, order=word, base_line=base)
        if page["lines"] == 0:
            assert (page["start_line"], page["end_line"], page["content"]) == (base, base, "")  # echoed
            return out
        out += lines_of(page)
        base = page["end_line"]
    raise AssertionError("never caught up")


def read_back(s, n, word, task="worker-0"):
    page = ok_page(s, task=task, lines=n)
    out = lines_of(page)
    for _ in range(10000):
        page = ok_page(s, task=task, lines=n, order=word, base_line=page["start_line"])
        if page["lines"] == 0:
            return out
        out = lines_of(page) + out
    raise AssertionError("never reached the start")


@pytest.mark.parametrize("v2_order", ["documented", "v1"])
@pytest.mark.parametrize("mode", ["exclusive", "inclusive"])
@pytest.mark.parametrize("n", [500, 97, 1])
def test_v2_paging_reads_every_line_exactly_once(v2_order, mode, n):
    job = Job(UUID, None, files=TASKS, total_lines=1234 if n > 1 else 150, seed=5)
    with Simulator([job], base_line_mode=mode, v2_order=v2_order) as s:
        onward, back = words(v2_order)
        for task in TASKS:
            truth = s.log_lines(UUID, None, task)
            assert read_onward(s, n, onward, task=task) == truth
            assert read_back(s, n, back, task=task) == truth


@pytest.mark.parametrize("v2_order", ["documented", "v1"])
def test_v2_default_order_is_desc(v2_order):
    with Simulator([Job(UUID, None, total_lines=100, seed=6)], v2_order=v2_order) as s:
        pos, truth = s.positions(UUID), s.log_lines(UUID)
        page = ok_page(s, lines=5, base_line=str(pos[50]))
        # desc reads back under the documented reading, onward under v1's.
        expected = truth[45:50] if v2_order == "documented" else truth[51:56]
        assert lines_of(page) == expected


def test_v2_inclusive_end_line_and_strict_positions():
    job = Job(UUID, None, total_lines=40, seed=7)
    with Simulator([job], base_line_mode="inclusive", strict_positions=True) as s:
        pos = s.positions(UUID)
        page = ok_page(s, lines=5, order="asc", base_line=str(pos[2]))
        assert (page["start_line"], page["end_line"]) == (str(pos[2]), str(pos[7]))
        status, err = log_page(s, base_line="0", order="asc")
        assert (status, err["error_code"]) == (400, "ModelArts.0104")
        assert read_back(s, 9, "desc") == s.log_lines(UUID)  # the fallback still works


def test_v2_trailing_newline_option():
    with Simulator([Job(UUID, None, total_lines=10)], trailing_newline=True) as s:
        assert ok_page(s, lines=3)["content"] == "\n".join(s.log_lines(UUID)[-3:]) + "\n"


def test_v2_reading_back_from_the_first_line_is_an_empty_page():
    clock = ManualClock()
    with Simulator([Job(UUID, None, lines_per_second=1, duration_s=10)], clock=clock) as s:
        assert s.visible_lines(UUID) == 1
        page = ok_page(s, lines=5, order="asc", base_line=str(s.positions(UUID)[0]))
        assert (page["lines"], page["content"]) == (0, "")


# -- jobs that start after a delay -------------------------------------------------

def test_a_delayed_v2_job_lives_through_every_phase_on_a_manual_clock():
    clock = ManualClock()
    added_ms = int(round(clock.now() * 1000))
    job = Job(UUID, None, files=TASKS, lines_per_second=10, initial_lines=5, duration_s=4, seed=8,
              start_delay=5, creating_s=2, end_phase="Failed")
    with Simulator([job], clock=clock) as s:
        d = detail(s)
        assert d["metadata"]["create_time"] == added_ms
        st = d["status"]
        assert (st["phase"], st["secondary_phase"], st["tasks"], st["duration"]) == ("Creating", "Creating", [], 0)
        assert st.get("start_time", 0) == 0 and st["task_statuses"] == []
        status, err = log_page(s)
        assert (status, err) == (400, {"error_code": "ModelArts.2818", "error_msg": "Log not generated yet."})
        assert s.visible_lines(UUID) == 0 and s.log_lines(UUID) == []

        clock.advance(2)
        st = detail(s)["status"]
        assert (st["phase"], st["secondary_phase"], st["tasks"]) == ("Pending", "Queuing", TASKS)
        assert log_page(s, task="worker-1")[1]["error_code"] == "ModelArts.2818"
        assert log_page(s, task="worker-9")[0] == 404  # a task that never exists is still unknown

        clock.advance(3)
        st = detail(s)["status"]
        assert (st["phase"], st["start_time"]) == ("Running", added_ms + 5000)
        seen = {t: [] for t in TASKS}
        bases = {t: "0" for t in TASKS}
        for _ in range(1000):
            for task in TASKS:
                while True:
                    page = ok_page(s, task=task, lines=3, order="asc", base_line=bases[task])
                    if not page["lines"]:
                        break
                    seen[task] += lines_of(page)
                    bases[task] = page["end_line"]
            if detail(s)["status"]["phase"] != "Running":
                break
            clock.advance(0.3)
        st = detail(s)["status"]
        assert (st["phase"], st["duration"]) == ("Failed", 4000)
        assert all(t["exit_code"] != 0 for t in st["task_statuses"])
        for task in TASKS:
            assert seen[task] == s.log_lines(UUID, None, task) and len(seen[task]) == 45
            assert "Training failed" in seen[task][-1]
        clock.advance(60)
        assert s.visible_lines(UUID) == 45


def test_a_delayed_v1_job_is_init_then_waiting_then_running():
    clock = ManualClock()
    job = Job(7, 1, files=["job-7.0"], lines_per_second=5, duration_s=2, start_delay=3, seed=9)
    prefix = "/v1/%s/training-jobs/7/versions/1" % P
    with Simulator([job], clock=clock) as s:
        def status():
            return get_json(s, prefix)[1]["status"]

        def names():
            return get_json(s, prefix + "/log/file-names")[1]

        assert status() == INIT and names() == {"is_success": True, "log_file_list": []}
        code, err = get_json(s, prefix + "/aom-log", log_file="job-7.0")
        assert (code, err["is_success"], err["error_code"]) == (400, False, "ModelArts.2818")
        clock.advance(2)
        assert status() == WAITING and names()["log_file_list"] == []
        clock.advance(1)
        assert status() == RUNNING and names()["log_file_list"] == ["job-7.0"]
        assert get_json(s, prefix + "/aom-log", log_file="job-7.0")[0] == 200
        clock.advance(2)
        assert status() == COMPLETED
        assert get_json(s, prefix)[1]["duration"] == 2000


def test_a_creating_stage_longer_than_the_delay_goes_straight_to_running():
    clock = ManualClock()
    with Simulator([Job(UUID, None, lines_per_second=5, start_delay=1, creating_s=5)], clock=clock) as s:
        assert detail(s)["status"]["phase"] == "Creating"
        clock.advance(1)
        assert detail(s)["status"]["phase"] == "Running"


def test_demo_job_v2_waits_then_runs_30_seconds_in_bursts():
    clock = ManualClock()
    with Simulator([demo_job_v2()], clock=clock) as s:
        job = next(j for j in s.api.jobs.values() if j.api == "v2")
        assert job.files == TASKS and job.name == "resnet50-demo"
        assert detail(s, job.job_id)["status"]["phase"] == "Creating"
        clock.advance(1.5)  # created for a second, then queued until 5 s
        assert detail(s, job.job_id)["status"]["phase"] == "Pending"
        clock.advance(3)
        assert detail(s, job.job_id)["status"]["phase"] == "Pending"
        clock.advance(1)
        assert detail(s, job.job_id)["status"]["phase"] == "Running"
        clock.advance(30)
        assert detail(s, job.job_id)["status"]["phase"] == "Completed"
        assert 20 * 30 <= job.total_lines - 30 <= 40 * 30
        assert s.log_lines(job.job_id, None, "worker-0") != s.log_lines(job.job_id, None, "worker-1")


def test_default_jobs_keep_v1_and_add_v2():
    jobs = default_jobs()
    assert {(j.job_id, j.version_id) for j in jobs if j.api == "v1"} == {(10, 10), (20, 1), (1024, 1)}
    v2 = [j for j in jobs if j.api == "v2"]
    assert any(len(j.files) == 2 and not j.growing for j in v2)
    same = sorted((j for j in v2 if j.name == "resnet50-train"), key=lambda j: j.create_time)
    assert len(same) == 2 and all(j.files == ["worker-0"] for j in same)
    assert same[0].create_time < same[1].create_time
    assert any(j.growing and j.start_delay for j in v2)


# -- request kinds and faults ------------------------------------------------------

def test_v2_requests_are_counted_by_kind(sim):
    sim.reset_requests()
    detail(sim)
    ok_page(sim, lines=1)
    ok_page(sim, lines=1)
    assert sim.request_count == {"v2-detail": 1, "v2-log": 2}
    assert sim.request_count["aom-log"] == 0


def test_faults_can_target_the_v2_log_only(sim):
    sim.faults.push("500", only="v2-log")
    assert get_json(sim, "/v1/%s/training-jobs/10/versions/10" % P)[0] == 200
    assert get_json(sim, "/v2/%s/training-jobs/%s" % (P, UUID))[0] == 200
    assert log_page(sim)[0] == 500
    assert log_page(sim)[0] == 200
    with pytest.raises(ValueError):
        sim.faults.push("500", only="v2-logs")


def test_fault_rates_scoped_to_the_v2_detail():
    faults = Faults(seed=3, rates={"503": 0.5}, rate_scope="v2-detail")
    with Simulator([Job(UUID, None, total_lines=10)], faults=faults) as s:
        assert all(log_page(s)[0] == 200 for _ in range(10))
        assert {get_json(s, "/v2/%s/training-jobs/%s" % (P, UUID))[0] for _ in range(40)} == {200, 503}
    with pytest.raises(ValueError):
        Faults(rate_scope="v2")
