"""The concurrent catch-up gives exactly what a sequential read gives, whatever the server does.

Logs with repeated lines (so that a chunk's end cannot always be found by its text),
uneven positions (bursts and silences), both readings of base_line, servers that
refuse positions they did not hand out, any number of workers and every start.
"""

import collections
import threading

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aomlog.engine.catchup import CatchUp
from aomlog.engine.catchup.pool import QUEUE_PAGES
from aomlog.engine.start import Start
from aomlog.engine.settings import TailSettings
from aomlog.engine.streams import Streams
from aomlog.engine.tail import Tail

from fakelog import JOB, FakeApi

MS = 10**6


@st.composite
def logs(draw, max_lines=4000):
    """(lines, positions) of one stream: positions are epoch ms x 10^6 + a sequence."""
    n = draw(st.integers(0, max_lines))
    repeat = draw(st.sampled_from([1, 2, 3, 7, 10**9]))  # how often a text comes again
    lines = [f"line {i % repeat}" for i in range(n)]
    ms, seq, positions = 1795764000000, 2, []
    gaps = draw(st.lists(st.integers(0, 5000), min_size=1, max_size=20))
    for i in range(n):
        gap = gaps[i % len(gaps)]
        if gap:
            ms, seq = ms + gap, 2
        else:
            seq += 3
        positions.append(ms * MS + seq)
    return lines, positions


def run(api, streams, start, workers=8):
    engine = Tail(api, TailSettings(JOB, Streams(tuple(streams)), start, parallel=workers, fast_answer=0))
    got = {name: [] for name in streams}
    for stream, page in engine.pages():
        assert page.text.endswith("\n") and page.count == len(page.lines)
        got[stream] += page.lines
    return got


def expected(lines, positions, start, inclusive):
    if start.kind == "last":
        return lines[max(0, len(lines) - start.value):] if start.value else []
    if start.kind == "from":
        return lines[start.value - 1:]
    if start.kind == "after":  # a position handed out as an end_line: it is the next line's, inclusively
        after = int(start.value)
        return [line for line, pos in zip(lines, positions) if pos > after or (inclusive and pos == after)]
    return [line for line, pos in zip(lines, positions) if pos >= start.value * MS]


@st.composite
def starts(draw, positions):
    kind = draw(st.sampled_from(["from", "last", "after", "since"]))
    if kind == "from":
        return Start.from_line(draw(st.integers(1, len(positions) + 2)))
    if kind == "last":
        return Start.last(draw(st.integers(0, len(positions) + 2)))
    if not positions:
        return Start.from_line(1)
    i = draw(st.integers(0, len(positions) - 1))
    if kind == "after":
        return Start.after(str(positions[i]))
    return Start.since(positions[i] // MS + draw(st.integers(-1, 1)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), inclusive=st.booleans(), refuse=st.booleans(), workers=st.integers(1, 8),
       streams=st.integers(1, 3))
