"""`aomlog metrics JOB [VERSION] JOB ...`: several runs side by side, over real HTTP against the simulator.

Each job's rows are exactly its rows when read alone, with the job in front; -f follows all of
them to the last one's end; a cursor file keeps every job's positions; --smooth draws and
exports a moving average."""

import csv
import io
import json
import math
import os

import pytest

from aomlog.cli.env import Environment
from aomlog.simulator import Job, sweep_jobs

from conftest import conn_args
from engine import Time

TASKS = ["worker-0", "worker-1"]


@pytest.fixture
def sweep(simulator):
    """Two v2 runs of one script that learn at different paces, and a v1 job with two versions."""
    jobs = sweep_jobs(2, "sweep", files=TASKS, total_lines=2500)
    jobs += [Job(30, 1, files=["log1.log"], total_lines=1500, seed=7, name="old-run"),
             Job(30, 2, files=["log1.log"], total_lines=1200, seed=8, name="old-run")]
    return simulator(jobs)


def rows_of(out):
    return list(csv.reader(io.StringIO(out.decode())))


def alone(aomlog, sim, *args):
    r = aomlog("metrics", *args, *conn_args(sim))
    assert r.status == 0, r
    return rows_of(r.out)


def test_each_jobs_rows_are_its_rows_alone_with_the_job_in_front(sweep, aomlog):
    r = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--all-tasks", *conn_args(sweep))
    assert r.status == 0, r
    rows = rows_of(r.out)
    assert rows[0] == ["job", "step", "epoch", "metric", "value", "file"]
    for run in ("sweep-lr1", "sweep-lr2"):
        for task in TASKS:  # (the tasks' pages interleave as they come, alone too)
            mine = [row[1:] for row in rows[1:] if row[0] == run and row[5] == task]
            assert mine == [row for row in alone(aomlog, sweep, run, "--all-tasks")[1:] if row[4] == task]
            assert len(mine) > 500
    assert {row[0] for row in rows[1:]} == {"sweep-lr1", "sweep-lr2"}


def test_the_runs_learn_differently(sweep, aomlog):
    rows = rows_of(aomlog("metrics", "sweep-lr1", "sweep-lr2", "--task", "worker-0", "--metric", "loss",
                          *conn_args(sweep)).out)[1:]
    last = {row[0]: float(row[4]) for row in rows if row[2] == "20"}  # the loss at epoch 20 of each run
    assert last["sweep-lr2"] < last["sweep-lr1"] * 0.6  # the second learns faster


def test_v1_and_v2_jobs_mixed_each_with_its_own_stream_options(sweep, aomlog):
    r = aomlog("metrics", "30", "1", "sweep-lr1", "30", "2", "--task", "worker-1", "--file", "log1.log",
               "-o", "json", *conn_args(sweep))
    assert r.status == 0, r
    rows = [json.loads(line) for line in r.out.decode().splitlines()]
    assert {(row["job"], row["file"]) for row in rows} == {("30 v1", "log1.log"), ("sweep-lr1", "worker-1"),
                                                           ("30 v2", "log1.log")}  # ids repeat: versions
    for job, args in (("30 v1", ("30", "1")), ("30 v2", ("30", "2")), ("sweep-lr1", ("sweep-lr1", "--task",
                                                                                      "worker-1"))):
        expected = [json.loads(line) for line in aomlog("metrics", *args, "-o", "json",
                                                        *conn_args(sweep)).out.decode().splitlines()]
        assert [{k: v for k, v in row.items() if k != "job"} for row in rows if row["job"] == job] == expected


def test_names_that_repeat_give_way_to_ids(simulator, aomlog):
    a, b = "b7d41c2e-6f0a-4e39-9a58-0c2d7e1f4a63", "0e9a8b7c-1d2e-4f30-8a4b-5c6d7e8f9a0b"
    sim = simulator([Job(a, None, total_lines=300, seed=1, name="resnet50-train"),
                     Job(b, None, total_lines=300, seed=2, name="resnet50-train")])
    assert aomlog("jobs", *conn_args(sim)).status == 0  # the names of the ids, as listed
    rows = rows_of(aomlog("metrics", a, b, *conn_args(sim)).out)[1:]
    assert {row[0] for row in rows} == {a, b}


def test_a_job_typed_by_id_is_shown_by_its_listed_name(sweep, aomlog):
    jobs = sweep_jobs(2, "sweep")
    assert aomlog("jobs", *conn_args(sweep)).status == 0
    rows = rows_of(aomlog("metrics", jobs[0].job_id, "sweep-lr2", "--task", "worker-0", *conn_args(sweep)).out)
    assert {row[0] for row in rows[1:]} == {"sweep-lr1", "sweep-lr2"}


