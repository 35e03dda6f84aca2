"""How many charts fit on a terminal, and how tall: what ``metrics`` and ``usage`` share.

A chart below a readable height is worse than no chart (a legend can fill its plot), so
fewer charts are drawn rather than squashed ones, and the caller names those left out.
"""

from __future__ import annotations

from typing import Callable, List, Sequence, Tuple

CHART_ROWS = (14, 18)  # the rows of one chart: fewer charts are shown rather than charts below the fewest
LOWEST = 8  # but one chart in less room than the fewest rows is better than none
FRAME = 6  # the rows of a chart that are not its plot: title, borders, ticks, the x axis' name, a blank


def fewest_rows(lines: int) -> int:
    """The fewest rows of a chart of ``lines`` lines: each has a row in the legend when there are
    several, and the plot keeps room beside it."""
    return max(CHART_ROWS[0], FRAME + 4 + (lines if lines > 1 else 0))


def fitted(names: Sequence[str], room: int, fewest: int, note_rows: Callable[[Sequence[str]], int],
           keep_one: bool) -> Tuple[List[str], int]:
    """The charts of ``names`` that fit in ``room`` rows at ``fewest`` rows at least, and their
    height. ``note_rows(left_out)``: the rows that naming those left out takes. ``keep_one``: a
    drawing that stays shows one chart at least; a live one must fit (rich crops what does not)."""
    names = list(names)
    count = min(len(names), max(0, room) // fewest)
    for _ in range(2):  # the note of those left out takes rows too (and is longer with fewer charts)
        if count < len(names):
            count = min(count, max(0, room - note_rows(names[count:])) // fewest)
    if count == 0 and keep_one:
        return names[:1], fewest
    left = room - note_rows(names[max(1, count):])
    if count == 0:
        return (names[:1], left) if left >= LOWEST else ([], 0)
    return names[:count], max(fewest, min(CHART_ROWS[1], left // count))
