"""The output formats of every command: what -o offers and its help, the default wherever the
output goes, and the writer each format makes."""

import io
import os
import subprocess
import sys

import pytest

from aomlog.api import JobRef, Page
from aomlog.metrics.curves import Curves
from aomlog.metrics.extract import Sample
from aomlog.output.formats import EVERYWHERE, FORMATS, PIPE, TERMINAL, CommandFormats, Format, formats_of
from aomlog.output.linefilter import LineFilter
from aomlog.output.terminal import Destination
from aomlog.simulator import Job

from conftest import ROOT, conn_args

JOB = JobRef("v1", "10", "10")


def test_each_command_has_one_default_on_a_terminal_and_one_in_a_pipe():
    for command, entry in FORMATS.items():
        for where in EVERYWHERE:
            assert len([f for f in entry.formats if where in f.default_on]) == 1, (command, where)
        assert len(set(entry.names())) == len(entry.names()), command


@pytest.mark.parametrize("command, names, default, words", [
    ("tail", ["text", "json"], "text",
     "json: JSON Lines, one object per log line with job, task (v1: version, file), end_line and text; read it "
     "with jq."),
    ("metrics", ["chart", "csv", "json"], None,
     "chart: charts and a table (the default on a terminal); csv: one row per value with a header (the default "
     "in a pipe); json: JSON Lines."),
    ("jobs", ["text", "json"], "text",
     "json: one JSON object per line (JSON Lines) with id, name, status, phase, api, version, created, "
     "duration_ms, streams."),
])
def test_the_choices_default_and_help_users_know(command, names, default, words):
    entry = formats_of(command)
    assert (entry.names(), entry.default(), entry.help()) == (names, default, words)


def test_help_of_each_commands_options_comes_from_the_table(aomlog):
    for command, entry in FORMATS.items():
        text = " ".join(aomlog(command, "--help").out.decode().split())
        assert "-o, --output [" + "|".join(entry.names()) + "]" in text
        assert entry.help() in text and entry.colors in text, command


@pytest.mark.parametrize("command, tty, chosen", [
    ("tail", True, "text"), ("tail", False, "text"),
    ("metrics", True, "chart"), ("metrics", False, "csv"),
    ("jobs", True, "text"), ("jobs", False, "text"),
])
def test_without_a_choice_the_default_depends_on_where_output_goes(command, tty, chosen):
    assert formats_of(command).chosen(None, tty).name == chosen
    assert formats_of(command).chosen("json", tty).name == "json"  # a choice holds anywhere


def test_a_new_format_is_one_entry_and_its_writer_is_imported_when_made():
    entry = CommandFormats([Format("text", "", "aomlog.metrics.export:json_rows", (PIPE,)),
                            Format("wide", "every column", "aomlog.metrics.export:csv_rows", (TERMINAL,))],
                           colors="Colour it.")
    assert entry.help() == "wide: every column (the default on a terminal)."
    out = io.BytesIO()
    rows = entry.chosen("wide", tty=False).make(Destination(out, False, False), header=lambda: True)
    rows.finish()
    assert out.getvalue() == b"step,epoch,metric,value,file\n"  # a log with no values still gets its header
    with pytest.raises(ValueError):
        entry.chosen("yaml", tty=False)


def page(lines):
    return Page("".join(line + "\n" for line in lines), len(lines), None, "7")


def test_tail_text_is_the_logs_own_bytes_in_a_pipe_and_safe_on_a_terminal():
    lines = ["\x1b[2Jstep 1 loss=0.5"]
    for tty, shown in ((False, b"\x1b[2Jstep 1 loss=0.5\n"), (True, b"^[[2Jstep 1 loss=0.5\n")):
        out = io.BytesIO()
        renderer = formats_of("tail").chosen(None, tty).make(Destination(out, tty, False), job=JOB,
                                                            files=["log1.log"], line_filter=LineFilter())
        renderer.page("log1.log", page(lines))
        assert out.getvalue() == shown


def test_tail_json_says_where_each_line_came_from():
    out = io.BytesIO()
    renderer = formats_of("tail").chosen("json", True).make(Destination(out, True, True), job=JOB,
                                                           files=["log1.log"], line_filter=LineFilter())
    renderer.page("log1.log", page(["a"]))
    assert out.getvalue() == b'{"job": "10", "version": "10", "file": "log1.log", "end_line": "7", "text": "a"}\n'


def test_metrics_rows_csv_with_a_header_json_without():
    samples = [Sample(0, 3, None, "loss", 0.5, "0.5")]
    for name, header, written in (("csv", True, b"step,epoch,metric,value,file\n3,,loss,0.5,worker-0\n"),
                                  ("csv", False, b"3,,loss,0.5,worker-0\n"),
                                  ("json", True, b'{"step": 3, "epoch": null, "metric": "loss", "value": 0.5, '
                                                 b'"file": "worker-0"}\n')):
        out = io.BytesIO()
        rows = formats_of("metrics").chosen(name, False).make(Destination(out, False, False), curves=Curves(),
                                                             live=False, header=lambda: header)
        rows.page("worker-0", samples)
        rows.finish()
        assert out.getvalue() == written


def test_metrics_chart_draws_the_curves_on_the_terminal_text():
    text = io.StringIO()
    chosen = formats_of("metrics").chosen(None, True)
    view = chosen.make(Destination(io.BytesIO(), True, False, text), curves=Curves(), live=False,
                       header=lambda: True)
    assert chosen.draws
    view.finish()
    assert text.getvalue() == "No metrics found in the log yet.\n"


LOADED = ("import sys; from aomlog.cli import run; status = run(sys.argv[1:]); "
          "sys.stderr.write(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'rich', 'plotext'} | "
          "{m for m in sys.modules if m in WRITERS}))); sys.exit(status)")
WRITERS = ("aomlog.output.render", "aomlog.output.joblist", "aomlog.metrics.view", "aomlog.metrics.export")


def loaded(*args):
    """The drawing libraries and writer modules that ``aomlog ARGS`` loads, its stdout a pipe."""
    code = LOADED.replace("WRITERS", repr(set(WRITERS)))
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, cwd=ROOT, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    return done.stderr.decode().split()


@pytest.mark.parametrize("command", sorted(FORMATS))
def test_help_reads_the_table_and_loads_no_writer(command):
    assert loaded(command, "--help") == []


def test_the_pipe_path_of_jobs_and_metrics_loads_neither_rich_nor_plotext(simulator):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=20, seed=3)])
    assert loaded("jobs", *conn_args(sim)) == ["aomlog.output.joblist"]
    assert loaded("metrics", 10, 10, *conn_args(sim)) == ["aomlog.metrics.export"]  # csv in a pipe
