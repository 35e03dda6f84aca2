"""Today's jobs (v2) end to end, over real HTTP: every start, follow, tasks, names, jobs that wait."""

import json

import pytest

from aomlog.cli.env import Environment
from aomlog.transport.client import Client
from aomlog.simulator import Job

from conftest import conn_args, expected_bytes
from engine import Time, run_tail

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
TASKS = ["worker-0", "worker-1"]
READINGS = [("documented", "exclusive"), ("documented", "inclusive"), ("v1", "exclusive"), ("v1", "inclusive")]


@pytest.fixture(params=READINGS, ids=["-".join(r) for r in READINGS])
def sim(request, simulator):
    order, mode = request.param
    return simulator([Job(UUID, None, files=["worker-0"], total_lines=1234, seed=7, name="resnet50-train")],
                     v2_order=order, base_line_mode=mode)


def truth(sim, task="worker-0"):
    return sim.log_lines(UUID, None, task)


@pytest.mark.parametrize("n", [0, 1, 50, 500, 501, 1234, 5000])
def test_newest_n_lines_of_a_v2_job_whatever_order_means(sim, aomlog, n):
    r = aomlog("tail", UUID, "-n", n, *conn_args(sim))
    assert r.status == 0, r
    lines = truth(sim)
    assert r.out == expected_bytes(lines[max(0, len(lines) - n):] if n else [])
    assert r.err == ""


@pytest.mark.parametrize("args", [["-n", "+1"], ["--from-start"], ["-n", "+700"]])
def test_from_the_start_of_a_v2_job_whatever_order_means(sim, aomlog, args):
    r = aomlog("tail", UUID, *args, *conn_args(sim))
    assert r.status == 0, r
    skip = int(args[1][1:]) - 1 if args[0] == "-n" else 0
    assert r.out == expected_bytes(truth(sim)[skip:])


def test_v2_never_asks_for_zero_lines(sim, aomlog):
    assert aomlog("tail", UUID, "-n", 0, *conn_args(sim)).status == 0
    pages = [r for r in sim.request_log if "/logs/" in r.path]
    assert pages and all(1 <= int(r.query["lines"]) <= 500 for r in pages)


@pytest.mark.parametrize("order", ["documented", "v1"])
def test_only_positions_the_server_handed_out(simulator, aomlog, order):
    """A server that refuses made-up positions (such as 0) still gives the whole log."""
    sim = simulator([Job(UUID, None, files=["worker-0"], total_lines=1234, seed=7)],
                    v2_order=order, strict_positions=True)
    r = aomlog("tail", UUID, "--from-start", *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(truth(sim))


def test_a_v2_job_by_its_name(sim, aomlog):
    r = aomlog("tail", "resnet50-train", "-n", 5, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(truth(sim)[-5:])


def test_several_jobs_of_one_name_are_listed_with_their_ids_and_times(simulator, aomlog):
    other = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
    sim = simulator([Job(UUID, None, total_lines=10, name="twin", create_time=1795700000000),
                     Job(other, None, total_lines=10, name="twin", create_time=1795760000000),
                     Job(UUID.replace("3", "4"), None, total_lines=10, name="twin-2")])
    r = aomlog("tail", "twin", *conn_args(sim))
    assert r.status == 2 and r.out == b""
    first, second = r.err.splitlines()
    assert first.startswith("Error: 2 jobs are named 'twin': ")
    assert first.index(other) < first.index(UUID)  # newest first
    assert "created 2026-" in first
    assert second.startswith("Hint: ")


def test_no_job_of_that_name_is_status_4(sim, aomlog):
    r = aomlog("tail", "no-such-job", *conn_args(sim))
    assert r.status == 4 and r.err.startswith("Error: no job is named 'no-such-job'")


def test_a_name_is_found_among_the_old_jobs_too(simulator, aomlog):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=30, seed=1, name="old-job", create_time=1795700000000),
                     Job(10, 11, files=["log1.log"], total_lines=40, seed=2, name="old-job", create_time=1795760000000)])
    r = aomlog("tail", "old-job", "-n", 3, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(10, 11, "log1.log")[-3:])  # the newest version