@example(data=None, inclusive=False, refuse=False, workers=8, streams=1)
def test_the_catch_up_is_exact(data, inclusive, refuse, workers, streams):
    if data is None:  # the example: one long log with every text repeated, split many ways
        lines = [f"line {i % 3}" for i in range(20000)]
        positions = [(1795764000000 + i // 4 * 25) * MS + 2 + 3 * (i % 4) for i in range(20000)]
        files = {"f0": (lines, positions)}
        start = Start.from_line(1)
    else:
        files = {f"f{k}": data.draw(logs()) for k in range(streams)}
        start = data.draw(starts(files["f0"][1]))
        if start.kind in ("after", "since"):  # a position (or time) of f0's
            files = {"f0": files["f0"]}
    api = FakeApi({name: lines for name, (lines, _) in files.items()},
                  positions={name: positions for name, (_, positions) in files.items()},
                  inclusive=inclusive, refuse_made_up=refuse)
    got = run(api, list(files), start, workers)
    for name, (lines, positions) in files.items():
        assert got[name] == expected(lines, positions, start, inclusive), (name, start)


def test_a_long_log_is_read_in_parallel_chunks_with_few_extra_requests():
    lines = [f"line {i}" for i in range(50000)]
    positions = [(1795764000000 + i // 4 * 25) * MS + 2 + 3 * (i % 4) for i in range(50000)]
    api = FakeApi({"f": lines}, positions={"f": positions})
    got = run(api, ["f"], Start.from_line(1))
    assert got["f"] == lines
    pages = 50000 // 500
    made_up = [c for c in api.calls if c[1] is not None and int(c[1]) not in set(positions)]
    assert len(made_up) > 5  # cut into chunks at positions of its own making
    assert len(api.calls) <= pages * 1.3  # a few probes and boundaries on top of the pages


def test_a_server_refusing_made_up_positions_is_read_sequentially_and_exactly():
    lines = [f"line {i}" for i in range(8000)]
    api = FakeApi({"f": lines}, refuse_made_up=True)
    assert run(api, ["f"], Start.from_line(1))["f"] == lines


def test_several_streams_keep_each_stream_in_order():
    files = {f"worker-{k}": [f"w{k} line {i}" for i in range(3000 + k)] for k in range(16)}
    api = FakeApi(files)
    engine = Tail(api, TailSettings(JOB, Streams(every=True), Start.from_line(1), parallel=8, fast_answer=0))
    got = {}
    for stream, page in engine.pages():
        got.setdefault(stream, []).extend(page.lines)
    assert got == files


class CountingApi(FakeApi):
    """Counts the whole pages read of each stream, and tells a test waiting for a count."""

    def __init__(self, files):
        super().__init__(files)
        self.pages = collections.Counter()
        self.counted = threading.Condition()

    def fetch(self, target, base_line, lines, order):
        page = super().fetch(target, base_line, lines, order)
        if lines == 500:
            with self.counted:
                self.pages[target.stream] += 1
                self.counted.notify_all()
        return page


def test_memory_is_bounded_whatever_the_number_of_streams():
    """A writer that stops taking pages leaves a few pages in memory for each stream, not the logs.

    Several streams are merged by position: the writer needs every stream's next page, so no
    worker waits for it, and what it cannot write yet goes to disk past a few pages."""
    from aomlog.api import Target
    from aomlog.engine.pagestack import IN_MEMORY
    from aomlog.engine.paging import Direction, LogReader

    files = {f"w{k}": [f"{k}-{i}" for i in range(60000)] for k in range(12)}
    api = CountingApi(files)
    direction = Direction(api.order_words)
    readers = [LogReader(api, Target(JOB, name), direction) for name in files]
    up = CatchUp(api, readers, {name: Start.from_line(1) for name in files}, workers=4, fast_answer=0)
    items = up.items()
    next(items)  # one page taken; then the writer stops
    with api.counted:  # every page is read (plus the last page of each, read to learn where it ends)
        assert api.counted.wait_for(lambda: sum(api.pages.values()) >= 12 * 121, timeout=60)
    order = up._order
    with up._pool.lock:
        spools = order._spools + [segment.pages for segments in order._streams for segment in segments]
        in_memory = sum(spool._held for spool in spools)
        on_disk = sum(len(spool) for spool in spools) - in_memory
    assert in_memory <= 2 * len(files) * IN_MEMORY < 12 * 120 // 3
    assert on_disk > 12 * 120 // 2
    assert {page.text for _, pages, _ in items for page in pages}  # and all of it can still be written


@pytest.mark.parametrize("inclusive", [False, True])
def test_since_finds_the_first_line_at_that_time(inclusive):
    lines = [f"line {i}" for i in range(3000)]
    positions = [(1795764000000 + i * 10) * MS + 2 for i in range(3000)]
    for refuse in (False, True):
        api = FakeApi({"f": lines}, positions={"f": positions}, inclusive=inclusive, refuse_made_up=refuse)
        assert run(api, ["f"], Start.since(1795764000000 + 12345))["f"] == lines[1235:]
        assert run(api, ["f"], Start.since(1795764000000 - 5))["f"] == lines
        assert run(api, ["f"], Start.since(1795764000000 + 10**9))["f"] == []


@pytest.mark.parametrize("onward_word", ["desc", "asc"])  # as documented, and the other way round
def test_since_on_a_long_log_is_read_in_chunks_whichever_word_reads_onward(onward_word):
    """Whether made-up positions are read onward is probed with the onward word, which
    must be learned first: probed with the wrong one, the answer is "no" and the log is
    read one page after another."""
    lines = [f"line {i}" for i in range(40000)]
    positions = [(1795764000000 + i * 10) * MS + 2 for i in range(40000)]
    api = FakeApi({"f": lines}, onward_word=onward_word, positions={"f": positions})
    assert run(api, ["f"], Start.since(1795764000000 + 5000))["f"] == lines[500:]
    handed_out = set(map(str, positions))
    cuts = [base for _, base, n, word in api.calls
            if word == onward_word and n == 1 and base is not None and base not in handed_out]
    assert len(cuts) >= 2  # the chunks' first lines, read onward from positions of aomlog's making


def test_a_short_page_inside_a_chunk_is_not_its_end():
    """A page with fewer lines than asked ends the log only where nothing is known to follow:
    a chunk whose next chunk has begun reads on to it."""
    lines = [f"line {i}" for i in range(40000)]
    positions = [(1795764000000 + i * 10) * MS + 2 for i in range(40000)]
    api = FakeApi({"f": lines}, positions={"f": positions}, short_between=(5000, 15000))
    assert run(api, ["f"], Start.from_line(1))["f"] == lines
    assert any(call[2] == 500 and call[1] in {str(p) for p in positions[5000:15000]} for call in api.calls)


def test_a_server_that_takes_some_made_up_positions_and_refuses_others_is_still_read_exactly():
    """The probe may land on a position that was handed out, or a server may be picky: a refused
    cut merges its chunk into the one before."""
    from aomlog.errors import BadRequest

    class Picky(FakeApi):
        taken = refused = 0

        def fetch(self, target, base_line, lines, order):
            issued = base_line is None or int(base_line) in set(self._positions(target.stream)) or base_line == "0"
            if not issued:
                self.taken += 1
                if self.taken > 2 and self.taken % 3:  # the probe passes; then two cuts in three are refused
                    self.refused += 1
                    raise BadRequest("the API refused the request (HTTP 400)", code="ModelArts.0104", http_status=400)
            return super().fetch(target, base_line, lines, order)

    lines = [f"line {i % 5}" for i in range(30000)]
    api = Picky({"f": lines}, positions={"f": [1000 + 10 * i for i in range(30000)]})
    assert run(api, ["f"], Start.from_line(1))["f"] == lines
    assert api.taken >= 6 and api.refused >= 3  # it did cut, and met refusals


def test_reading_back_for_the_newest_lines_shows_how_far_it_has_come():
    """-n N gives no line until all N are in: the progress line says how far back it has read."""
    from aomlog.api import Target
    from aomlog.engine.paging import Direction, LogReader

    files = {name: [f"{name}-{i}" for i in range(6000)] for name in ("w0", "w1")}
    api = FakeApi(files)
    direction = Direction(api.order_words)
    readers = [LogReader(api, Target(JOB, name), direction) for name in files]
    told = []
    up = CatchUp(api, readers, {name: Start.last(5000) for name in files}, workers=2,
                 progress=lambda lines, pages, fraction: told.append((lines, pages, fraction)))
    written = [line for _, pages, _ in up.items() for page in pages for line in page.lines]
    assert written == files["w0"][-5000:] + files["w1"][-5000:]
    lines = [t[0] for t in told]
    assert told and lines == sorted(lines) and told[-1] == (10000, 20, 1.0)
    assert all(0 < fraction <= 1 for _, _, fraction in told)


def test_a_server_that_answers_at_once_is_read_in_one_piece():
    """Cutting a log costs requests and threads; when the first answers come back within
    ``fast_answer``, reading side by side saves nothing, and the log is read in one piece."""
    lines = [f"line {i}" for i in range(50000)]
    positions = [(1795764000000 + i // 4 * 25) * MS + 2 + 3 * (i % 4) for i in range(50000)]
    api = FakeApi({"f": lines}, positions={"f": positions})
    engine = Tail(api, TailSettings(JOB, Streams(("f",)), Start.from_line(1), fast_answer=10.0))
    assert [line for _, page in engine.pages() for line in page.lines] == lines
    made_up = [c for c in api.calls if c[1] is not None and int(c[1]) not in set(positions)]
    assert len(made_up) <= 1  # "0", where the log starts; no cuts
    assert len(api.calls) <= 50000 // 500 + 4
