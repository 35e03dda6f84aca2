"""Log text made safe to show on a terminal.

A log is untrusted input: an escape sequence in it could clear the screen, set
the window title or write the clipboard (OSC 52). On a terminal every control
character except tab is shown the way ``less`` and ``cat -v`` show it, never sent raw:

- C0 controls and DEL in caret notation: ESC is ``^[`` (so ``\\x1b[2J`` shows as
  ``^[[2J``), BEL ``^G``, form feed ``^L``, NUL ``^@``, DEL ``^?``;
- C1 controls (U+0080..U+009F, e.g. the one-character CSI U+009B) and the
  Unicode line and paragraph separators as ``<U+009B>``, ``<U+2028>``.

The exception is ``\\r``: a progress bar redraws its line with it, and a terminal
shows only the last drawing, so a line with ``\\r`` shows its last non-empty
segment (``10%\\r50%\\r`` shows ``50%``). Newlines are never added or removed.
"""

from __future__ import annotations

import re
from typing import List

from aomlog.output.pagescan import matching_lines

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Any control character, \r included, and the rest of its line (see pagescan).
_UNSAFE = re.compile(_CONTROL.pattern + "[^\n]*")
VISIBLE = {chr(c): "^" + chr(c + 64) for c in range(0x20)}
VISIBLE["\x7f"] = "^?"
VISIBLE.update({chr(c): "<U+%04X>" % c for c in (*range(0x80, 0xA0), 0x2028, 0x2029)})


def final_state(line: str) -> str:
    """What a terminal shows of a line that redraws itself with ``\\r``."""
    for segment in reversed(line.split("\r")):
        if segment:
            return segment
    return ""


def visible(text: str) -> str:
    """``text`` with its control characters (but tab and newline) made visible."""
    # A regex substitution touches only the rare matches; str.translate with a
    # dict looks up every character and is ~20x slower on a page of log text.
    return _CONTROL.sub(_show, text)


def _show(match: "re.Match[str]") -> str:
    return VISIBLE[match.group()]


def line_for_terminal(line: str) -> str:
    """A log line as a terminal should show it."""
    return visible(final_state(line) if "\r" in line else line)


def lines_for_terminal(lines: List[str], text: str) -> List[str]:
    """``lines`` as a terminal should show them; ``text`` is the lines each ending in a newline.

    Most lines need no change: only those holding a control character are
    copied (``lines`` itself comes back when none does).
    """
    unsafe = matching_lines(_UNSAFE, text)
    if not unsafe:
        return lines
    shown = list(lines)
    for i in unsafe:
        shown[i] = line_for_terminal(lines[i])
    return shown