def test_a_v1_job_without_its_version_reads_the_newest(simulator, aomlog):
    sim = simulator([Job(10, 12, files=["log1.log"], total_lines=40, seed=2, create_time=1795760000000),
                     Job(10, 10, files=["log1.log"], total_lines=30, seed=1, create_time=1795700000000)])
    r = aomlog("tail", 10, "-n", 3, *conn_args(sim))
    assert r.out == expected_bytes(sim.log_lines(10, 12, "log1.log")[-3:])


def test_the_newest_version_is_found_on_any_page_of_the_versions():
    from aomlog.api.v1 import V1Api

    class OldestFirst:  # the versions list's order is not documented
        project_id = "p"

        def __init__(self):
            self.pages = []

        def get(self, path, params, what):
            page, size = int(params["page"]), int(params["per_page"])
            self.pages.append(page)
            ids = list(range(1, 121))[(page - 1) * size:page * size]
            return {"version_count": 120, "versions": [{"version_id": v, "create_time": 1795000000000 + v}
                                                       for v in ids]}

    client = OldestFirst()
    assert V1Api(client).newest_version("10") == "120"
    assert client.pages == [1, 2, 3]


@pytest.fixture
def workers(simulator):
    return simulator([Job(UUID, None, files=TASKS, total_lines=700, seed=3, name="dist")])


def test_all_tasks_prefix_each_line_and_keep_each_task_in_order(workers, aomlog):
    r = aomlog("tail", UUID, "--all-tasks", "-n", "+1", *conn_args(workers))
    assert r.status == 0, r
    lines = r.out.decode().split("\n")[:-1]
    for task in TASKS:
        mine = [line[len(task) + 3:] for line in lines if line.startswith(f"[{task}] ")]
        assert mine == workers.log_lines(UUID, None, task)
    assert len(lines) == 1400


def test_one_task_of_several(workers, aomlog):
    r = aomlog("tail", UUID, "--task", "worker-1", "-n", 7, *conn_args(workers))
    assert r.out == expected_bytes(workers.log_lines(UUID, None, "worker-1")[-7:])


def test_several_tasks_and_none_chosen_is_a_usage_error_naming_them(workers, aomlog):
    r = aomlog("tail", UUID, *conn_args(workers))
    assert r.status == 2 and r.out == b""
    assert f"Error: job {UUID} has 2 tasks: worker-0, worker-1" in r.err
    assert "Hint: Pass --task NAME" in r.err


def test_files_lists_the_tasks_of_a_v2_job(workers, aomlog):
    r = aomlog("files", "dist", *conn_args(workers))
    assert (r.status, r.out) == (0, b"worker-0\nworker-1\n")


@pytest.mark.parametrize("task_args", [["--task", "worker-9"], ["--task", "worker-0", "--task", "worker-9"]])
def test_an_unknown_task_is_not_found_and_the_tasks_are_listed(workers, aomlog, task_args):
    r = aomlog("tail", UUID, *task_args, *conn_args(workers))
    assert r.status == 4 and r.out == b""
    assert "has no task worker-9" in r.err
    assert "Hint: Its tasks: worker-0, worker-1." in r.err


@pytest.mark.parametrize("args, says", [
    (["--file", "log1.log"], "is a v2 job: its logs are per task"),
    (["--all-files"], "is a v2 job: its logs are per task"),
    (["7"], "is a v2 job, which has no versions"),
])
def test_v1_options_on_a_v2_job_say_what_to_use(workers, aomlog, args, says):
    r = aomlog("tail", UUID, *args, *conn_args(workers))
    assert r.status == 2, r
    assert says in r.err and "Hint: " in r.err