@pytest.mark.parametrize("unknown", ["no-such-run", "5a1e9999-0000-4000-8000-000000000000", "99"])
def test_an_unknown_job_is_status_4_naming_it_before_any_output(sweep, aomlog, unknown):
    r = aomlog("metrics", "sweep-lr1", unknown, "--all-tasks", *conn_args(sweep))
    assert (r.status, r.out) == (4, b""), r
    assert r.err.startswith("Error: ") and unknown in r.err.splitlines()[0]
    assert sweep.request_count["v2-log"] == 0 and sweep.request_count["aom-log"] == 0  # no log was read


def test_stream_options_of_a_family_none_of_the_jobs_is_are_refused(sweep, aomlog):
    r = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--file", "log1.log", *conn_args(sweep))
    assert r.status == 2 and "for v1 jobs, and none of the jobs named is one" in r.err and "Hint: " in r.err


def test_a_job_named_twice_is_refused(sweep, aomlog):
    r = aomlog("metrics", "sweep-lr1", "sweep-lr1", *conn_args(sweep))
    assert r.status == 2 and "named twice" in r.err


def runs_growing(simulator, end_phases=("Completed", "Failed")):
    t = Time()
    jobs = [Job(job.job_id, None, files=TASKS, seed=20 + i, initial_lines=200, lines_per_second=30, burst=15,
                duration_s=60 + 30 * i, name=job.name, end_phase=end, pace=job.pace)
            for i, (job, end) in enumerate(zip(sweep_jobs(2, "live"), end_phases))]
    sim = simulator(jobs, clock=t.clock)
    sim.faults.set_rates(**{"500": 0.05, "503": 0.05, "429": 0.05, "drop": 0.05})
    return sim, t


def expected_rows(sim, name):
    """Each value of the job's whole log, found line by line, per task."""
    from aomlog.metrics.curves import epoch_text
    from aomlog.metrics.extract import Extractor

    job = next(job for job in sim.api.snapshot() if job.name == name)
    rows = {}
    for task in TASKS:
        samples = Extractor().page(sim.log_lines(job.job_id, None, task))
        rows[task] = [[name, "" if s.step is None else str(s.step), "" if s.epoch is None else epoch_text(s.epoch),
                       s.name, s.text if s.text[-1].isdigit() else str(s.value).lower(), task] for s in samples]
    return rows


def per_job_and_task(rows):
    got = {}
    for row in rows:
        got.setdefault(row[0], {}).setdefault(row[5], []).append(row)
    return got


def test_follow_reads_every_run_to_its_end_and_exits_with_the_worst_status(simulator, aomlog):
    sim, t = runs_growing(simulator)
    r = aomlog("metrics", "live-lr1", "live-lr2", "--all-tasks", "-f", *conn_args(sim),
               env=Environment(sleep=t.sleep, clock=t.clock.now))
    assert r.status == 5, r  # the second failed
    assert "Completed after 1m00s" in r.err and "Failed after 1m30s" in r.err  # how each ended
    got = per_job_and_task(rows_of(r.out)[1:])
    assert got == {name: expected_rows(sim, name) for name in ("live-lr1", "live-lr2")}


def test_a_restart_from_one_cursor_file_goes_on_for_every_run(simulator, aomlog, tmp_path):
    sim, t = runs_growing(simulator, ("Completed", "Completed"))
    cursor = tmp_path / "runs.cursor"

    def sleep_then_stop(seconds):
        t.sleep(seconds)
        if len(t.sleeps) == 40:
            raise KeyboardInterrupt  # Ctrl-C, half way through

    args = ("metrics", "live-lr1", "live-lr2", "--all-tasks", "-f", "--cursor-file", cursor, *conn_args(sim))
    first = aomlog(*args, env=Environment(sleep=sleep_then_stop, clock=t.clock.now))
    assert first.status == 130, first
    saved = json.loads(cursor.read_text())
    assert len(saved["jobs"]) == 2 and all(set(job["positions"]) == set(TASKS) for job in saved["jobs"])
    second = aomlog(*args, env=Environment(sleep=t.sleep, clock=t.clock.now))
    assert second.status == 0, second
    assert not second.out.startswith(b"job,")  # it goes on: no second header
    got = per_job_and_task(rows_of(first.out + second.out)[1:])
    assert got == {name: expected_rows(sim, name) for name in ("live-lr1", "live-lr2")}


