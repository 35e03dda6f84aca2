"""The writer's side: each stream's pages in order, a page cut short at a chunk's end joined to
the next one, the last N lines of streams all at once and in the streams' order, and each
reader's cursor following the pages handed out.

The segments here are filled by the test itself, as the workers would."""

from collections import deque

from aomlog.api import Page, Target
from aomlog.engine.catchup.figures import Figures
from aomlog.engine.catchup.order import InOrder
from aomlog.engine.catchup.pool import Pool
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.pagestack import PageStack
from aomlog.engine.paging import LogReader
from aomlog.engine.start import Start

from fakelog import JOB, FakeApi


def page(first, last, end=True):
    """Lines ``first`` to ``last``; ``end``: it has an end_line (a page cut short has none)."""
    lines = [f"line {n}" for n in range(first, last + 1)]
    return Page("".join(line + "\n" for line in lines), len(lines), str(first), str(last) if end else None)


def segment(*pages, cursor=None):
    return Segment(pages=deque(pages), done=True, cursor=cursor)


def writer(starts, shown=None):
    api = FakeApi({name: [] for name in starts})
    readers = [LogReader(api, Target(JOB, name)) for name in starts]
    pool = Pool(1, 5, connect=lambda first: api)  # not started: the test fills the segments
    figures = Figures((lambda *told: shown.append(told)) if shown is not None else None, starts, len(readers), wake=pool.tell_writer)
    return InOrder(pool, readers, starts, figures), readers, pool


def test_a_page_cut_short_at_a_chunks_end_comes_joined_to_the_next():
    order, [reader], _ = writer({"f": Start.from_line(1)})
    order.add(0, [segment(page(1, 2), page(3, 3, end=False)), segment(page(4, 5), cursor="5")])
    items = order.items()
    got, cursors = [], []
    for item_reader, pages, as_one in items:
        assert item_reader is reader and not as_one
        got += pages
        cursors.append(reader.cursor)
    assert got == [page(1, 2), Page("line 3\nline 4\nline 5\n", 3, "3", "5")]
    assert cursors == ["2", "5"]


def test_a_page_cut_short_at_the_logs_end_comes_as_it_is():
    order, [reader], _ = writer({"f": Start.from_line(1)})
    order.add(0, [segment(page(1, 2)), segment(page(3, 3, end=False))])
    assert [p for _, pages, _ in order.items() for p in pages] == [page(1, 2), page(3, 3, end=False)]
    assert reader.cursor == "2"


def test_the_last_lines_of_streams_come_first_all_at_once_in_the_streams_order():
    starts = {"a": Start.last(2), "b": Start.from_line(1), "c": Start.last(2)}
    order, readers, pool = writer(starts)
    stacks = {}
    for name in ("a", "c"):
        stacks[name] = PageStack()
        stacks[name].push(page(1, 2))
    a = Segment()  # still reading back
    order.add(0, [a])
    order.add(1, [segment(page(1, 1), cursor="1")])
    order.add(2, [Segment(last_lines=stacks["c"], done=True, cursor="c-end")])
    pool.finish(a, "a-end", last_lines=stacks["a"])
    items = order.items()
    assert [(reader.stream, pages, as_one) for reader, pages, as_one in items] == \
        [("a", stacks["a"], True), ("c", stacks["c"], True), ("b", [page(1, 1)], False)]
    assert [reader.cursor for reader in readers] == ["a-end", "1", "c-end"]


def test_pages_of_several_streams_are_merged_by_position_then_by_name():
    starts = {name: Start.from_line(1) for name in ("b", "a", "c")}
    order, readers, _ = writer(starts)
    order.add(0, [segment(page(10, 19), page(40, 49), cursor="49")])  # b
    order.add(1, [segment(page(10, 14), page(30, 39))])  # a: the same first position as b's first
    order.add(2, [segment(page(5, 9), page(50, 59))])  # c
    got = [(reader.stream, pages[0].start_line) for reader, pages, _ in order.items()]
    assert got == [("c", "5"), ("a", "10"), ("b", "10"), ("a", "30"), ("b", "40"), ("c", "50")]
    assert [reader.cursor for reader in readers] == ["49", "39", "59"]


def test_the_last_lines_read_in_chunks_leave_out_the_lines_before_them():
    order, [reader], _ = writer({"f": Start.last(4)})
    first = segment(page(1, 3), page(4, 6, end=False))
    first.keep_last = 4
    order.add(0, [first, segment(page(7, 8), cursor="8")])
    [(item_reader, pages, as_one)] = list(order.items())
    assert as_one and "".join(p.text for p in pages) == "".join(f"line {n}\n" for n in range(5, 9))
    assert reader.cursor == "8"


def test_each_page_handed_out_is_counted_for_the_progress_line():
    shown = []
    order, _, _ = writer({"f": Start.from_line(1)}, shown)
    order.add(0, [segment(page(1, 2), page(3, 5))])
    list(order.items())
    assert shown == [(2, 1, None), (5, 2, None)]
