"""The catch-up's figures for the progress line: lines and pages, how far through the logs,
and how far reading back for the last N lines has come; they never go back."""

from aomlog.api import Page
from aomlog.engine.catchup.figures import Figures
from aomlog.engine.start import Start


def page(start, end, count=10):
    return Page("x\n" * count, count, str(start), str(end))


def test_how_far_through_is_known_once_every_streams_span_is():
    shown = []
    figures = Figures(lambda *told: shown.append(told), {"a": Start.from_line(1), "b": Start.from_line(1)},
                      2, wake=lambda: None)
    figures.span(0, page(1000, 1100), page(1900, 2000))
    figures.count(0, page(1000, 1100))
    assert shown[-1] == (10, 1, None)  # b's span is not known yet
    figures.span(1, page(5000, 5100), page(5900, 6000))
    figures.count(0, page(1100, 1500))
    figures.count(1, page(5000, 5500))
    assert shown[-1] == (30, 3, (500 + 500) / (1000 + 1000))


def test_reading_back_is_shown_as_it_goes_and_counted_after():
    shown, woken = [], []
    starts = {"a": Start.last(100), "b": Start.last(300)}
    figures = Figures(lambda *told: shown.append(told), starts, 2, wake=lambda: woken.append(1))
    walked = figures.walker(0)
    walked(50, 1)
    assert woken  # the writer draws it
    figures.show_walk()
    figures.show_walk()  # no news: nothing more shown
    assert shown == [(50, 1, 50 / 400)]
    figures.walker(1)(300, 3)
    figures.show_walk()
    assert shown[-1] == (350, 4, 350 / 400)


def test_nothing_is_counted_for_nobody():
    figures = Figures(None, {"a": Start.last(100)}, 1, wake=lambda: None)
    assert figures.walker(0) is None
    figures.count(0, page(1, 2))
    figures.show_walk()
    assert (figures.lines, figures.pages) == (0, 0)
