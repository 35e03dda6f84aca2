"""The catch-up's progress line on stderr (aomlog.output.progress)."""

import io

from aomlog.output.progress import DELAY, CatchUpProgress


def terminal():
    err = io.StringIO()
    err.isatty = lambda: True  # type: ignore[method-assign]
    return err


def test_a_short_catch_up_shows_nothing_and_closing_it_writes_nothing():
    now = [0.0]
    err = terminal()
    progress = CatchUpProgress(err, clock=lambda: now[0])
    now[0] = DELAY / 2
    progress.update(10, 1, None)
    progress.close()
    assert err.getvalue() == ""


def test_notices_go_above_the_line_while_it_is_shown():
    now = [0.0]
    err = terminal()
    progress = CatchUpProgress(err, clock=lambda: now[0])
    now[0] = DELAY + 1
    progress.update(4000, 8, None)  # no fraction: how far is not known
    assert progress.print("aomlog: a notice")
    progress.close()
    shown = err.getvalue()
    assert "aomlog: a notice\n" in shown and "catching up: 4,000 lines, 8 pages" in shown
    assert not progress.print("after it ended")  # closed: the caller prints it elsewhere
