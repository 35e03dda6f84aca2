"""``aomlog tail`` (write the engine's pages as they come) and ``aomlog files``."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO, Optional

import click

from aomlog.cli import reading as common
from aomlog.cli.display import display_options
from aomlog.cli.helptext import CONNECTION, job_command
from aomlog.cli.options import connection_options
from aomlog.cli.reading import (catch_up_options, follow_options, job_arguments, reading_arguments, start_options,
                                stream_options)

if TYPE_CHECKING:
    from aomlog.api.family import Page
    from aomlog.engine.outcome import Started
    from aomlog.engine.tail import Tail
    from aomlog.output.render import Display

# tail's options in --help: v2's tasks before v1's files, then where to start, and so on.
TAIL_SECTIONS = (
    ("Reading", ("tasks", "all_tasks", "files", "all_files", "lines", "from_start", "since", "base_line",
                 "parallel", "no_progress")),
    ("Following", ("follow", "interval", "max_interval", "cursor_file", "no_events")),
    ("Output", ("output", "color", "grep", "exclude", "highlight")),
    CONNECTION,
)

@job_command(sections=TAIL_SECTIONS)
@job_arguments
@stream_options
@start_options(newest="default 50")
@follow_options(doing="printing new lines")
@click.option("--no-events", is_flag=True,
              help="With -f: no notices of the job's new warning and error events on stderr.")
@catch_up_options
@display_options
@connection_options
@reading_arguments
def tail(reading, display, conn: dict) -> int:
    """Print the log of a training job, or follow it to the job's end.

    JOB is a job's name, a v2 job's id (a UUID, or the start of one that no other
    job's id starts with, as 'aomlog jobs' shows it on a terminal) or a v1 job's id
    (an integer, then VERSION, by default its newest).

    \b
    Examples:
      aomlog tail resnet50-train -f          wait for it to start, follow it
      aomlog tail 3faf5c03 --all-tasks -f    every worker's log (an id's start)
      aomlog tail resnet50-train -n 2000     the newest 2000 lines
      aomlog tail resnet50-train -n +1       the whole log, oldest first
      aomlog tail resnet50-train --since 2h  from two hours ago on
      aomlog tail resnet50-train --since 2h -n 5
      aomlog tail resnet50-train -f | grep -i loss
      aomlog tail 10 10 --file log1.log      a v1 job's version and log file
      aomlog tail resnet50-train -o json | jq -r .text

    \b
    On a terminal each line starts with a coloured marker of its kind:
      E error or traceback, W warning, I info, D debug,
      P progress bar, M epoch or metric summary.

    Escape sequences in the log are shown as ^[ (never sent to the terminal), and a
    progress bar redrawn with \\r shows its last state. In a pipe the log's bytes pass
    unchanged.
    """
    from aomlog.engine.start import Start

    return write_pages(common.engine_for(reading, conn, Start.last(50)), display)


def write_pages(engine: "Tail", display: Optional["Display"] = None, out: Optional[BinaryIO] = None) -> int:
    """Write the engine's pages; with follow, say how the job ended and exit by it."""
    from aomlog.cli.env import current
    from aomlog.output.render import Display, make_renderer

    from aomlog.cli.errors import notice
    from aomlog.cli.jobstory import summary
    from aomlog.output.firsttrace import FirstTraceback

    stream = out or current().stdout
    renderers = []
    traceback = FirstTraceback()

    def begin(started: "Started") -> None:  # the streams say whether lines get a [task] prefix
        renderers.append(make_renderer(display or Display(), stream, started.job, started.streams))

    def write(name: str, page: "Page") -> None:
        renderers[0].page(name, page)
        traceback.page(name, page)

    outcome = engine.run(write, on_start=begin)
    status = common.ended(outcome)
    for line in summary(outcome, engine.using.story, traceback.found):
        notice(line)
    return status


@job_command()
@job_arguments
@connection_options
def files(job: str, version: Optional[str], conn: dict) -> None:
    """List a job's log files (v1: of the version) or tasks (v2), one per line.

    \b
    Examples:
      aomlog files resnet50-train
      aomlog files 10 10
    """
    from aomlog.cli.env import current
    from aomlog.output.outstream import write_all
    from aomlog.output.terminal import isatty

    common.check_ids(job, version)
    env = current()
    _, api, ref = common.job_api(env, conn, job, version)
    names = api.streams(ref)
    out = env.stdout
    if isatty(out):  # names are the server's text: never let them drive the terminal
        from aomlog.output.safetext import visible

        names = [visible(name) for name in names]
    write_all(out, "".join(name + "\n" for name in names).encode("utf-8", "replace"))
