"""Reading a stream's catch-up by its start, through the catch-up's public face: what each start
reads, in how few requests, and a start the server's positions cannot serve."""

import pytest

from aomlog.api import Target
from aomlog.cli.hints import worded
from aomlog.engine.catchup import CatchUp
from aomlog.engine.paging import Direction, LogReader
from aomlog.engine.start import Start
from aomlog.errors import AomlogError

from fakelog import JOB, FakeApi


def catch_up(api, starts, workers=4):
    direction = Direction(api.order_words)
    readers = [LogReader(api, Target(JOB, name), direction) for name in starts]
    return CatchUp(api, readers, starts, workers=workers, fast_answer=0), readers


def written(up):
    return [(reader.stream, line, as_one) for reader, pages, as_one in up.items()
            for page in pages for line in page.lines]


def test_a_log_shorter_than_a_page_is_read_in_one_request():
    api = FakeApi({"f": ["a", "b", "c"]})
    up, [reader] = catch_up(api, {"f": Start.from_line(1)})
    assert written(up) == [("f", "a", False), ("f", "b", False), ("f", "c", False)]
    assert len(api.calls) == 1 and reader.cursor == "1002"


def test_after_a_position_the_lines_after_it():
    api = FakeApi({"f": [f"line {i}" for i in range(1200)]})
    up, [reader] = catch_up(api, {"f": Start.after("1999")})
    assert [line for _, line, _ in written(up)] == [f"line {i}" for i in range(1000, 1200)]
    assert reader.cursor == "2199"


def test_the_last_lines_come_as_one():
    api = FakeApi({"f": [f"line {i}" for i in range(1200)]})
    up, [reader] = catch_up(api, {"f": Start.last(700)})
    assert written(up) == [("f", f"line {i}", True) for i in range(500, 1200)]
    assert reader.cursor == "2199"


def test_a_time_on_a_log_whose_positions_are_not_times_is_an_error_about_the_start():
    api = FakeApi({"f": ["a", "b"]})
    up, _ = catch_up(api, {"f": Start.since(1795764000000)})
    with pytest.raises(AomlogError) as raised:
        written(up)
    err = raised.value
    assert (err.about, err.facts) == ("since", {"stream": "f", "position": "1000"})
    assert "--" not in err.message and "--" not in err.hint  # the engine knows no option's name
    assert worded(err) == ("the API's positions in f are not times (the newest line is at 1000), "
                           "so --since cannot find a time", "Start with -n N, -n +N or --base-line instead.")
