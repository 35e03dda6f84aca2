"""Tasks' resource use on a terminal, in the style of ``metrics``' charts: a chart per metric
with a line per task, a table of last / mean / max per task, and one highlighted line for a
task whose accelerator stays nearly idle while the others work. Rates are shown in percent;
when every value is at most 1 they are read as fractions of 1, and the chart says so.

plotext and rich are imported only here. With follow the drawing is replaced at each minute.
"""

from __future__ import annotations

import io
from statistics import mean
from typing import Any, Callable, Dict, List, Optional, Sequence

from aomlog.api.story import METRIC_NAMES, Usage, in_percent, metric_order
from aomlog.metrics.charts import fewest_rows, fitted
from aomlog.output import terminal
from aomlog.output.safetext import visible
from aomlog.output.status import low_accelerator

CLEAR = "\x1b[H\x1b[2J"  # home and clear: the next drawing replaces this one


def usage_chart(dest: terminal.Destination, *, left_out: Optional[Callable[[str], str]] = None,
                **_: Any) -> "UsageView":
    """``left_out(names)``: what to say of the metrics not charted for want of room (the command
    line knows how to ask for them)."""
    assert dest.text is not None, "charts are drawn as text"
    view = UsageView(dest)
    if left_out is not None:
        view.left_out = left_out
    return view


class UsageView:
    """Charts and a table of the tasks' usage, drawn to fit the terminal; each drawing replaces the last."""

    def __init__(self, dest: terminal.Destination):
        self.dest = dest
        self.drawn = False
        self.left_out: Callable[[str], str] = lambda names: f"Not charted for want of room: {names}"

    def write(self, usages: Dict[str, Usage], anchor_ms: int) -> None:
        out = self.dest.text
        assert out is not None
        out.write((CLEAR if self.drawn else "") + self.render(usages))
        out.flush()
        self.drawn = True

    def render(self, usages: Dict[str, Usage]) -> str:
        if not any(usages.values()):
            return "No resource use reported yet (the job has not run for a minute).\n"
        size = terminal.size()
        width, height = max(40, size.columns), max(20, size.lines)
        shown, fraction = in_percent(usages)
        metrics = metric_order(m for usage in shown.values() for m in usage)
        table = self._table(shown, metrics, width)
        idle = [f"{task}: its accelerator stays nearly idle while the others work" for task in low_accelerator(usages)]
        warn = "".join(("\x1b[33m" + line + "\x1b[0m" if self.dest.color else line) + "\n" for line in idle)
        room = height - table.count("\n") - len(idle) - 1  # the last row is the cursor's
        charted, per_chart = fitted(metrics, room, fewest_rows(len(shown)), lambda left: len(self._note(left)),
                                    keep_one=True)
        charts = [self._chart(shown, metric, width, per_chart, fraction) for metric in charted]
        note = "".join(line + "\n" for line in self._note(metrics[len(charted):]))
        return "".join(charts) + note + table + warn

    def _note(self, left_out: Sequence[str]) -> List[str]:
        """The rows that name the metrics left out for want of room, and a blank one; none when none was."""
        if not left_out:
            return []
        return [self.left_out(", ".join(visible(metric) for metric in left_out)), ""]  # as the API names them

    def _chart(self, usages: Dict[str, Usage], metric: str, width: int, height: int, fraction: bool) -> str:
        import plotext as plt

        plt.clear_figure()
        several = len(usages) > 1
        for task, usage in usages.items():
            series = usage.get(metric)
            if series:
                xs = list(range(-len(series) + 1, 1))
                plt.plot(xs, series, label=visible(task) if several else None)
        reading = " (rates read as fractions of 1)" if fraction else ""
        plt.title(f"{METRIC_NAMES.get(metric, visible(metric))} %{reading}")
        plt.xlabel("minutes before the last value")
        plt.plotsize(min(width, 160), height - 1)
        plt.theme("clear")
        chart = plt.build()
        return (chart if self.dest.color else plt.uncolorize(chart)) + "\n"

    def _table(self, usages: Dict[str, Usage], metrics: List[str], width: int) -> str:
        from rich import box
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for column in ("METRIC", "TASK", "LAST", "MEAN", "MAX", "MINUTES"):
            table.add_column(column, overflow="fold")
        for metric in metrics:
            for task, usage in usages.items():
                series = usage.get(metric)
                if series:
                    table.add_row(*(Text(cell) for cell in (
                        METRIC_NAMES.get(metric, visible(metric)), visible(task), f"{series[-1]:.1f}",
                        f"{mean(series):.1f}", f"{max(series):.1f}", str(len(series)))))
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=self.dest.color, no_color=not self.dest.color,
                          width=min(width, 160), highlight=False, markup=False, emoji=False)
        console.print(table)
        return buffer.getvalue()