def test_a_one_job_cursor_file_goes_on_beside_another_job(sweep, aomlog, tmp_path):
    cursor = tmp_path / "one.cursor"
    assert aomlog("metrics", "sweep-lr1", "--task", "worker-0", "--cursor-file", cursor, *conn_args(sweep)).status == 0
    r = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--task", "worker-0", "--cursor-file", cursor, *conn_args(sweep))
    assert r.status == 0, r
    assert {row[0] for row in rows_of(r.out)} == {"sweep-lr2"}  # nothing new of the first; all of the second
    assert [job["job_id"] for job in json.loads(cursor.read_text())["jobs"]] == \
        [job.job_id for job in sweep_jobs(2, "sweep")]
    single = aomlog("metrics", "sweep-lr1", "--task", "worker-0", "--cursor-file", cursor, *conn_args(sweep))
    assert single.status == 2 and "several jobs" in single.err  # not silently dropping the other's positions


def test_a_cursor_file_of_other_jobs_is_refused(sweep, aomlog, tmp_path):
    cursor = tmp_path / "other.cursor"
    assert aomlog("metrics", "30", "1", "--cursor-file", cursor, *conn_args(sweep)).status == 0
    r = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--cursor-file", cursor, "--all-tasks", *conn_args(sweep))
    assert (r.status, r.out) == (2, b"") and "belongs to job 30 version 1" in r.err


def moving_average(values, n):
    out, window = [], []
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        window = (window + [v])[-n:]
        out.append(math.fsum(window) / len(window))
    return out


def test_smooth_exports_the_moving_average_beside_the_value_printed(sweep, aomlog):
    rows = rows_of(aomlog("metrics", "sweep-lr1", "--task", "worker-0", "--smooth", 5, *conn_args(sweep)).out)
    assert rows[0] == ["step", "epoch", "metric", "value", "file", "raw"]
    plain = alone(aomlog, sweep, "sweep-lr1", "--task", "worker-0")
    assert [row[:3] + row[4:5] for row in rows[1:]] == [row[:3] + row[4:5] for row in plain[1:]]
    assert [row[5] for row in rows[1:]] == [row[3] for row in plain[1:]]  # raw: as printed
    for metric in ("loss", "val_acc", "grad_norm"):
        raw = [float(row[5]) for row in rows[1:] if row[2] == metric]
        smoothed = [float(row[3]) for row in rows[1:] if row[2] == metric]
        assert len(raw) > 10
        expected = moving_average(raw, 5)
        assert all(math.isclose(a, b, rel_tol=1e-7) or (math.isnan(a) and math.isnan(b))
                   for a, b in zip(smoothed, expected))
    assert any(row[3] != row[5] for row in rows[1:] if row[2] == "loss")  # smoothed indeed


def test_smooth_in_json_says_so(sweep, aomlog):
    r = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--task", "worker-0", "--smooth", 3, "-o", "json",
               "--metric", "loss", *conn_args(sweep))
    rows = [json.loads(line) for line in r.out.decode().splitlines()]
    assert rows and all(row["smooth"] == 3 and row["metric"] == "loss" for row in rows)
    for job in ("sweep-lr1", "sweep-lr2"):  # each run's own average
        mine = [row for row in rows if row["job"] == job]
        assert [row["value"] for row in mine] == pytest.approx(moving_average([row["raw"] for row in mine], 3))


def test_two_runs_on_a_terminal_a_line_per_run_named_in_the_legend_and_a_run_column(sweep, aomlog, monkeypatch):
    from aomlog.metrics import view

    monkeypatch.setattr(view.terminal, "size", lambda: os.terminal_size((120, 60)))
    r = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--task", "worker-0", "-o", "chart", "--color", "never",
               "--smooth", 4, *conn_args(sweep))
    assert r.status == 0, r
    shown = r.out.decode()
    assert "loss (moving average of 4)" in shown
    assert "▞▞ sweep-lr1" in shown and "▞▞ sweep-lr2" in shown  # the legend
    header = next(line for line in shown.splitlines() if line.startswith("METRIC"))
    assert header.split()[:2] == ["METRIC", "RUN"] and "TASK" not in header
    assert any(line.split()[:2] == ["loss", "sweep-lr2"] for line in shown.splitlines())


def test_with_all_tasks_a_line_per_run_and_task(sweep, aomlog, monkeypatch):
    from aomlog.metrics import view

    monkeypatch.setattr(view.terminal, "size", lambda: os.terminal_size((120, 80)))
    shown = aomlog("metrics", "sweep-lr1", "sweep-lr2", "--all-tasks", "-o", "chart", "--color", "never",
                   "--metric", "loss", *conn_args(sweep)).out.decode()
    for run in ("sweep-lr1", "sweep-lr2"):
        for task in TASKS:
            assert f"▞▞ {run} {task}" in shown
    header = next(line for line in shown.splitlines() if line.startswith("METRIC"))
    assert header.split()[:3] == ["METRIC", "RUN", "TASK"]