def test_v2_options_on_a_v1_job_say_what_to_use(simulator, aomlog):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=5, seed=1)])
    r = aomlog("tail", 10, 10, "--task", "worker-0", *conn_args(sim))
    assert r.status == 2 and "is a v1 job: its logs are per file" in r.err and "--file" in r.err


def test_json_lines_of_a_v2_job_name_the_task(workers, aomlog):
    r = aomlog("tail", UUID, "--task", "worker-0", "-n", 2, "-o", "json", *conn_args(workers))
    rows = [json.loads(line) for line in r.out.decode().splitlines()]
    assert [row["text"] for row in rows] == workers.log_lines(UUID, None, "worker-0")[-2:]
    assert set(rows[0]) == {"job", "task", "end_line", "text"} and rows[0]["task"] == "worker-0"


def test_cursor_file_of_a_v2_job(workers, aomlog, tmp_path):
    cursor = tmp_path / "c.json"
    first = aomlog("tail", UUID, "--all-tasks", "-n", "+1", "--cursor-file", cursor, *conn_args(workers))
    stored = json.loads(cursor.read_text())
    assert stored["job_id"] == UUID and stored["version_id"] is None and set(stored["positions"]) == set(TASKS)
    again = aomlog("tail", UUID, "--all-tasks", "--cursor-file", cursor, *conn_args(workers))
    assert first.status == again.status == 0 and again.out == b""
    told = aomlog("tail", UUID, "--all-tasks", "-n", "+1", "--cursor-file", cursor, *conn_args(workers))
    assert told.out == b"" and told.err.count("going on from") == 1  # one notice for every task
    assert f"{', '.join(TASKS)}: going on from the positions in {cursor}" in told.err


# -- jobs that have not started ---------------------------------------------------------------

@pytest.mark.parametrize("family", ["v2", "v1"])
@pytest.mark.parametrize("order", ["documented", "v1"])
def test_follow_waits_for_a_job_to_start_then_prints_it_all(simulator, capsysbinary, family, order):
    t = Time()
    ids = (UUID, None) if family == "v2" else (10, 10)
    files = TASKS if family == "v2" else ["log1.log"]
    job = Job(*ids, files=files, seed=5, initial_lines=40, lines_per_second=20, burst=5, duration_s=60,
              start_delay=30, name="late")
    sim = simulator([job], clock=t.clock, v2_order=order)
    shown = []
    status = run_tail(Client(sim.url, "p1", retries=0, sleep=t.sleep), *ids, None, clock=t.now, sleep=t.sleep, follow=True,
                      status=shown.append)
    out, err = capsysbinary.readouterr()
    assert status == 0
    expected = [f"[{f}] {line}" if len(files) > 1 else line for f in files for line in sim.log_lines(*ids, f)]
    got = out.decode().split("\n")[:-1]
    assert sorted(got) == sorted(expected)  # every line from the first, once
    for f in files:
        mine = [line for line in got if len(files) == 1 or line.startswith(f"[{f}] ")]
        assert mine == [e for e in expected if len(files) == 1 or e.startswith(f"[{f}] ")]
    words = ("Creating", "Pending") if family == "v2" else ("INIT", "WAITING")
    assert [s.split(" is ")[1].split(":")[0].split(" (")[0] for s in shown[:-1]] == list(words)
    assert shown[-1] is None  # the status line is cleared once the job runs
    assert ("Completed after 1m00s" if family == "v2" else "COMPLETED after 1m00s") in err.decode()


def test_ctrl_c_while_waiting_for_the_start_takes_the_status_line_away(simulator, capsysbinary):
    t = Time()
    sim = simulator([Job(UUID, None, files=["worker-0"], initial_lines=10, lines_per_second=5, start_delay=3600)],
                    clock=t.clock)
    shown = []

    def sleep_then_ctrl_c(seconds):
        t.sleep(seconds)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_tail(Client(sim.url, "p1", retries=0, sleep=t.sleep), UUID, None, "worker-0", clock=t.now,
                 sleep=sleep_then_ctrl_c, follow=True, status=shown.append)
    assert len(shown) == 2 and "waiting for it to start" in shown[0] and shown[1] is None


