"""``aomlog status``: the one screen about a v2 job, before and after a run."""

from __future__ import annotations

from typing import Optional

import click

from aomlog.cli.display import color_option, output_option
from aomlog.cli.helptext import job_command
from aomlog.cli.options import connection_options
from aomlog.cli.reading import job_arguments


@job_command()
@job_arguments
@output_option("status")
@color_option("status")
@connection_options
def status(job: str, version: Optional[str], output: str, color: str, conn: dict) -> None:
    """Show a v2 job at a glance: its phase, why it waits (the current stage),
    each task's host and exit code, fault recoveries, the last warnings and
    errors, and each task's resource use. v1 jobs have none of these.

    \b
    Examples:
      aomlog status resnet50-train
      aomlog status 3faf5c03-aaa1-4cbe-879d-24b05d997347 -o json | jq .tasks
    """
    from aomlog.cli import reading as common
    from aomlog.cli.env import current
    from aomlog.engine.jobstatus import job_report
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination

    common.check_ids(job, version)
    env = current()
    _, api, ref = common.job_api(env, conn, job, version)
    report = job_report(api, ref)
    dest = destination(env.stdout, color)
    formats_of("status").chosen(output, dest.tty).make(dest).write(report)
