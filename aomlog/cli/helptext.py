"""What the commands' ``--help`` pages share: the exit statuses of a command that reads a job,
and options shown in sections.

A command that reads a job is declared with ``job_command``::

    @job_command(sections=TAIL_SECTIONS)     # or job_command() for one "Options" section
    @job_arguments
    ...
    def tail(...): ...

Its epilog names the exit statuses (``EXIT_STATUSES``, as ``aomlog.errors.ExitStatus`` and
the README's "Exit statuses" have them); its options are shown in the sections given, in their
order, and the options no section names last, under "Options". This module imports click and
nothing more: ``--help`` and TAB load it.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence, Tuple

import click

Sections = Sequence[Tuple[str, Sequence[str]]]

# The \b keeps click from joining the lines into one paragraph.
EXIT_STATUSES = """\b
Exit statuses:
  0    success (with -f: the job completed)
  1    API or network failure, after retries
  2    usage error (a bad option or argument)
  3    configuration or credentials (see 'aomlog configure list')
  4    job, version, task or log file not found
  5    with -f: the job ended in a failure state
  130  interrupted (Ctrl-C)
  141  output closed (e.g. | head)
  143  terminated (SIGTERM)"""

# The connection options every command that calls the API takes (``cli/options.py``).
CONNECTION = ("Connection", ("endpoint", "region", "project_id", "profile", "timeout", "debug"))


class SectionedCommand(click.Command):
    """A click command whose ``--help`` shows its options in named sections.

    Args:
        sections: (title, the options' parameter names) in the order shown; an option no
            section names goes in a last section, "Options" (``-h`` at least).
    """

    def __init__(self, *args: Any, sections: Sections = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = tuple((title, tuple(names)) for title, names in sections)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records: Dict[Optional[str], Tuple[str, str]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and not isinstance(param, click.Argument):  # click >= 8.2 gives them one
                records[param.name] = record
        rest = tuple(name for name in records if not any(name in names for _, names in self.sections))
        for title, names in self.sections + (("Options", rest),):
            rows = [records[name] for name in names if name in records]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def job_command(sections: Sections = (), **settings: Any) -> Callable[[Callable], click.Command]:
    """``click.command`` for a command that reads a job: the exit statuses in its epilog, its
    options in ``sections`` (``SectionedCommand``)."""
    return click.command(cls=SectionedCommand, sections=sections, epilog=EXIT_STATUSES, **settings)