def test_without_follow_a_job_not_started_is_status_4_with_a_hint(simulator, aomlog):
    sim = simulator([Job(UUID, None, files=["worker-0"], initial_lines=10, lines_per_second=5,
                         start_delay=3600)])
    r = aomlog("tail", UUID, *conn_args(sim))
    assert r.status == 4 and r.out == b""
    assert f"Error: job {UUID} has not started yet (" in r.err
    assert "Hint: Add -f to wait for it to start" in r.err


@pytest.mark.parametrize("phase, status", [("Failed", 5), ("Completed", 0), ("Terminated", 5), ("Abnormal", 5)])
def test_a_job_that_ends_before_writing_a_line_exits_with_its_status(simulator, capsysbinary, phase, status):
    t = Time()
    sim = simulator([Job(UUID, None, files=["worker-0"], total_lines=0, seed=1, end_phase=phase)], clock=t.clock)
    got = run_tail(Client(sim.url, "p1", retries=0, sleep=t.sleep), UUID, None, "worker-0", clock=t.now, sleep=t.sleep,
                   follow=True)
    out, err = capsysbinary.readouterr()
    assert (got, out) == (status, b"")
    assert f"{UUID} {phase}" in err.decode() and "before writing a line" in err.decode()


@pytest.mark.parametrize("args", [["-n", 0], ["--since", "9999-12-31T23:59Z"]])
def test_a_job_whose_lines_were_left_out_did_write_lines(simulator, aomlog, args, t):
    sim = simulator([Job(UUID, None, files=["worker-0"], total_lines=2000, seed=1)])
    r = aomlog("tail", UUID, "-f", *args, *conn_args(sim), env=Environment(sleep=t.sleep, clock=t.now))
    assert (r.status, r.out) == (0, b"")
    assert f"{UUID} Completed after" in r.err and "before writing a line" not in r.err


@pytest.mark.parametrize("mode", ["exclusive", "inclusive"])
def test_follow_of_a_v2_job_with_faults_loses_and_repeats_nothing(simulator, capsysbinary, mode):
    t = Time()
    job = Job(UUID, None, files=TASKS, seed=9, initial_lines=600, lines_per_second=30, burst=10, duration_s=90)
    sim = simulator([job], clock=t.clock, base_line_mode=mode)
    sim.faults.set_rates(**{"500": 0.1, "503": 0.05, "429": 0.1, "drop": 0.1, "cut": 0.05, "nonjson": 0.05})
    status = run_tail(Client(sim.url, "p1", retries=0, sleep=t.sleep), UUID, None, TASKS, ("from", 1), clock=t.now,
                      sleep=t.sleep, follow=True)
    out = capsysbinary.readouterr().out.decode().split("\n")[:-1]
    assert status == 0
    for task in TASKS:
        assert [line[len(task) + 3:] for line in out if line.startswith(f"[{task}] ")] == \
            sim.log_lines(UUID, None, task)


# -- aomlog jobs ------------------------------------------------------------------------------

@pytest.fixture
def both(simulator):
    return simulator([
        Job(UUID, None, files=TASKS, total_lines=50, seed=1, name="resnet50-train", create_time=1795760000000),
        Job(10, 10, files=["log1.log"], total_lines=20, seed=2, name="bert-v1", create_time=1795750000000,
            status=11),
        Job("9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", None, total_lines=5, name="gpt-small",
            create_time=1795740000000, end_phase="Failed"),
    ])


