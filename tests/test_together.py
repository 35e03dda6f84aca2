"""Several engines side by side (engine/together.py) and their one cursor file (engine/cursorbook.py)."""

import json
import threading

import pytest

from aomlog.engine.cursorbook import CursorBook
from aomlog.engine.signals import Interrupted
from aomlog.engine.together import Shared, SharedProgress, Together
from aomlog.errors import UsageError

from engine import make_tail
from fakelog import FakeApi


def lines(name, n):
    return [f"{name} line {i}" for i in range(n)]


def engine(name, n, **options):
    return make_tail(FakeApi({"log1.log": lines(name, n)}), name, 1, "log1.log", ("from", 1), **options)


def test_each_engines_pages_come_whole_and_in_order_and_the_outcomes_in_the_engines_order():
    engines = [engine("10", 3000), engine("20", 1200), engine("30", 7)]
    got, started = {}, []
    outcomes = Together(engines).run(lambda i, stream, page: got.setdefault(i, []).extend(page.lines),
                                     lambda i, s: started.append((i, s.job.job_id, s.streams)))
    assert got == {0: lines("10", 3000), 1: lines("20", 1200), 2: lines("30", 7)}
    assert sorted(started) == [(0, "10", ("log1.log",)), (1, "20", ("log1.log",)), (2, "30", ("log1.log",))]
    assert [outcome.job.job_id for outcome in outcomes] == ["10", "20", "30"]


def test_a_pages_position_is_stored_after_it_is_written_and_before_its_engine_hands_another(tmp_path):
    book = CursorBook(str(tmp_path / "c"), [("10", "1"), ("20", "1")])
    engines = [engine("10", 2500), engine("20", 2500)]
    for one in engines:
        one.cursor = book.cursor(one.job.job_id, one.job.version)
    ends, pages = {}, []

    def write(i, stream, page):
        stored = book.cursor(engines[i].job.job_id, "1").positions.get(stream)
        assert stored == ends.get(i)  # the page before it stored, this one not yet
        ends[i] = page.end_line
        pages.append(i)

    Together(engines).run(write, lambda i, s: None)
    assert pages.count(0) > 1 and pages.count(1) > 1
    assert [job["positions"]["log1.log"] for job in json.loads((tmp_path / "c").read_text())["jobs"]] == \
        [ends[0], ends[1]]


def test_an_error_of_one_engine_is_raised_in_the_callers_thread_and_ends_the_others(tmp_path):
    class Broken(FakeApi):
        def fetch(self, *args):
            raise RuntimeError("the API broke")

    bad = make_tail(Broken({"log1.log": lines("x", 10)}), "20", 1, "log1.log", ("from", 1))
    with pytest.raises(RuntimeError, match="the API broke"):
        Together([engine("10", 5000), bad]).run(lambda i, stream, page: None, lambda i, s: None)


def test_a_write_that_fails_ends_the_read_without_storing_its_page(tmp_path):
    book = CursorBook(str(tmp_path / "c"), [("10", "1"), ("20", "1")])
    engines = [engine("10", 50), engine("20", 50)]
    for one in engines:
        one.cursor = book.cursor(one.job.job_id, one.job.version)

    def write(i, stream, page):
        raise BrokenPipeError

    with pytest.raises(BrokenPipeError):
        Together(engines).run(write, lambda i, s: None)
    assert not (tmp_path / "c").exists()  # no page was written: no position stored


class CountingStop:
    """A stop that, like the signal guard, keeps a count of pages in hand."""

    def __init__(self):
        self.depth, self.most = 0, 0

    def page(self):
        import contextlib

        @contextlib.contextmanager
        def held():
            self.depth += 1
            self.most = max(self.most, self.depth)
            try:
                yield
            finally:
                self.depth -= 1

        return held()


def test_the_shared_stop_counts_the_pages_in_hand_of_every_engine():
    counted = CountingStop()
    stop = Shared(counted)
    engines = [engine("10", 3000, stop=stop), engine("20", 3000, stop=stop)]
    Together(engines).run(lambda i, stream, page: None, lambda i, s: None)
    assert counted.depth == 0 and counted.most >= 1


