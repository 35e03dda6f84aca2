"""``aomlog jobs``: the newest training jobs of both API families."""

from __future__ import annotations

from typing import List, Optional, Tuple

import click

from aomlog.cli.display import color_option, output_option
from aomlog.cli.options import connection_options
from aomlog.cli.params import count


def _known_states(ctx: click.Context, param: click.Parameter, values: Tuple[str, ...]) -> Tuple[str, ...]:
    """A misspelt state would match no job: say so, rather than read every list for nothing."""
    from aomlog.api import state_words

    known = {word.lower() for word in state_words()}
    for value in values:
        if value.lower() not in known:
            raise click.BadParameter(f"{value!r} is not a job state: use waiting, running, succeeded or failed, "
                                     f"or a state's own name (Pending, Completed, KILLED, ...), in any case",
                                     ctx, param)
    return values


def _state_candidates(ctx: click.Context, param: click.Parameter, incomplete: str) -> List[str]:
    from aomlog.api import state_words

    return [word for word in state_words() if word.lower().startswith(incomplete.lower())]


@click.command()
@click.option("--name", metavar="TEXT", help="Only jobs whose names contain TEXT.")
@click.option("--limit", type=count(1, 500), default=20, show_default=True, metavar="N",
              help="At most N jobs, the newest first.")
@click.option("--status", "phases", metavar="PHASE", multiple=True, callback=_known_states,
              shell_complete=_state_candidates,
              help="Only jobs in this state: waiting, running, succeeded, failed, or a state's own name "
                   "(Pending, Completed, KILLED, ...), in any case. Repeat for several.")
@output_option("jobs")
@color_option("jobs")
@connection_options
def jobs(name: Optional[str], limit: int, phases: Tuple[str, ...], output: str, color: str, conn: dict) -> None:
    """List the newest training jobs, of both the current (v2) and the old (v1) API.

    On a terminal a table; in a pipe tab-separated columns without a header (id,
    version, name, status, created, duration, tasks or files), for grep, cut and awk.

    \b
    Examples:
      aomlog jobs
      aomlog jobs --name resnet --status running
      aomlog jobs -o json | jq -r 'select(.status == "Failed") | .id'
    """
    from aomlog.settings import cache
    from aomlog.output.formats import formats_of
    from aomlog.output.terminal import destination
    from aomlog.cli.env import current

    env = current()
    client = env.make_client(conn)
    found = env.make_apis(client).jobs(name=name, limit=limit, phases=phases)
    cache.store_job_list([(info.ref.job_id, info.ref.version, info.name) for info in found])
    dest = destination(env.stdout, color)
    if not found and dest.tty and output == "text":  # an empty table says nothing; a pipe gets no line
        from aomlog.cli.errors import notice

        notice("No jobs found" + (f" whose names contain '{name}'" if name else "") + ".")
        return
    formats_of("jobs").chosen(output, dest.tty).make(dest).write(found)
