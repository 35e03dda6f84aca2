"""`aomlog metrics` over real HTTP: exact CSV and JSON Lines, once only under -f with faults and
restarts, and the charts on a terminal."""

import csv
import io
import json
import math
import subprocess

import pytest

from aomlog.cli.env import Environment
from aomlog.metrics.curves import epoch_text
from aomlog.metrics.extract import Extractor
from aomlog.simulator import Job

from conftest import conn_args, spawn
from engine import Time
from ptycapture import PtyCapture

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
TASKS = ["worker-0", "worker-1"]


def expected_rows(sim, tasks=TASKS):
    """What the log holds, found by the extractor line by line, as CSV rows per task."""
    rows = {}
    for task in tasks:
        extractor = Extractor()
        lines = sim.log_lines(UUID, None, task)
        rows[task] = [["" if s.step is None else str(s.step), "" if s.epoch is None else epoch_text(s.epoch),
                       s.name, s.text, task] for s in extractor.page(lines)]
    return rows


def per_task(rows):
    got = {}
    for row in rows:
        got.setdefault(row[4], []).append(row)
    return got


@pytest.fixture
def sim(simulator):
    return simulator([Job(UUID, None, files=TASKS, total_lines=4000, seed=6, name="curves")])


def test_csv_in_a_pipe_has_a_header_then_every_value_once_in_log_order(sim, aomlog):
    r = aomlog("metrics", "curves", "--all-tasks", *conn_args(sim))
    assert r.status == 0, r
    rows = list(csv.reader(io.StringIO(r.out.decode())))
    assert rows[0] == ["step", "epoch", "metric", "value", "file"]
    assert per_task(rows[1:]) == expected_rows(sim)
    for step, epoch, metric, value, task in rows[1:]:
        float(value)  # every value reads back as a number ("nan" included)
        assert step == "" or step.isdigit()


def test_json_lines_have_the_same_values(sim, aomlog):
    r = aomlog("metrics", "curves", "--task", "worker-1", "-o", "json", *conn_args(sim))
    rows = [json.loads(line) for line in r.out.decode().splitlines()]
    assert set(rows[0]) >= {"step", "epoch", "metric", "value", "file"}
    expected = expected_rows(sim, ["worker-1"])["worker-1"]
    assert [(row["metric"], row["file"]) for row in rows] == [(e[2], e[4]) for e in expected]
    values = [float(e[3]) for e in expected]
    assert [row["value"] for row in rows] == [v if math.isfinite(v) else None for v in values]
    assert [row.get("text") for row in rows] == [None if math.isfinite(v) else e[3] for v, e in zip(values, expected)]
    assert any(not math.isfinite(v) for v in values)  # the simulator's log prints a grad_norm=nan


def test_only_the_metrics_named(sim, aomlog):
    r = aomlog("metrics", "curves", "--task", "worker-0", "--metric", "val_acc", "--metric", "lr", *conn_args(sim))
    rows = list(csv.reader(io.StringIO(r.out.decode())))[1:]
    assert {row[2] for row in rows} == {"val_acc", "lr"}
    assert rows == [e for e in expected_rows(sim, ["worker-0"])["worker-0"] if e[2] in ("val_acc", "lr")]


def growing_job(simulator, style):
    t = Time()
    job = Job(UUID, None, files=TASKS, seed=8, initial_lines=300, lines_per_second=40, burst=20, duration_s=120,
              name="live", style=style)
    sim = simulator([job], clock=t.clock)
    sim.faults.set_rates(**{"500": 0.05, "503": 0.05, "429": 0.05, "drop": 0.05, "cut": 0.02})
    return sim, t


@pytest.fixture(params=["pytorch", "keras"])  # Keras: the epoch of a banner carries to the lines after it
def growing(simulator, request):
    return growing_job(simulator, request.param)


def test_values_come_once_under_follow_with_faults(growing, aomlog):
    sim, t = growing
    r = aomlog("metrics", "live", "--all-tasks", "-f", "-o", "csv", *conn_args(sim),
               env=Environment(sleep=t.sleep, clock=t.clock.now))
    assert r.status == 0, r
    rows = list(csv.reader(io.StringIO(r.out.decode())))
    assert rows[0][0] == "step" and per_task(rows[1:]) == expected_rows(sim)


