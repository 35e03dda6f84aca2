"""The engine's contract with its caller: a ``Started`` value before the first page, an
``Outcome`` as the generator's value, stop requests between pages (never inside one), the
keeper's values stored with each position, and errors that name no option."""

import json
import signal

import pytest

from aomlog.api import Phase
from aomlog.cli.hints import worded
from aomlog.engine.outcome import Outcome, Started
from aomlog.engine.signals import Interrupted
from aomlog.errors import NotFoundError, UsageError

from engine import make_tail
from fakelog import FakeApi

LINES = [f"line {i}" for i in range(1200)]  # three pages


class Growing(FakeApi):
    """A log that grows by a line at each sleep of the follower, and ends after ``lines`` more;
    its clock moves by the follower's sleeps."""

    def __init__(self, files, lines=3):
        super().__init__(files)
        self.more = lines
        self.now = 0.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
        if self.more:
            self.more -= 1
            for name, log in self.files.items():
                log.append(f"{name} new {len(log)}")
        else:
            self.phase = Phase.SUCCEEDED


def test_started_comes_once_before_the_first_page_with_the_streams_in_the_jobs_order():
    events = []
    engine = make_tail(FakeApi({"b": ["b1"], "a": ["a1", "a2"]}), 10, 10, None, ("from", 1))
    outcome = engine.run(lambda stream, page: events.append((stream, page.lines)), on_start=events.append)
    started = Started(engine.job, ("b", "a"), resumed=False)
    # The pages in the catch-up's order: both start at the same position, so by name.
    assert events == [started, ("a", ["a1", "a2"]), ("b", ["b1"])]
    assert outcome == Outcome(started, end=None, silent=False)


def test_pages_returns_the_outcome_as_its_value():
    pages = make_tail(FakeApi({"log1.log": ["x"]}), 10, 10, "log1.log").pages()
    assert next(pages)[1].lines == ["x"]
    with pytest.raises(StopIteration) as done:
        next(pages)
    assert done.value.value.streams == ("log1.log",) and done.value.value.end is None


def test_a_follow_returns_how_the_job_ended():
    api = Growing({"log1.log": ["a", "b"]})
    written = []
    engine = make_tail(api, 10, 10, "log1.log", ("from", 1), follow=True, sleep=api.sleep, clock=api.clock)
    outcome = engine.run(lambda stream, page: written.extend(page.lines))
    assert written == ["a", "b", "log1.log new 2", "log1.log new 3", "log1.log new 4"]
    assert outcome.end.phase is Phase.SUCCEEDED and not outcome.silent and not outcome.resumed


def test_a_followed_job_that_ended_before_it_started_has_no_streams_and_was_silent():
    api = FakeApi({})
    api.phase = Phase.FAILED
    started = []
    outcome = make_tail(api, 10, 10, None, follow=True).run(lambda stream, page: None, on_start=started.append)
    assert started == [outcome.started] and outcome.streams == ()
    assert outcome.end.phase is Phase.FAILED and outcome.silent


def test_started_says_a_cursor_file_resumed_the_read(tmp_path):
    cursor = str(tmp_path / "cursor.json")
    api = FakeApi({"log1.log": ["a", "b"]})
    first = make_tail(api, 10, 10, "log1.log", ("from", 1), cursor_path=cursor).run(lambda stream, page: None)
    api.files["log1.log"].append("c")
    written = []
    second = make_tail(api, 10, 10, "log1.log", ("from", 1), cursor_path=cursor).run(
        lambda stream, page: written.extend(page.lines))
    assert (first.resumed, second.resumed, written) == (False, True, ["c"])


class Keeps:
    """A keeper that counts the pages of each stream and says what it was given back."""

    def __init__(self):
        self.restored = None
        self.pages = {}

    def restore(self, kept):
        self.restored = dict(kept)

    def kept(self, stream):
        return {"pages": self.pages[stream]} if stream in self.pages else None


def test_what_the_keeper_keeps_is_stored_with_each_position_and_given_back(tmp_path):
    cursor = tmp_path / "cursor.json"
    api = FakeApi({"log1.log": LINES})
    keeper = Keeps()

    def write(stream, page):
        keeper.pages[stream] = keeper.pages.get(stream, 0) + 1

    make_tail(api, 10, 10, "log1.log", ("from", 1), cursor_path=str(cursor), keeper=keeper).run(write)
    assert keeper.restored == {}
    assert json.loads(cursor.read_text())["carried"] == {"log1.log": {"pages": 3}}
    again = Keeps()
    make_tail(api, 10, 10, "log1.log", ("from", 1), cursor_path=str(cursor), keeper=again).run(write)
    assert again.restored == {"log1.log": {"pages": 3}}


def test_a_stop_request_waits_for_the_page_and_its_cursor_then_ends_the_read(guard, tmp_path):
    cursor = tmp_path / "cursor.json"
    written = []

    def write(stream, page):
        written.append(page)
        if len(written) == 1:
            signal.raise_signal(signal.SIGTERM)  # while the first page is being written
            written.append("still writing")

    engine = make_tail(FakeApi({"log1.log": LINES}), 10, 10, "log1.log", ("from", 1), cursor_path=str(cursor),
                       stop=guard)
    with pytest.raises(Interrupted) as stopped:
        engine.run(write)
    assert stopped.value.status == 143
    assert len(written) == 2 and written[1] == "still writing"  # the page was finished, no other begun
    assert json.loads(cursor.read_text())["positions"] == {"log1.log": written[0].end_line}


def test_a_stop_request_between_pages_ends_the_read_at_once(guard):
    def sleep(seconds):
        signal.raise_signal(signal.SIGINT)  # the follower waits for lines: no page in hand

    api = FakeApi({"log1.log": ["a"]})
    engine = make_tail(api, 10, 10, "log1.log", follow=True, sleep=sleep, clock=lambda: 0.0, stop=guard)
    with pytest.raises(Interrupted) as stopped:
        engine.run(lambda stream, page: None)
    assert stopped.value.status == 130


@pytest.mark.parametrize("family, hint", [
    ("v1", "Pass --file NAME (repeat it for several), e.g. --file a, or --all-files."),
    ("v2", "Pass --task NAME (repeat it for several), e.g. --task a, or --all-tasks."),
])
def test_several_streams_none_chosen_is_an_error_the_cli_words(family, hint):
    engine = make_tail(FakeApi({"a": ["1"], "b": ["2"]}), 10, 10 if family == "v1" else None, ())
    with pytest.raises(UsageError) as refused:
        engine.run(lambda stream, page: None)
    err = refused.value
    assert "--" not in err.hint and err.about == "streams.several"
    assert worded(err) == (err.message, hint)


def test_a_job_not_started_says_to_follow_it_in_the_words_of_the_cli():
    api = FakeApi({})
    api.phase = Phase.WAITING
    with pytest.raises(NotFoundError) as refused:
        make_tail(api, 10, 10, None).run(lambda stream, page: None)
    assert "-f" not in refused.value.hint
    assert worded(refused.value)[1] == "Add -f to wait for it to start and follow its log."
