"""Whether output goes to a terminal, whether to colour it, and its size: decided here only.

Every renderer, the job table, the metrics charts, the file listing, the status and
progress lines ask here, so that they agree on what a terminal is and when to colour.
Colour follows the user's choice (``always``, ``never``), else the conventions of the
environment (NO_COLOR, FORCE_COLOR, TERM=dumb), else whether the output is a terminal.
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO, Mapping, Optional, TextIO

# What the colour choice takes: "auto" leaves it to the environment and the terminal.
COLOR_CHOICES = ("auto", "always", "never")


def isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal; a closed or replaced stream (tests, pythonw) is not."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def wants_color(choice: str, isatty: bool, environ: Mapping[str, str]) -> bool:
    """Whether to colour: an explicit choice wins, then NO_COLOR, FORCE_COLOR, TERM=dumb, the terminal."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):  # no-color.org: set and not empty
        return False
    if environ.get("FORCE_COLOR"):  # force-color.org: set and not empty
        return True
    if environ.get("TERM") == "dumb":
        return False
    return isatty


def size() -> os.terminal_size:
    """The terminal's columns and lines (COLUMNS and LINES first; 80x24 when there is no terminal)."""
    import shutil  # here: --help and TAB completion read COLOR_CHOICES and need no more

    return shutil.get_terminal_size()


class Destination:
    """Where a command's output goes, and what it may do there: the one answer every writer uses.

    Args:
        out: the binary stream written to (stdout's buffer).
        tty: whether it is a terminal.
        color: whether to colour what is written.
        text: the same stream as text, for writers that draw through rich or plotext.
    """

    __slots__ = ("out", "tty", "color", "text")

    def __init__(self, out: BinaryIO, tty: bool, color: bool, text: Optional[TextIO] = None):
        self.out = out
        self.tty = tty
        self.color = color
        self.text = text

    @property
    def width(self) -> Optional[int]:
        """The terminal's columns; None in a pipe, where nothing is cut to fit."""
        return size().columns if self.tty else None


def destination(out: BinaryIO, color: str = "auto", *, tty: Optional[bool] = None,
                environ: Optional[Mapping[str, str]] = None, text: Optional[TextIO] = None) -> Destination:
    """``out`` as a destination: a terminal or not (``tty`` overrides the stream's own answer),
    coloured by the ``color`` choice (one of ``COLOR_CHOICES``) and the environment."""
    tty = isatty(out) if tty is None else tty
    return Destination(out, tty, wants_color(color, tty, os.environ if environ is None else environ), text)