def test_a_restart_from_the_cursor_file_goes_on_without_a_header_or_a_value_twice(growing, aomlog, tmp_path):
    sim, t = growing
    cursor = tmp_path / "curves.cursor"

    def sleep_then_stop(seconds):
        t.sleep(seconds)
        if len(t.sleeps) == 40:
            raise KeyboardInterrupt  # Ctrl-C, half way through the job

    first = aomlog("metrics", "live", "--all-tasks", "-f", "--cursor-file", cursor, *conn_args(sim),
                   env=Environment(sleep=sleep_then_stop, clock=t.clock.now))
    assert first.status == 130
    second = aomlog("metrics", "live", "--all-tasks", "-f", "--cursor-file", cursor, *conn_args(sim),
                    env=Environment(sleep=t.sleep, clock=t.clock.now))
    assert second.status == 0, second
    assert not second.out.startswith(b"step,")
    rows = list(csv.reader(io.StringIO((first.out + second.out).decode())))
    assert rows[0][0] == "step" and per_task(rows[1:]) == expected_rows(sim)


def test_tail_moving_on_from_a_cursor_file_of_metrics_drops_the_epoch_it_never_saw(simulator, aomlog, tmp_path):
    sim, t = growing_job(simulator, "keras")
    cursor = tmp_path / "curves.cursor"
    assert aomlog("metrics", "live", "--all-tasks", "--cursor-file", cursor, *conn_args(sim)).status == 0
    kept = json.loads(cursor.read_text())["carried"]
    assert set(kept) == set(TASKS)
    assert aomlog("tail", "live", "--all-tasks", "--cursor-file", cursor, *conn_args(sim)).status == 0  # no news
    assert json.loads(cursor.read_text())["carried"] == kept
    t.sleep(30)  # the job writes on, past banners tail does not look for
    assert aomlog("tail", "live", "--all-tasks", "--cursor-file", cursor, *conn_args(sim)).status == 0
    assert "carried" not in json.loads(cursor.read_text())


@pytest.mark.parametrize("tasks", [["--task", "worker-0"], ["--all-tasks"]])
def test_on_a_terminal_a_chart_per_metric_and_a_table(sim, monkeypatch, tasks):
    monkeypatch.setenv("TERM", "xterm-256color")
    pty = PtyCapture(columns=120, rows=60)
    proc = spawn(["metrics", "curves", *tasks, *conn_args(sim)], stdout=pty.slave, stderr=subprocess.PIPE)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    shown = pty.output().decode()
    for name in ("loss", "acc", "lr", "val_loss"):  # the four most frequent
        assert f" {name} " in shown or f"{name}\x1b" in shown or f"{name}\n" in shown
    assert "METRIC" in shown and "LAST" in shown and "MIN" in shown and "MAX" in shown
    assert ("TASK" in shown) == (tasks == ["--all-tasks"]) and "FILE" not in shown  # v2 jobs have tasks
    assert "│" in shown and "┤" in shown  # drawn
    assert "\x1b[" in shown  # in colour


