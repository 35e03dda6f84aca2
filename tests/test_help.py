"""The --help pages: on stdout, never wider than the terminal's 80 columns, summaries never cut,
the exit statuses of every command that reads a job, tail's options in sections."""

import os
import subprocess
import sys

import click
import pytest

from aomlog.cli import COMMANDS, SUMMARIES, cli
from aomlog.errors import ExitStatus

from conftest import ROOT

READS_A_JOB = ("tail", "files", "metrics")


def every_command():
    """(the words that name it, the command) for every command and subcommand."""
    found = []

    def walk(path, group):
        ctx = click.Context(group, info_name=path[-1] if path else "aomlog")
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            found.append((path + [name], command))
            if isinstance(command, click.Group):
                walk(path + [name], command)

    walk([], cli)
    return found


def test_aomlog_alone_prints_its_help_on_stdout_and_succeeds(aomlog):
    r = aomlog()
    assert (r.status, r.err) == (0, "")
    assert r.out.decode().startswith("Usage: aomlog [OPTIONS] COMMAND [ARGS]...\n")
    assert r.out == aomlog("--help").out


@pytest.mark.parametrize("columns, widest", [(80, 80), (120, 100)])  # 100: the help's own widest
def test_no_line_of_any_help_is_wider_than_the_terminal(aomlog, monkeypatch, columns, widest):
    monkeypatch.setenv("COLUMNS", str(columns))
    wide = []
    for words, _ in [([], cli)] + every_command():
        r = aomlog(*words, "--help")
        assert r.status == 0, (words, r)
        wide += [(" ".join(words), line) for line in r.out.decode().splitlines() if len(line) > widest]
    assert wide == []


def test_the_list_of_commands_shows_each_summary_whole(aomlog, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    listed = aomlog("--help").out.decode().split("\nCommands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == list(COMMANDS)
    for line in listed:
        name = line.split()[0]
        assert line.split(None, 1)[1] == SUMMARIES[name] and not SUMMARIES[name].endswith("...")


def test_each_command_has_its_summary_where_shells_show_it():
    for words, command in every_command():
        if len(words) == 1:
            assert command.get_short_help_str() == SUMMARIES[words[0]]


@pytest.mark.parametrize("command", READS_A_JOB)
def test_a_command_that_reads_a_job_names_every_exit_status(aomlog, command):
    text = aomlog(command, "--help").out.decode()
    epilog = text.split("\n  Exit statuses:\n")[1].splitlines()
    assert [int(line.split()[0]) for line in epilog] == [int(status) for status in ExitStatus]


def test_tails_options_come_in_sections_v2_before_v1(aomlog):
    text = aomlog("tail", "--help").out.decode()
    headings = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert headings[1:] == ["Reading:", "Following:", "Output:", "Connection:", "Options:"]
    reading = text.split("\nReading:\n")[1].split("\n\n")[0]
    assert reading.index("--task") < reading.index("--all-tasks") < reading.index("--file") < reading.index("--all-files")
    assert "--follow" in text.split("\nFollowing:\n")[1].split("\n\n")[0]
    assert "--grep" in text.split("\nOutput:\n")[1].split("\n\n")[0]
    assert "--endpoint" in text.split("\nConnection:\n")[1].split("\n\n")[0]
    assert text.split("\nOptions:\n")[1].split("\n\n")[0].split() == ["-h,", "--help", "Show", "this", "message",
                                                                        "and", "exit."]


def test_every_option_of_tail_is_shown_once(aomlog):
    text = aomlog("tail", "--help").out.decode()
    for param in cli.get_command(click.Context(cli), "tail").params:
        for opt in getattr(param, "opts", []) if isinstance(param, click.Option) else []:
            if opt.startswith("--"):
                assert text.count(f"  {opt} ") + text.count(f", {opt} ") + text.count(f"{opt}\n") == 1, opt


def test_the_list_of_commands_imports_no_command():
    code = ("import sys\nfrom aomlog.cli import run\nrun(['--help'])\n"
            "print(*sorted(m for m in sys.modules if m.startswith('aomlog.cli.')), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    commands = {where.split(":")[0] for where in COMMANDS.values()} - {"aomlog.cli.completion"}  # TAB's, always in
    assert done.stdout.startswith("Usage: aomlog") and not set(done.stderr.split()) & commands
