"""``aomlog usage``: each task's resource use (GPU/NPU, CPU, memory), once or each minute."""

from __future__ import annotations

from typing import Optional, Tuple

import click

from aomlog.cli import completion
from aomlog.cli.display import color_option, output_option
from aomlog.cli.helptext import job_command
from aomlog.cli.options import connection_options
from aomlog.cli.reading import job_arguments

METRICS = ("gpuUtil", "gpuMemUsage", "npuUtil", "npuMemUsage", "cpuUsage", "memUsage")


@job_command()
@job_arguments
@click.option("--task", "tasks", metavar="NAME", multiple=True, shell_complete=completion.stream_names,
              help="Only this task, e.g. worker-0; repeat for several.")
@click.option("--all-tasks", is_flag=True, help="Every task (the default).")
@click.option("--metric", "metrics", type=click.Choice(METRICS, case_sensitive=False), multiple=True,
              shell_complete=completion.spelt_as(METRICS), metavar="NAME",
              help="Only this metric (gpuUtil, gpuMemUsage, npuUtil, npuMemUsage, cpuUsage, memUsage); "
                   "repeat for several.")
@click.option("-f", "--follow", is_flag=True,
              help="Read again each minute until the job ends; exit 0 if it completed, 5 if not.")
@output_option("usage")
@color_option("usage")
@connection_options
def usage(job: str, version: Optional[str], tasks: Tuple[str, ...], all_tasks: bool, metrics: Tuple[str, ...],
          follow: bool, output: Optional[str], color: str, conn: dict) -> int:
    """Show the resource use of a v2 job's tasks: one value a minute per
    metric. The API does not say when each value was taken: the last one
    stands for now (a running job) or the job's end (an ended one), each one
    before it for a minute earlier. With -f each value keeps the minute it was
    first read at, so a value read while the job ran may be a minute earlier
    than a later read after its end gives it. Metrics a task's hardware lacks
    are left out. CSV and JSON values are as the API gives them (of 100 or 1).

    \b
    Examples:
      aomlog usage resnet50-train
      aomlog usage resnet50-train --task worker-0 --metric gpuUtil -f
      aomlog usage resnet50-train -o csv > usage.csv
    """
    import sys
    import time

    from aomlog.cli import reading as common
    from aomlog.cli.env import current
    from aomlog.cli.errors import StatusLine
    from aomlog.engine.settings import Collaborators
    from aomlog.engine.usagefeed import UsageFeed
    from aomlog.errors import ExitStatus, UsageError
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination

    common.check_ids(job, version)
    if tasks and all_tasks:
        raise UsageError("--task and --all-tasks cannot be used together", "Name tasks, or take them all.")
    env = current()
    client, api, ref = common.job_api(env, conn, job, version, follow=follow)
    clock, sleep = env.follow_time(follow)
    using = Collaborators(clock=clock, sleep=sleep, notify=StatusLine().notice, debug=client.debug, stop=env.stop)
    feed = UsageFeed(api, ref, tasks=tuple(dict.fromkeys(tasks)), metrics=metrics, follow=follow,
                     wall=env.clock or time.time, using=using)
    dest = destination(env.stdout, color, text=sys.stdout)
    writer = formats_of("usage").chosen(output, dest.tty).make(
        dest, left_out=lambda names: f"Not charted for want of room: {names} (chart one with --metric NAME)")
    readings = feed.readings()
    try:
        while True:
            usages, anchor = next(readings)
            with env.stop.page():
                writer.write(usages, anchor)
    except StopIteration as done:
        end = done.value
    finally:
        readings.close()
    return ExitStatus.OK if end is None else common.job_ended(ref, end)
