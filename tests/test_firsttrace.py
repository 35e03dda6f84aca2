"""Where the first traceback began, when the page that opens it carries no time."""

from aomlog.api.family import Page
from aomlog.output.firsttrace import FirstTraceback


def page(*lines):
    return Page("".join(line + "\n" for line in lines), len(lines), "1", "2")


def test_a_traceback_that_opens_a_page_takes_the_time_of_the_streams_page_before():
    first = FirstTraceback()
    first.page("worker-0", page("2026-12-07 23:21:09,863 INFO step 1", "2026-12-07 23:21:10,363 INFO step 2"))
    first.page("worker-1", page("2026-12-07 23:30:00,000 INFO other task"))
    first.page("worker-0", page("Traceback (most recent call last):", '  File "train.py", line 187'))
    assert first.found == ("worker-0", "2026-12-07 23:21:10")


def test_of_several_tasks_the_earliest_wins_not_the_first_written():
    """A catch-up writes worker-0 whole before worker-1: worker-1's traceback began earlier."""
    first = FirstTraceback()
    first.page("worker-0", page("2026-12-07 23:21:10,363 INFO", "Traceback (most recent call last):"))
    first.page("worker-1", page("2026-12-07 23:20:59,000 INFO", "Traceback (most recent call last):"))
    first.page("worker-1", page("2026-12-07 23:22:00,000 INFO", "Traceback (most recent call last):"))
    assert first.found == ("worker-1", "2026-12-07 23:20:59")


def test_without_times_the_first_written_and_none_before_any():
    first = FirstTraceback()
    assert first.found is None
    first.page("worker-2", page("no time here", "Traceback (most recent call last):"))
    first.page("worker-0", page("no time either", "Traceback (most recent call last):"))
    assert first.found == ("worker-2", None)
