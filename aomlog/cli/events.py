"""``aomlog events``: a v2 job's events, each once; with -f, new ones until the job ends."""

from __future__ import annotations

from typing import Optional, Tuple

import click

from aomlog.cli import completion
from aomlog.cli.display import color_option, output_option
from aomlog.cli.helptext import job_command
from aomlog.cli.options import connection_options
from aomlog.cli.params import Since
from aomlog.cli.reading import job_arguments

LEVELS = ("Info", "Warning", "Error")


def _levels(ctx: click.Context, param: click.Parameter, values: Tuple[str, ...]) -> Tuple[str, ...]:
    """The API's spelling of each level (Info, Warning, Error), whatever case was typed."""
    return tuple(next(level for level in LEVELS if level.lower() == value.lower()) for value in values)


@job_command()
@job_arguments
@click.option("--level", "levels", type=click.Choice(LEVELS, case_sensitive=False), multiple=True,
              callback=_levels, shell_complete=completion.spelt_as(LEVELS), metavar="LEVEL",
              help="Only events of this level: Info, Warning or Error; repeat for several.")
@click.option("--since", type=Since(), metavar="DURATION|TIME",
              help="Only events at or after this time: 10m, 2h, 1d ago, or 2026-11-27T10:00.")
@click.option("-f", "--follow", is_flag=True,
              help="Keep printing new events until the job ends; exit 0 if it completed, 5 if not.")
@output_option("events")
@color_option("events")
@connection_options
def events(job: str, version: Optional[str], levels: Tuple[str, ...], since: Optional[int], follow: bool,
           output: str, color: str, conn: dict) -> int:
    """Print the events of a v2 job, oldest first, each once: why it queues,
    image pulls, restarts after faults, failures. On a terminal: local time,
    level, source, message. In a pipe: tab-separated, time as ISO 8601.

    \b
    Examples:
      aomlog events resnet50-train
      aomlog events resnet50-train --level Warning --level Error
      aomlog events resnet50-train -f --since 1h
      aomlog events resnet50-train -o json | jq -r .message
    """
    from aomlog.cli import reading as common
    from aomlog.cli.errors import StatusLine
    from aomlog.cli.env import current
    from aomlog.engine.events import EventFeed
    from aomlog.engine.settings import Collaborators
    from aomlog.errors import ExitStatus
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination

    common.check_ids(job, version)
    env = current()
    client, api, ref = common.job_api(env, conn, job, version, follow=follow)
    clock, sleep = env.follow_time(follow)
    using = Collaborators(clock=clock, sleep=sleep, notify=StatusLine().notice, debug=client.debug, stop=env.stop)
    feed = EventFeed(api, ref, levels=levels, since_ms=since, follow=follow, using=using)
    dest = destination(env.stdout, color)
    writer = formats_of("events").chosen(output, dest.tty).make(dest)
    batches = feed.batches()
    try:
        while True:
            fresh = next(batches)
            with env.stop.page():
                writer.write(fresh)
    except StopIteration as done:
        end = done.value
    finally:
        batches.close()
    return ExitStatus.OK if end is None else common.job_ended(ref, end)
