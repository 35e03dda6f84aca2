"""A segment is dropped by the writer only once it is done and all of it is handed out."""

from aomlog.api import Page
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.pagestack import PageStack


def test_a_segment_is_spent_once_done_and_empty():
    segment = Segment()
    assert not segment.spent  # its worker may still put pages
    segment.pages.append(Page("a\n", 1, "1", "1"))
    segment.done = True
    assert not segment.spent  # pages not yet handed out
    segment.pages.clear()
    assert segment.spent


def test_a_segment_of_last_lines_is_spent_only_once_they_are_handed_out():
    segment = Segment(last_lines=PageStack(), done=True)
    assert not segment.spent
