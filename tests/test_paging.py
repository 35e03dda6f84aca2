"""Paging against servers that read positions and order words differently from the simulator."""

import pytest

from aomlog.api import JobRef, Target
from aomlog.errors import ApiError, BadRequest
from aomlog.engine.paging import Direction, LogReader

from fakelog import FakeApi

LOG = [f"line {i}" for i in range(1234)]
TARGET = Target(JobRef("v1", "1", "1"), "f")


class ZeroMeansNewest(FakeApi):
    """Reads base_line=0 as no position at all: the newest lines."""

    def fetch(self, target, base_line, lines, order):
        return super().fetch(target, None if base_line == "0" else base_line, lines, order)


class RefusesZero(FakeApi):
    def fetch(self, target, base_line, lines, order):
        if base_line == "0":
            raise BadRequest("the API refused the request (HTTP 400) (ModelArts.0104)", code="ModelArts.0104")
        return super().fetch(target, base_line, lines, order)


class RefusesZeroOtherwise(FakeApi):
    """Refuses it with a 400 whose code is none of the documented bad-argument codes (v2's are not documented)."""

    def fetch(self, target, base_line, lines, order):
        if base_line == "0":
            raise BadRequest("the API refused the request (HTTP 400) (ModelArts.3999)", code="ModelArts.3999",
                             http_status=400)
        return super().fetch(target, base_line, lines, order)


# Every combination of what the server does with the words and what the docs say it does.
READINGS = [("desc", "desc"), ("asc", "desc"), ("asc", "asc"), ("desc", "asc")]


def reader(api):
    return LogReader(api, TARGET)


@pytest.mark.parametrize("kind", [FakeApi, ZeroMeansNewest, RefusesZero, RefusesZeroOtherwise])
@pytest.mark.parametrize("onward, documented", READINGS)
@pytest.mark.parametrize("size", [0, 1, 499, 500, 501, 1234])
def test_whole_log_whatever_position_zero_and_the_words_mean(kind, onward, documented, size):
    api = kind({"f": LOG[:size]}, onward_word=onward, documented_onward=documented)
    assert [line for page in reader(api).from_start() for line in page.lines] == LOG[:size]


@pytest.mark.parametrize("onward, documented", READINGS)
@pytest.mark.parametrize("n", [0, 1, 500, 501, 1001, 5000])
def test_newest_lines_across_pages_whatever_the_words_mean(onward, documented, n):
    api = FakeApi({"f": LOG}, onward_word=onward, documented_onward=documented)
    assert [line for page in reader(api).newest(n) for line in page.lines] == (LOG[-n:] if n else [])


@pytest.mark.parametrize("onward, documented", READINGS)
def test_following_onward_whatever_the_words_mean(onward, documented):
    api = FakeApi({"f": LOG[:700]}, onward_word=onward, documented_onward=documented)
    r = reader(api)
    got = [line for page in r.newest(10) for line in page.lines]
    assert [line for page in r.onward() for line in page.lines] == []  # caught up
    api.files["f"] += LOG[700:]
    got += [line for page in r.onward() for line in page.lines]
    assert got == LOG[690:]


def test_the_direction_is_learned_once_per_job_and_costs_one_request_at_most():
    api = FakeApi({"f": LOG, "g": LOG}, onward_word="asc", documented_onward="desc")
    direction = Direction(api.order_words)
    first = LogReader(api, TARGET, direction)
    list(first.from_start())
    assert direction.words == {"onward": "asc", "back": "desc"}
    api.calls.clear()
    second = LogReader(api, Target(TARGET.job, "g"), direction)
    assert [line for page in second.from_start() for line in page.lines] == LOG
    # newest page, the line before it, position 0, then onward: no more probing.
    assert len(api.calls) == 3 + (len(LOG) - 500 + 499) // 500


def test_a_server_that_goes_the_wrong_way_once_the_direction_is_known_is_an_error():
    api = FakeApi({"f": LOG})
    r = reader(api)
    r.newest(600)
    api.reads = {"desc": "back", "asc": "onward"}  # the server changes its mind
    with pytest.raises(ApiError, match="read the log back when asked to read onward"):
        list(r.onward())


class Watched(Direction):
    """Other threads read ``known`` without the lock: once it is true, the words must be right."""

    def _swap(self):
        assert not self.known
        super()._swap()


def test_the_words_are_right_before_they_are_said_to_be_known():
    from aomlog.api import Page

    direction = Watched({"onward": "desc", "back": "asc"})  # as documented; this server reads "asc" onward

    def first_line_on(base, lines, word):  # from the log's first line: nothing back, "line 2" onward
        return Page("line 2\n", 1, "1002", "1002") if word == "asc" else Page("", 0, None, None)

    assert direction.fetch(first_line_on, "1001", 1, "onward").lines == ["line 2"]
    assert direction.known and direction.words == {"onward": "asc", "back": "desc"}