def test_jobs_in_a_pipe_are_tab_separated_newest_first_of_both_families(both, aomlog):
    r = aomlog("jobs", *conn_args(both))
    assert r.status == 0, r
    rows = [line.split("\t") for line in r.out.decode().splitlines()]
    assert [row[:4] for row in rows] == [[UUID, "-", "resnet50-train", "Completed"], ["10", "10", "bert-v1", "FAILED"],
                                         ["9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "-", "gpt-small", "Failed"]]
    assert all(len(row) == 7 for row in rows)
    from datetime import datetime

    assert rows[0][4] == datetime.fromtimestamp(1795760000).astimezone().isoformat()  # local time, with its offset
    assert rows[0][6] == "2" and "\x1b" not in r.out.decode()


def test_jobs_as_json_lines(both, aomlog):
    r = aomlog("jobs", "-o", "json", "--limit", 2, *conn_args(both))
    rows = [json.loads(line) for line in r.out.decode().splitlines()]
    assert [(row["id"], row["api"], row["version"], row["status"]) for row in rows] == [
        (UUID, "v2", None, "Completed"), ("10", "v1", "10", "FAILED")]
    from datetime import datetime

    assert datetime.fromisoformat(rows[0]["created"]).timestamp() == 1795760000
    assert rows[0]["name"] == "resnet50-train" and rows[0]["streams"] == 2


@pytest.mark.parametrize("args, names", [
    (["--status", "failed"], ["bert-v1", "gpt-small"]),
    (["--status", "Completed"], ["resnet50-train"]),
    (["--name", "resnet"], ["resnet50-train"]),
    (["--name", "v1"], ["bert-v1"]),
])
def test_jobs_by_name_and_status(both, aomlog, args, names):
    r = aomlog("jobs", "-o", "json", *args, *conn_args(both))
    assert [json.loads(line)["name"] for line in r.out.decode().splitlines()] == names


def many_jobs(count, api="v2", name="job-{}", first_ms=1795000000000):
    """``count`` jobs, one a second, the newest last; v2 with UUIDs or v1 with integer ids."""
    import uuid

    return [Job(str(uuid.UUID(int=i + 1)) if api == "v2" else i + 1, None if api == "v2" else 1,
                total_lines=1, seed=i, name=name.format(i), create_time=first_ms + i * 1000)
            for i in range(count)]


@pytest.mark.parametrize("offset", ["items", "pages"])
@pytest.mark.parametrize("limit", [1, 50, 51, 120, 200])
def test_jobs_beyond_one_page_whatever_the_search_offset_counts(simulator, aomlog, offset, limit):
    sim = simulator(many_jobs(150), search_offset=offset)
    r = aomlog("jobs", "-o", "json", "--limit", limit, *conn_args(sim))
    assert r.status == 0, r
    names = [json.loads(line)["name"] for line in r.out.decode().splitlines()]
    assert names == [f"job-{i}" for i in range(149, 149 - min(limit, 150), -1)]


@pytest.mark.parametrize("by_pages", [False, True])
@pytest.mark.parametrize("created", [0, 1, 2, 5])  # submitted within one round trip
def test_jobs_created_while_the_search_is_paged_lose_none_of_the_older_ones(by_pages, created):
    from aomlog.api.v2 import V2Api

    class Search:  # the job search, with jobs submitted while its first answer travels
        project_id = "p"

        def __init__(self):
            self.jobs = [f"job-{i}" for i in range(149, -1, -1)]  # newest first
            self.calls = 0

        def post(self, path, body, what):
            self.calls += 1
            first = body["offset"] * body["limit"] if by_pages else body["offset"]
            items = self.jobs[first:first + body["limit"]]
            if self.calls == 1:
                self.jobs[:0] = [f"new-{k}" for k in range(created)]
            return {"total": len(self.jobs), "items": [{"metadata": {"id": j, "name": j}} for j in items]}

    got = [info.name for info in V2Api(Search()).jobs(limit=120)]
    assert len(got) == len(set(got)) == 120
    olders = [name for name in got if name.startswith("job-")]
    assert olders == [f"job-{i}" for i in range(149, 149 - len(olders), -1)]  # none skipped, in order


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_a_name_is_found_behind_many_newer_jobs_whose_names_contain_it(simulator, aomlog, api):
    old = many_jobs(1, api, name="train", first_ms=1790000000000)
    newer = [job for job in many_jobs(121, api, name="train-{}") if job.job_id != old[0].job_id]
    sim = simulator(old + newer)
    r = aomlog("tail", "train", "-n", 1, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(old[0].job_id, old[0].version_id, old[0].files[0])[-1:])


def test_a_misspelt_status_is_a_usage_error_before_any_request(both, aomlog):
    r = aomlog("jobs", "--status", "runing", *conn_args(both))
    assert r.status == 2 and r.out == b""
    assert r.err.startswith("Error: Invalid value for '--status': 'runing' is not a job state: use waiting, ")
    assert not both.request_log


def test_a_state_only_one_family_has_reads_only_that_familys_list(simulator, aomlog):
    sim = simulator(many_jobs(120, "v1") + [Job(UUID, None, total_lines=5, name="broken", end_phase="Abnormal")])
    r = aomlog("jobs", "-o", "json", "--status", "abnormal", *conn_args(sim))  # a v2 word only
    assert [json.loads(line)["name"] for line in r.out.decode().splitlines()] == ["broken"]
    assert not [req for req in sim.request_log if req.path.startswith("/v1/")]


def test_states_complete(complete):
    assert complete("aomlog jobs --status Run") == ["running"]  # one spelling of each state, any case


def test_jobs_in_a_region_without_the_old_api_are_the_v2_jobs(simulator, aomlog):
    sim = simulator([Job(UUID, None, total_lines=5, name="only-v2")], v1_api=False)
    r = aomlog("jobs", "-o", "json", *conn_args(sim))
    assert r.status == 0, r
    assert [json.loads(line)["id"] for line in r.out.decode().splitlines()] == [UUID]


def test_jobs_on_a_terminal_is_a_table_with_the_status_in_colour(both):
    from aomlog.output import joblist
    from aomlog.api import Apis

    found = Apis(Client(both.url, "p1")).jobs()
    table = joblist.as_table(found, width=140, color=True).decode()
    plain = joblist.as_table(found, width=140, color=False).decode()
    assert "\x1b" not in plain
    header, rule, *rows = plain.splitlines()
    assert header.split() == ["ID", "NAME", "STATUS", "CREATED", "DURATION", "TASKS/FILES"]
    assert rows[0].startswith(UUID[:8] + " ") and "resnet50-train" in rows[0]  # the id cut as git cuts one
    assert rows[1].startswith("10 10 ")
    assert "\x1b[32mCompleted" in table and "\x1b[31mFAILED" in table  # green, red


def test_no_jobs_on_a_terminal_says_so_instead_of_an_empty_table(both):
    import subprocess

    from conftest import spawn
    from ptycapture import PtyCapture

    pty = PtyCapture(columns=120, rows=20)
    proc = spawn(["jobs", "--name", "zzz", *conn_args(both)], stdout=pty.slave, stderr=subprocess.PIPE)
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b"No jobs found whose names contain 'zzz'.\n" and pty.output() == b""


def test_follow_with_only_new_lines_asked_for_a_job_not_started_yet_gets_every_line(simulator, capsysbinary):
    """`-n 0 -f` before the job starts: every line the job writes is new, the first ones too."""
    t = Time()
    job = Job(UUID, None, files=["worker-0"], seed=5, initial_lines=0, lines_per_second=20, burst=5,
              duration_s=30, start_delay=10)
    sim = simulator([job], clock=t.clock)
    status = run_tail(Client(sim.url, "p1", retries=0, sleep=t.sleep), UUID, None, "worker-0", ("last", 0), clock=t.now,
                      sleep=t.sleep, follow=True, start_given=True)
    assert status == 0
    assert capsysbinary.readouterr().out == expected_bytes(sim.log_lines(UUID, None, "worker-0"))
