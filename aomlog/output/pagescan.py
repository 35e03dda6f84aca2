"""Finding the lines of a page that a pattern matches, without a Python loop over every line.

A page is up to 500 lines joined by newlines. Scanning its whole text with one
regular expression runs in C; Python then works only on the few lines that
matched. This is what keeps the terminal output fast (see bench/render.py).
"""

from __future__ import annotations

from typing import List, Pattern


def matching_lines(pattern: Pattern[str], text: str) -> List[int]:
    """The indices of the lines of ``text`` in which ``pattern`` matches, in order, once each.

    ``pattern`` should consume the rest of the line after what it looks for
    (end it with ``[^\\n]*``), so that it matches at most once per line.
    """
    found: List[int] = []
    line = 0
    last = 0
    count = text.count
    for match in pattern.finditer(text):
        at = match.start()
        line += count("\n", last, at)
        last = at
        if not found or found[-1] != line:
            found.append(line)
    return found
