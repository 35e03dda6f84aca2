"""Options that choose how log lines are shown: colour, JSON, filters."""

from __future__ import annotations

import functools
from typing import Callable

import click


def display_options(command: Callable) -> Callable:
    """--color, --output, --grep, --exclude and --highlight, gathered into one ``display`` argument."""

    @click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                  help="Colour lines by kind (auto: when stdout is a terminal, unless NO_COLOR or TERM=dumb; "
                       "FORCE_COLOR forces it). An explicit always/never beats the environment.")
    @click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text", show_default=True,
                  help="json: JSON Lines, one object per log line with job, task (v1: version, file), end_line "
                       "and text; read it with jq.")
    @click.option("--grep", metavar="PATTERN", help="Only lines matching this Python regular expression.")
    @click.option("--exclude", metavar="PATTERN", help="Leave out lines matching this regular expression.")
    @click.option("--highlight", metavar="PATTERN", help="On a terminal, highlight what matches this regular expression.")
    @functools.wraps(command)
    def wrapper(*args, color, output, grep, exclude, highlight, **kwargs):
        from aomlog.output.linefilter import LineFilter
        from aomlog.output.render import Display

        display = Display(format=output, color=color, line_filter=LineFilter(grep, exclude, highlight))
        return command(*args, display=display, **kwargs)

    return wrapper
