"""The charts and table on a terminal: a live view fits the terminal, so nothing is cropped."""

import io
import os

import pytest

from aomlog.metrics.curves import Curves
from aomlog.metrics.extract import Sample
from aomlog.metrics.view import MetricsView

NAMES = ("loss", "grad_norm", "learning_rate", "eval_loss", "acc")


def curves(streams):
    gathered = Curves()
    for stream in streams:
        gathered.page(stream, [Sample(i, i, i / 10, name, 1 / (i + 1), repr(1 / (i + 1) + 0.123456789))
                               for i in range(400) for name in NAMES], 400)
    return gathered


@pytest.mark.parametrize("streams", [["worker-0"], ["worker-0", "worker-1"]])
@pytest.mark.parametrize("columns, lines", [(80, 24), (100, 40), (120, 50), (160, 45), (200, 60)])
def test_a_live_view_fits_its_terminal_with_the_whole_table(streams, columns, lines):
    view = MetricsView(curves(streams), io.StringIO(), color=False, live=True,
                       size=lambda: os.terminal_size((columns, lines)))
    drawn = view.render().split("\n")[:-1]
    table = view._table(view.curves.chosen(), columns).count("\n")
    if table < lines:  # a table taller than the terminal is cropped whatever the charts do
        assert len(drawn) < lines  # the last row is the cursor's
    assert drawn[-table:] == view._table(view.curves.chosen(), columns).split("\n")[:-1]
    charts = sum(1 for line in drawn if line.strip() in view.curves.chosen())  # plotext centres each title
    assert charts >= (1 if lines - table > 10 else 0)


def test_the_cursor_is_shown_again_when_the_live_view_closes():
    out = io.StringIO()
    view = MetricsView(curves(["worker-0"]), out, color=False, live=True, size=lambda: os.terminal_size((100, 40)),
                       clock=lambda: 100.0)
    view.update()
    assert "\x1b[?25l" in out.getvalue()  # rich hides it while drawing
    view.close()
    assert out.getvalue().endswith("\x1b[?25h")