def test_a_followed_job_that_ends_leaves_its_last_drawing_once(sim, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    pty = PtyCapture(columns=100, rows=40)
    proc = spawn(["metrics", "curves", "--task", "worker-0", "-f", *conn_args(sim)], stdout=pty.slave,
                 stderr=subprocess.PIPE)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    shown = pty.output()
    show = b"\x1b[?25h"
    assert shown.count(b"METRIC") >= 1 and b"METRIC" not in shown[shown.rindex(show):]  # not drawn again below


def test_ctrl_c_on_the_live_view_gives_the_cursor_back(simulator, monkeypatch):
    import signal

    job = Job(UUID, None, files=["worker-0"], seed=6, name="live", initial_lines=2000, lines_per_second=5.0,
              duration_s=3600)
    sim = simulator([job])
    monkeypatch.setenv("TERM", "xterm-256color")
    pty = PtyCapture(columns=100, rows=40)
    proc = spawn(["metrics", "live", "-f", *conn_args(sim)], stdout=pty.slave, stderr=subprocess.PIPE)
    hide, show = b"\x1b[?25l", b"\x1b[?25h"
    assert pty.wait_for(hide), "the live view never started"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    shown = pty.output()
    assert show in shown[shown.rindex(hide):]


@pytest.mark.parametrize("follow, progress", [((), True), (("-f",), False)])
def test_a_progress_line_shows_under_the_final_chart_but_never_under_the_live_view(sim, aomlog, follow, progress):
    asked, t = [], Time()

    class Asked(Environment):
        def progress(self, no_progress, always=False):
            asked.append(always)

    r = aomlog("metrics", "curves", "--task", "worker-0", "-o", "chart", *follow, *conn_args(sim),
               env=Asked(sleep=t.sleep, clock=t.now))
    assert r.status == 0 and asked == [progress]


def test_a_log_without_metrics_says_so(simulator, aomlog):
    import types

    from fakelog import FakeApi, FakeApis

    env = Environment(client=lambda conn: types.SimpleNamespace(debug=None),
                      apis=lambda client: FakeApis(FakeApi({"log1.log": ["no numbers here", "GET /health 200"]})))
    r = aomlog("metrics", 10, 10, "-o", "chart", "--color", "never", "--project-id", "p", "--endpoint", "http://x",
               env=env)
    assert (r.status, r.out) == (0, b"No metrics found in the log yet.\n")
    csv_out = aomlog("metrics", 10, 10, "--project-id", "p", "--endpoint", "http://x", env=env)
    assert csv_out.out == b"step,epoch,metric,value,file\n"  # no row; pandas reads it as an empty table


def read_csv(data):
    """pandas.read_csv as it is; before pandas 3.1 (the last for Python 3.9 and 3.10 is 2.3), its
    default float parser may miss the nearest double by one unit, and "round_trip" is exact."""
    import pandas

    major, minor = (int(part) for part in pandas.__version__.split(".")[:2])
    return pandas.read_csv(data, **({} if (major, minor) >= (3, 1) else {"float_precision": "round_trip"}))


@pytest.mark.parametrize("style", ["pytorch", "huggingface", "keras", "mindspore"])
def test_pandas_reads_the_csv_as_it_is(simulator, aomlog, style):
    import pandas

    sim = simulator([Job(UUID, None, files=TASKS, total_lines=3000, seed=8, name="curves", style=style)])
    r = aomlog("metrics", "curves", "--all-tasks", *conn_args(sim))
    table = read_csv(io.BytesIO(r.out))
    assert list(table.columns) == ["step", "epoch", "metric", "value", "file"]
    assert str(table["value"].dtype) == "float64" and len(table) > 100
    expected = expected_rows(sim)
    for task in TASKS:  # each value, as the log printed it, in log order
        mine = table[table["file"] == task]
        assert [(name, str(value)) for name, value in zip(mine["metric"], mine["value"])] == \
            [(name, str(float(text))) for _, _, name, text, _ in expected[task]]


def test_nan_and_infinities_reach_pandas_as_numbers_however_printed():
    from aomlog.metrics.extract import Sample
    from aomlog.metrics.export import CsvRows

    out = io.BytesIO()
    printed = ["NAN", "+nan", "NaN", "Infinity", "-INF", "+inf", "0.5"]
    CsvRows(out).page("worker-0", [Sample(i, i, None, "loss", float(text), text) for i, text in enumerate(printed)])
    values = read_csv(io.BytesIO(out.getvalue()))["value"]
    assert str(values.dtype) == "float64"
    assert [str(v) for v in values] == ["nan", "nan", "nan", "inf", "-inf", "inf", "0.5"]


def test_csv_quotes_what_needs_quoting_and_reads_back_exactly():
    import io as _io

    from aomlog.metrics.extract import Sample
    from aomlog.metrics.export import CsvRows

    out = _io.BytesIO()
    rows = CsvRows(out)
    rows.page('job "a", node 1.log', [Sample(0, 3, 1.5, "Train Loss", 0.25, "0.25"),
                                       Sample(1, None, None, "lr", 1e-4, "1.000e-04"),
                                       Sample(2, 7, 2.0, "loss", float("nan"), "nan")])
    rows.finish()
    read = list(csv.reader(_io.StringIO(out.getvalue().decode())))
    assert read == [["step", "epoch", "metric", "value", "file"],
                    ["3", "1.5", "Train Loss", "0.25", 'job "a", node 1.log'],
                    ["", "", "lr", "1.000e-04", 'job "a", node 1.log'],
                    ["7", "2", "loss", "nan", 'job "a", node 1.log']]


@pytest.mark.parametrize("since_line, newest", [(1000, 1500), (3000, 2500)])
def test_since_with_n_reads_the_newest_n_of_the_lines_since_then(sim, aomlog, since_line, newest):
    lines = sim.log_lines(UUID, None, "worker-0")
    at = next(i for i in range(since_line, len(lines)) if lines[i][:4] == "2026")
    since = lines[at][:23].replace(" ", "T").replace(",", ".") + "Z"  # the simulator's UTC time
    first = next(i for i, line in enumerate(lines) if line[:23] >= lines[at][:23] and line[:4] == "2026")
    r = aomlog("metrics", "curves", "--task", "worker-0", "--since", since, "-n", newest, *conn_args(sim))
    assert r.status == 0, r
    read = lines[max(first, len(lines) - newest):]
    expected = [["" if s.step is None else str(s.step), "" if s.epoch is None else epoch_text(s.epoch), s.name, s.text,
                 "worker-0"] for s in Extractor().page(read)]
    assert list(csv.reader(io.StringIO(r.out.decode())))[1:] == expected and expected
