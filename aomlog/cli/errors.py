"""How failures reach the user: one ``Error:`` line, one ``Hint:`` line, on stderr."""

from __future__ import annotations

import sys
from typing import Optional

from aomlog.errors import ExitStatus
from aomlog.output.terminal import isatty


def report_error(message: str, hint: Optional[str], status: int) -> int:
    # One line each: a message from the server must not be able to add lines.
    message = " ".join(str(message).split())
    _write(f"Error: {safe(message)}\n")
    if hint:
        _write(f"Hint: {safe(hint)}\n")
    return status


def safe(text: str) -> str:
    """Server messages and file names are the server's text: escape sequences in them are
    shown (``^[``), never obeyed by the terminal."""
    from aomlog.output.safetext import visible

    return visible(text)


def report_unexpected(exc: BaseException, debug: bool) -> int:
    if debug:
        import traceback  # here, not at the top: every start-up (even a TAB) would pay for it

        _write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return report_error(
        f"unexpected {type(exc).__name__}: {exc}",
        "This is a bug in aomlog; run again with --debug and report what it prints.",
        ExitStatus.ERROR,
    )


def notice(text: str) -> None:
    """A one-line message for the user on stderr: never mixed into the log on stdout."""
    _write(safe(text.rstrip("\n")) + "\n")


def _fitted(line: str) -> str:
    """The line cut to the terminal's width: a line that wrapped could not be rewritten in place."""
    import os

    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns  # stderr's: stdout may be a file
    except (OSError, ValueError, AttributeError):
        width = 80
    return line if len(line) < width else line[:max(1, width - 2)] + "…"


def _write(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


class StatusLine:
    """One line on stderr that says what a waiting command is doing, rewritten in place on a
    terminal (a new line for each change elsewhere, so logs of it stay readable)."""

    def __init__(self) -> None:
        self.text: Optional[str] = None

    def _tty(self) -> bool:
        return isatty(sys.stderr)

    def show(self, text: Optional[str]) -> None:
        """Show ``text`` in place of the line shown; None takes the line away."""
        if text is None and self.text is None:
            return  # nothing to take away
        if not self._tty():
            if text is not None:
                notice(text)
            self.text = text
            return
        _write("\r\x1b[K" + (_fitted(safe(" ".join(text.split()))) if text is not None else ""))
        self.text = text

    def notice(self, text: str) -> None:
        """A notice of its own line, above the status line."""
        if self.text is not None and self._tty():
            _write("\r\x1b[K")
            notice(text)
            _write(_fitted(safe(" ".join(self.text.split()))))
        else:
            notice(text)
