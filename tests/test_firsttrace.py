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


def test_the_first_one_is_kept_and_a_stream_without_times_has_none():
    first = FirstTraceback()
    first.page("worker-2", page("no time here", "Traceback (most recent call last):"))
    first.page("worker-0", page("2026-12-07 23:21:10,363 INFO", "Traceback (most recent call last):"))
    assert first.found == ("worker-2", None)
