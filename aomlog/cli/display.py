"""Options that choose how output is shown: the format and colour of every command that writes
(from the table in ``aomlog.output.formats``), and tail's line filters."""

from __future__ import annotations

import functools
from typing import Callable

import click

from aomlog.output.formats import formats_of
from aomlog.output.terminal import COLOR_CHOICES


def output_option(command: str) -> Callable[[Callable], Callable]:
    """-o/--output: the formats of ``command``, passed on as ``output`` (None: the default where
    the output goes, when that depends on it)."""
    formats = formats_of(command)
    default = formats.default()
    return click.option("-o", "--output", type=click.Choice(formats.names()), default=default,
                        show_default=default is not None, help=formats.help())


def color_option(command: str) -> Callable[[Callable], Callable]:
    """--color, passed on as ``color``: auto, always or never."""
    return click.option("--color", type=click.Choice(list(COLOR_CHOICES)), default="auto", show_default=True,
                        help=formats_of(command).colors)


def display_options(command: Callable) -> Callable:
    """tail's --color, --output, --grep, --exclude and --highlight, gathered into one ``display`` argument."""

    @color_option("tail")
    @output_option("tail")
    @click.option("--grep", metavar="PATTERN", help="Only lines matching this Python regular expression.")
    @click.option("--exclude", metavar="PATTERN", help="Leave out lines matching this regular expression.")
    @click.option("--highlight", metavar="PATTERN",
                  help="On a terminal, highlight what matches this regular expression.")
    @functools.wraps(command)
    def wrapper(*args, color, output, grep, exclude, highlight, **kwargs):
        from aomlog.output.linefilter import LineFilter
        from aomlog.output.render import Display

        display = Display(format=output, color=color, line_filter=LineFilter(grep, exclude, highlight))
        return command(*args, display=display, **kwargs)

    return wrapper
