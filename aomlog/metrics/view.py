"""Training curves on a terminal: a chart per metric and a table of last, min and max.

The charts are plotext's (one line per stream when there are several), the table
rich's; both are imported only here, so only ``aomlog metrics`` on a terminal pays
for them. The view fits the terminal: the charts share the rows the table leaves.
With ``-f`` it is redrawn in place (rich's Live) at most ``REDRAW_EVERY`` seconds
apart, and the last drawing stays on the screen. Names and values are the log's
text: they are shown, never obeyed (no markup, no escape sequences). ``chart_view`` makes
one as the metrics command's chart format (``aomlog.output.formats``).
"""

from __future__ import annotations

import io
import time
from collections import Counter
from typing import Any, Callable, List, Optional, TextIO, Tuple

from aomlog.metrics.charts import fewest_rows, fitted
from aomlog.metrics.curves import Curves, Series
from aomlog.output.safetext import visible
from aomlog.output import terminal

REDRAW_EVERY = 0.5


def chart_view(dest: terminal.Destination, *, curves: Curves, live: bool, **_: Any) -> MetricsView:
    """Charts and a table of ``curves`` on the terminal, in the colours chosen; redrawn when ``live``."""
    assert dest.text is not None, "charts are drawn as text"
    return MetricsView(curves, dest.text, color=dest.color, live=live, size=terminal.size)


class MetricsView:
    """Charts and a table of the curves, drawn to fit the terminal; redrawn in place when live.

    Args:
        curves: what to draw.
        out: the terminal, as text.
        color: whether to colour.
        live: redraw as values come (``update``), not only at the end (``finish``).
        size: the terminal's size, asked at each drawing (it may change).
        clock: for spacing the redrawings.
    """

    def __init__(self, curves: Curves, out: TextIO, *, color: bool, live: bool,
                 size: Callable[[], Any], clock: Callable[[], float] = time.monotonic):
        self.curves = curves
        self.out = out
        self.color = color
        self.live = live
        self.size = size  # () -> os.terminal_size
        self.clock = clock
        self._live: Any = None
        self._drawn = -REDRAW_EVERY
        self.stream_word = "file"  # what a stream is called in the table's column: "task" for a v2 job
        # What to say under the charts of the metrics left out for want of room (the command line
        # says how to ask for them).
        self.left_out: Callable[[List[str]], str] = lambda names: f"Not charted for want of room: {', '.join(names)}"

    def update(self) -> None:
        """New values are in: redraw, if following and it is time."""
        if not self.live or self.clock() - self._drawn < REDRAW_EVERY:
            return
        self._drawn = self.clock()
        if self._live is None:
            from rich.console import Console
            from rich.live import Live

            console = Console(file=self.out, force_terminal=True, no_color=not self.color, highlight=False,
                              markup=False, emoji=False)
            self._live = Live(console=console, auto_refresh=False, vertical_overflow="crop")
            self._live.start()
        self._live.update(self._renderable(), refresh=True)

    def print(self, text: str) -> bool:
        """A notice above the live view; False when there is none (print it elsewhere)."""
        if self._live is None:
            return False
        self._live.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
        return True

    def finish(self) -> None:
        """The final drawing, which stays."""
        if self._live is not None:
            self._live.update(self._renderable(), refresh=True)
            self.close()
            return
        self.out.write(self.render())
        self.out.flush()

    def close(self) -> None:
        """Stop redrawing and show the cursor again; for any way out (Ctrl-C, an error)."""
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _renderable(self):
        from rich.text import Text

        return Text.from_ansi(self.render().rstrip("\n"))

    def render(self) -> str:
        """The charts and the table, as text for this terminal."""
        size = self.size()
        width, height = max(40, size.columns), max(20, size.lines)
        names = self.curves.chosen()
        if not names:
            return "No metrics found in the log yet.\n"
        table = self._table(names, width)
        room = height - table.count("\n") - 1  # the last row is the cursor's
        shown, per_chart = self._fitted(names, room, width)
        charts = [self._chart(name, width, per_chart) for name in shown]
        note = self._note(names[len(shown):], width)
        return "".join(charts) + note + table

    def _note(self, left_out: List[str], width: int) -> str:
        """What is said of the metrics left out, and a blank row; nothing when none was."""
        if not left_out:
            return ""
        import textwrap

        return "\n".join(textwrap.wrap(visible(self.left_out(left_out)), min(width, 160))) + "\n\n"

    def _fitted(self, names: List[str], room: int, width: int) -> Tuple[List[str], int]:
        """The charts that fit in ``room`` rows at a readable height, and their height."""
        return fitted(names, room, fewest_rows(self._lines_at_most()),
                      lambda left_out: self._note(list(left_out), width).count("\n"), keep_one=not self.live)

    def _lines_at_most(self) -> int:
        """The most lines in one chart (``fewest_rows`` gives them a legend when there are several)."""
        return max(Counter(name for (_, _, name) in self.curves.series).values(), default=1)

    def _chart(self, name: str, width: int, height: int) -> str:
        """``height`` rows, the title and the axis labels included."""
        import plotext as plt

        plt.clear_figure()
        series: List[Series] = self.curves.of(name)
        several = len(series) > 1
        runs, streams = self._several()
        axis = "line"
        for one in series:
            axis, xs, ys = one.xy()
            if xs:
                label = " ".join(([one.run] if runs else []) + ([one.stream] if streams or not runs else []))
                plt.plot(xs, ys, label=visible(label) if several else None)
        smooth = self.curves.smooth
        plt.title(visible(name) + (f" (moving average of {smooth})" if smooth > 1 else ""))
        plt.xlabel(f"{axis}" + (" (counted from the first line read)" if axis == "line" else ""))
        plt.plotsize(min(width, 160), height - 1)  # plotext draws one row more than it is told
        plt.theme("clear")
        chart = plt.build()
        return (chart if self.color else plt.uncolorize(chart)) + "\n"

    def _table(self, names: List[str], width: int) -> str:
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        runs, several = self._several()
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        columns = (["METRIC"] + (["RUN"] if runs else []) + ([self.stream_word.upper()] if several else [])
                   + ["LAST", "MIN", "MAX", "VALUES"])
        for column in columns:
            table.add_column(column, overflow="fold")
        for name in names:
            for one in self.curves.of(name):
                cells = ([visible(name)] + ([visible(one.run)] if runs else [])
                         + ([visible(one.stream)] if several else []))
                cells += [_at(one.last), _at(one.low and one.low[1:]), _at(one.high and one.high[1:]), str(one.count)]
                table.add_row(*(Text(cell) for cell in cells))
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=self.color, no_color=not self.color, width=min(width, 160),
                          highlight=False, markup=False, emoji=False)
        console.print(table)
        return buffer.getvalue()


    def _several(self) -> Tuple[bool, bool]:
        """Whether the curves are of several runs, and whether of several streams (of one run)."""
        streams = Counter(run for run, _ in {(run, stream) for run, stream, _ in self.curves.series})
        return len(streams) > 1, max(streams.values(), default=0) > 1


def _at(value: Optional[tuple]) -> str:
    if not value:
        return "-"
    text, where = value
    return f"{visible(text)} ({where})"
