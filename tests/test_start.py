"""Where reading starts: what each way of saying it means, as GNU tail and the API's positions have it."""

import pytest

from aomlog.engine.start import AFTER, EARLIEST_MS, FROM, LAST, SINCE, Start


def test_the_newest_n_lines():
    assert Start.last(50) == Start(LAST, 50)


@pytest.mark.parametrize("n, line", [(0, 1), (1, 1), (10, 10)])
def test_from_line_zero_is_the_first_line_too(n, line):
    assert Start.from_line(n) == Start(FROM, line)


def test_after_a_position_keeps_it_as_given():
    assert Start.after("1700000000000000") == Start(AFTER, "1700000000000000")


def test_since_a_time_of_this_century():
    assert Start.since(EARLIEST_MS) == Start(SINCE, EARLIEST_MS)


@pytest.mark.parametrize("epoch_ms", [0, EARLIEST_MS - 1])
def test_since_a_time_before_positions_began_is_the_whole_log(epoch_ms):
    assert Start.since(epoch_ms) == Start.from_line(1)


def test_a_start_is_a_value():
    assert hash(Start.last(5)) == hash(Start.last(5))
    with pytest.raises(AttributeError):
        Start.last(5).value = 6  # type: ignore[misc]
