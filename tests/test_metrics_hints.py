"""What `aomlog metrics` tells a new user: a misspelt --metric, --metric on TAB, charts tall enough to read,
the demo's table; and TAB for each JOB [VERSION] of several runs."""

import io
import os
import re

import pytest

from aomlog.metrics.curves import Curves
from aomlog.metrics.extract import Sample
from aomlog.metrics.view import MetricsView
from aomlog.simulator import Job, sweep_jobs

from conftest import conn_args

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"


@pytest.fixture
def sim(simulator):
    return simulator([Job(UUID, None, files=["worker-0"], total_lines=2000, seed=6, name="curves")])


def test_a_misspelt_metric_names_those_found_closest_first(sim, aomlog):
    r = aomlog("metrics", "curves", "--metric", "val_accuracy", "--metric", "loss", *conn_args(sim))
    assert r.status == 0 and r.out.startswith(b"step,")
    said = [line for line in r.err.splitlines() if "val_accuracy" in line]
    assert len(said) == 1 and "loss" not in r.err.replace(said[0], "")  # loss has values: nothing said of it
    found = said[0].split("the metrics found: ")[1].split(", ")
    assert found[0] == "val_acc" and {"loss", "acc", "lr", "val_loss"} <= set(found)


def test_a_misspelt_metric_on_the_chart_too(sim, aomlog):
    r = aomlog("metrics", "curves", "--metric", "Loss", "-o", "chart", "--color", "never", *conn_args(sim))
    assert r.out == b"No metrics found in the log yet.\n"
    assert "no values of metric 'Loss' in the log; the metrics found: loss," in r.err


def test_metric_completes_from_the_names_found_when_the_job_was_last_read(sim, aomlog, complete):
    assert complete("aomlog metrics curves --metric ") == []  # never read: nothing, and no request
    assert aomlog("metrics", "curves", "--metric", "loss", *conn_args(sim)).status == 0
    requests = sum(sim.request_count.values())
    assert complete("aomlog metrics curves --metric val") == ["val_acc", "val_loss"]
    assert complete(f"aomlog metrics {UUID} --metric l") == ["loss", "loss_scale", "lr"]  # by id too
    assert complete("aomlog metrics other --metric ") == []
    assert sum(sim.request_count.values()) == requests  # TAB asks no API


def test_each_job_argument_completes_jobs_and_after_a_v1_id_its_versions(complete):
    from aomlog.settings import cache

    cache.remember_job("10", "3")
    cache.store_job_list([(UUID, None, "curves"), ("10", "10", "old")])
    assert set(complete("aomlog metrics ")) == {"10", UUID, "curves", "old"}
    assert set(complete("aomlog metrics curves ")) == {"10", UUID, "curves", "old"}
    assert complete("aomlog metrics curves 10 ") == ["3", "10", UUID, "curves", "old"]
    assert complete("aomlog metrics curves 10 3 c") == ["curves"]  # 3 was the version: a job next


def chart_heights(drawn):
    """The rows of each chart's plot, between its top and bottom borders."""
    heights, rows = [], None
    for line in drawn.splitlines():
        if "┌" in line:
            rows = 0
        elif "└" in line and rows is not None:
            heights.append(rows)
            rows = None
        elif rows is not None:
            rows += 1
    return heights


def four_metrics(streams=("worker-0", "worker-1")):
    curves = Curves()
    for stream in streams:
        curves.page(stream, [Sample(i, i, None, name, (i % 7) / (i + 1), "0.5")
                             for i in range(300) for name in ("loss", "acc", "lr", "val_loss")], 300)
    return curves


@pytest.mark.parametrize("live", [False, True])
@pytest.mark.parametrize("columns, lines", [(100, 38), (120, 30), (80, 24)])
def test_charts_keep_a_readable_height_and_say_which_were_left_out(live, columns, lines):
    view = MetricsView(four_metrics(), io.StringIO(), color=False, live=live,
                       size=lambda: os.terminal_size((columns, lines)))
    drawn = view.render()
    heights = chart_heights(drawn)
    # The plot, not only its legend; but a live view with room for no readable chart still shows one small one.
    assert heights and (all(h >= 8 for h in heights) or live and len(heights) == 1)
    left_out = ["loss", "acc", "lr", "val_loss"][len(heights):]
    assert left_out  # these terminals are too small for four readable charts
    note = re.search(r"Not charted for want of room: ([^\n]*)", drawn)
    assert note and note.group(1).split(", ") == left_out
    if live:
        assert len(drawn.splitlines()) < lines  # and the whole still fits


def test_a_tall_terminal_shows_every_chart_and_no_note():
    view = MetricsView(four_metrics(), io.StringIO(), color=False, live=False, size=lambda: os.terminal_size((100, 90)))
    drawn = view.render()
    assert len(chart_heights(drawn)) == 4 and "Not charted" not in drawn


def test_the_command_says_how_to_ask_for_a_chart_left_out(sim, aomlog, monkeypatch):
    from aomlog.metrics import view

    monkeypatch.setattr(view.terminal, "size", lambda: os.terminal_size((100, 38)))
    r = aomlog("metrics", "curves", "-o", "chart", "--color", "never", *conn_args(sim))
    assert "Not charted for want of room:" in r.out.decode() and "--metric NAME" in r.out.decode()


def test_the_demos_table_calls_a_v2_jobs_streams_tasks(simulator, capsys, monkeypatch):
    from aomlog.api.apis import Apis
    from aomlog.cli.simulate import _curves
    from aomlog.engine.settings import TailSettings
    from aomlog.engine.start import Start
    from aomlog.engine.streams import Streams
    from aomlog.engine.tail import Tail
    from aomlog.metrics import view
    from aomlog.transport.client import Client

    monkeypatch.setattr(view.terminal, "size", lambda: os.terminal_size((120, 30)))
    monkeypatch.setenv("NO_COLOR", "1")
    sim = simulator([Job(UUID, None, files=["worker-0", "worker-1"], total_lines=1500, seed=3, name="demo")])
    apis = Apis(Client(sim.url, "p0123", retries=0))
    ref = apis.resolve("demo")
    _curves(Tail(apis.of(ref), TailSettings(ref, Streams(every=True), Start.from_line(1))), "demo")
    shown = capsys.readouterr().out
    header = next(line for line in shown.splitlines() if line.startswith("METRIC"))
    assert header.split()[:2] == ["METRIC", "TASK"] and "FILE" not in shown
    assert all(h >= 8 for h in chart_heights(shown))


def test_sweep_jobs_are_served_by_the_simulator_on_its_own(simulator, aomlog):
    from aomlog.simulator import default_jobs

    assert {"sweep-lr1", "sweep-lr2"} <= {job.name for job in default_jobs()}
    jobs = sweep_jobs(3, "x", job_id=40, total_lines=100)
    assert [(job.job_id, job.version_id, job.name) for job in jobs] == [(40, 1, "x-lr1"), (41, 1, "x-lr2"),
                                                                        (42, 1, "x-lr3")]
    assert len({job.pace for job in jobs}) == 3
