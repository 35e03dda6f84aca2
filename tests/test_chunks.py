"""Cutting a stream into chunks: where the cuts go, and chunks that join exactly at them,
whether the server includes base_line or not, and whatever lines repeat."""

import time

import pytest

from aomlog.api import ONWARD, Page, Target
from aomlog.engine.catchup.chunks import CHUNK_PAGES, Chunk, JobPositions, chain, cuts, is_time, lines_before
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.paging import Direction, LogReader

from fakelog import JOB, FakeApi


def positions(n):
    return [1000 + 10 * i for i in range(n)]


def reader_of(api, name="f", direction=None):
    return LogReader(api, Target(JOB, name), direction)


def spanning(first_line, n=500):
    """A page of ``n`` lines from line ``first_line`` on, the lines 10 positions apart."""
    return Page("x\n" * n, n, str(1000 + 10 * first_line), str(1000 + 10 * (first_line + n - 1)))


def test_a_long_stretch_is_cut_evenly_into_a_multiple_of_the_workers_it_has():
    first, last = spanning(0), spanning(99500)
    where = cuts(first, last, share=4)
    assert (where.low, where.high) == (int(first.end_line), int(last.start_line))
    count = len(where.at) + 1
    assert count % 4 == 0 and count >= 4
    assert where.at == sorted(where.at) and where.low < where.at[0] and where.at[-1] < where.high
    gaps = [b - a for a, b in zip([where.low] + where.at, where.at + [where.high])]
    assert max(gaps) - min(gaps) <= 1  # even, by position
    pages = 99000 / 500
    assert pages / count <= CHUNK_PAGES  # about a chunk's worth of pages each, at most


@pytest.mark.parametrize("first, last, share", [
    (spanning(0), spanning(99500), 1),  # one worker for the stream: nothing to share out
    (spanning(0), spanning(1200), 8),  # too short to be worth cutting
    (spanning(0), Page("", 0, None, None), 8),  # no position to cut between
])
def test_a_stream_is_read_in_one_piece_when_cutting_gains_nothing(first, last, share):
    assert cuts(first, last, share) is None


def test_chunks_are_chained_in_order_the_first_filling_the_streams_segment():
    segment = Segment()
    chunks = chain(segment, [10, 20, 30])
    assert chunks[0].segment is segment and chunks[0].cut is None
    assert [c.cut for c in chunks[1:]] == [10, 20, 30]
    assert len({id(c.segment) for c in chunks}) == 4
    assert [c.next for c in chunks] == chunks[1:] + [None]


@pytest.mark.parametrize("inclusive", [False, True])
@pytest.mark.parametrize("repeat", [1, 3, 10**9])  # every line alike, a few texts, all different
def test_a_chunk_ends_exactly_before_the_next_chunks_first_line(inclusive, repeat):
    lines = [f"line {i % repeat}" for i in range(2000)]
    api = FakeApi({"f": lines}, positions={"f": positions(2000)}, inclusive=inclusive)
    reader = reader_of(api)
    base = str(positions(2000)[99])
    for cut in (1000 + 10 * 150 - 5, 1000 + 10 * 150, 1000 + 10 * 150 + 5, 1000 + 10 * 400 - 1):
        end = Chunk(cut, Segment()).first(reader)
        page = reader.fetch(base, 500, ONWARD)
        kept = lines_before(reader, page, base, end)
        at = positions(2000).index
        assert kept == at(end.start_line) - at(int(page.start_line)), cut
        assert page.lines[kept] == end.text


def test_a_refused_cut_is_read_by_the_chunk_before():
    """A server may refuse one made-up position and take another (a position it handed out)."""
    api = FakeApi({"f": [f"line {i}" for i in range(100)]}, positions={"f": positions(100)}, refuse_made_up=True)
    reader = reader_of(api)
    chunks = chain(Segment(), [1505, 1600])  # made up; handed out
    assert chunks[1].first(reader) is None and chunks[1].refused
    end = chunks[0].end(reader)
    assert end is not None and end.text == "line 61"  # the first line after position 1600
    assert chunks[1].end(reader) == end


def test_the_chunks_first_line_is_read_once_for_both_chunks_that_need_it():
    api = FakeApi({"f": [f"line {i}" for i in range(100)]}, positions={"f": positions(100)})
    reader = reader_of(api)
    chunks = chain(Segment(), [1505])
    assert chunks[1].first(reader) == chunks[0].end(reader) and chunks[1].first(reader).text == "line 51"
    assert len(api.calls) == 1


def test_whether_made_up_positions_are_taken_is_probed_once_per_job():
    api = FakeApi({"a": ["x"] * 2000, "b": ["y"] * 2000})
    direction = Direction(api.order_words)
    known = JobPositions()
    assert known.accepts_made_up(reader_of(api, "a", direction), 1000, 2999)
    asked = len(api.calls)
    assert known.accepts_made_up(reader_of(api, "b", direction), 1000, 2999)
    assert len(api.calls) == asked


def test_a_server_that_refuses_made_up_positions_is_not_cut():
    api = FakeApi({"a": ["x"] * 2000}, positions={"a": positions(2000)}, refuse_made_up=True)
    assert not JobPositions().accepts_made_up(reader_of(api, "a"), 1000, 20990)


@pytest.mark.parametrize("position, expected", [
    (str(int(time.time() * 1000) * 10**6 + 2), True),
    (str(4102444800000 * 10**6), False),  # 2100: not the time of a line read today
    ("12345", False),
    ("not a number", False),
    (None, False),
])
def test_positions_read_as_times(position, expected):
    assert is_time(position) is expected