def test_a_stop_request_raised_in_an_engine_thread_ends_the_read_in_the_callers():
    class StopAfter:
        def __init__(self):
            self.pages = 0

        def page(self):
            import contextlib

            @contextlib.contextmanager
            def held():
                yield
                self.pages += 1
                if self.pages == 3:
                    raise Interrupted(2)

            return held()

    stop = Shared(StopAfter())
    with pytest.raises(Interrupted):
        Together([engine("10", 3000, stop=stop), engine("20", 3000, stop=stop)]).run(lambda *a: None,
                                                                                      lambda *a: None)


def test_the_shared_progress_adds_the_figures_up_and_closes_with_the_last():
    class Line:
        def __init__(self):
            self.updates, self.closed = [], 0

        def update(self, lines, pages, fraction):
            self.updates.append((lines, pages, fraction))

        def close(self):
            self.closed += 1

    line = Line()
    shared = SharedProgress(line, 2)
    first, second = shared.part(0), shared.part(1)
    first.update(100, 2, 0.5)
    second.update(40, 1, 0.25)
    second.update(60, 2, None)  # the positions tell nothing: no fraction for the whole
    first.close()
    assert line.closed == 0
    second.close()
    assert line.updates == [(100, 2, 0.25), (140, 3, 0.375), (160, 4, None)] and line.closed == 1


def test_the_book_writes_every_jobs_entry_and_reads_them_back(tmp_path):
    path = str(tmp_path / "runs.cursor")
    book = CursorBook(path, [("10", "1"), ("abc-uuid", None)])
    assert book.cursor("10", "1").load() == {} and book.cursor("abc-uuid", None).load() == {}
    book.cursor("10", "1").save("log1.log", "123", {"epoch": 3})
    book.cursor("abc-uuid", None).save("worker-0", "456")
    data = json.loads((tmp_path / "runs.cursor").read_text())
    assert data == {"format": 1, "jobs": [
        {"job_id": "10", "version_id": "1", "positions": {"log1.log": "123"}, "carried": {"log1.log": {"epoch": 3}}},
        {"job_id": "abc-uuid", "version_id": None, "positions": {"worker-0": "456"}}]}
    again = CursorBook(path, [("abc-uuid", None), ("10", "1"), ("30", None)])
    assert again.cursor("10", "1").load() == {"log1.log": "123"} and again.cursor("10", "1").carried == \
        {"log1.log": {"epoch": 3}}
    assert again.cursor("abc-uuid", None).load() == {"worker-0": "456"} and again.cursor("30", None).load() == {}


def test_the_book_refuses_a_file_that_names_a_job_not_read_now(tmp_path):
    path = tmp_path / "runs.cursor"
    path.write_text(json.dumps({"format": 1, "jobs": [{"job_id": "99", "version_id": None, "positions": {}}]}))
    with pytest.raises(UsageError, match="belongs to job 99"):
        CursorBook(str(path), [("10", "1"), ("20", None)]).cursor("20", None).load()
    path.write_text(json.dumps({"format": 1, "jobs": "nonsense"}))
    with pytest.raises(UsageError, match="not an aomlog cursor file"):
        CursorBook(str(path), [("10", "1"), ("20", None)]).cursor("20", None).load()


def test_a_page_written_has_its_position_stored_however_the_run_ends_next(tmp_path):
    for _ in range(20):  # the engine's thread and the caller's race here without the handover
        book = CursorBook(str(tmp_path / "c"), [("10", "1"), ("20", "1")])
        engines = [engine("10", 3000), engine("20", 3000)]
        for one in engines:
            one.cursor = book.cursor(one.job.job_id, one.job.version)
        written = []

        def write(i, stream, page):
            if written:
                raise KeyboardInterrupt  # Ctrl-C as the second page is written
            written.append((i, page.end_line))

        with pytest.raises(KeyboardInterrupt):
            Together(engines).run(write, lambda i, s: None)
        (i, end), = written
        saved = {job["job_id"]: job["positions"] for job in json.loads((tmp_path / "c").read_text())["jobs"]}
        assert saved == {engines[i].job.job_id: {"log1.log": end}}
        (tmp_path / "c").unlink()
