"""The catch-up's workers: jobs taken in order, memory bounded by the segment's room and the window,
a job's error handed to the writer, and a writer that goes away stopping them.

The jobs here are the tests' own: they say what they reach, and the test, as the writer,
waits for that, never for time to pass.
"""

import threading

import pytest

from aomlog.api import Page
from aomlog.engine.catchup.pool import QUEUE_PAGES, Closed, Pool
from aomlog.engine.catchup.segment import Segment

WAIT = 60  # seconds before a test that waits in vain fails instead of hanging


class Log:
    """What the jobs reached, for a test to wait for."""

    def __init__(self):
        self.seen = []
        self.changed = threading.Condition()

    def say(self, what):
        with self.changed:
            self.seen.append(what)
            self.changed.notify_all()

    def wait_for(self, *whats):
        self.wait_until(lambda seen: all(what in seen for what in whats))

    def wait_until(self, reached):
        with self.changed:
            assert self.changed.wait_for(lambda: reached(self.seen), timeout=WAIT), self.seen


def page(n):
    return Page(f"line {n}\n", 1, str(1000 + n), str(1000 + n))


def start(workers=1, window=5):
    connected = []
    pool = Pool(workers, window, connect=lambda first: connected.append(first) or f"api-{len(connected)}")
    return pool, connected


def test_a_segment_holds_at_most_its_room_until_the_writer_takes_pages():
    pool, _ = start()
    log, segment = Log(), Segment()

    def fill(api):
        for n in range(QUEUE_PAGES + 4):
            log.say(("putting", n))
            pool.put(segment, page(n))
            log.say(("put", n))
        pool.finish(segment, "end")

    pool.submit("s", [fill])
    pool.start()
    log.wait_for(("putting", QUEUE_PAGES))  # the page one past the room: its worker waits
    with pool.lock:
        assert len(segment.pages) == QUEUE_PAGES
        assert ("put", QUEUE_PAGES) not in log.seen
        taken = list(segment.pages)
        segment.pages.clear()
        pool.took(segment)
    log.wait_for(("put", QUEUE_PAGES + 3))
    with pool.lock:
        while not segment.done:
            pool.wait()
        taken += list(segment.pages)
    assert [p.text for p in taken] == [page(n).text for n in range(QUEUE_PAGES + 4)]
    assert segment.cursor == "end"
    pool.close()


def test_no_more_segments_are_taken_than_the_window_holds():
    """Each job fills a segment of its own; a segment counts until the writer has written it."""
    pool, _ = start(workers=2, window=3)
    log, segments, written = Log(), [Segment() for _ in range(6)], []

    def job(k):
        def fill(api):
            log.say(("started", k, len(written)))
            pool.put(segments[k], page(k))
            pool.finish(segments[k])
            log.say(("finished", k))
        return fill

    pool.submit("s", [job(k) for k in range(6)])
    pool.start()
    log.wait_for(*(("finished", k) for k in range(3)))
    for k in range(3, 6):
        with pool.lock:  # the writer writes the oldest segment: room for one more
            written.append(k - 3)
            pool.written()
        log.wait_for(("finished", k))
    started = [what for what in log.seen if what[0] == "started"]
    assert [k for _, k, _ in started] == list(range(6))  # in the order they were queued
    assert all(k < 3 + written_before for _, k, written_before in started)
    pool.close()


def test_work_queued_first_is_taken_next_in_its_order():
    pool, _ = start()
    log, go_on = Log(), threading.Event()

    def job(name):
        def run(api):
            if name == "a":
                log.say("a running")
                assert go_on.wait(WAIT)
            log.say(name)
        return run

    pool.submit("s", [job("a"), job("b")])
    pool.start()
    log.wait_for("a running")
    pool.submit("s", [job("x"), job("y")], first=True)
    go_on.set()
    log.wait_for("a", "b", "x", "y")
    assert [what for what in log.seen if what != "a running"] == ["a", "x", "y", "b"]
    pool.close()


def test_a_jobs_error_reaches_the_writer_with_its_stream_and_stops_the_workers():
    pool, _ = start(workers=2)

    def fail(api):
        raise ValueError("no such page")

    pool.submit("worker-3", [fail])
    before = set(threading.enumerate())
    pool.start()
    workers = set(threading.enumerate()) - before
    with pytest.raises(ValueError) as raised:
        with pool.lock:
            while True:
                pool.check()
                pool.wait()
    assert raised.value.stream == "worker-3"
    for thread in workers:
        thread.join(WAIT)
        assert not thread.is_alive()


def test_a_writer_going_away_stops_a_worker_waiting_for_room():
    pool, _ = start()
    log, segment = Log(), Segment()

    def fill(api):
        try:
            for n in range(QUEUE_PAGES + 1):
                log.say(("putting", n))
                pool.put(segment, page(n))
        except Closed:
            log.say("closed")
            raise

    pool.submit("s", [fill])
    pool.start()
    log.wait_for(("putting", QUEUE_PAGES))
    pool.close()
    log.wait_for("closed")
    assert len(segment.pages) == QUEUE_PAGES


def test_each_worker_opens_one_connection_with_its_first_job():
    pool, connected = start(workers=3, window=9)  # none is written: each counts in the window
    log = Log()
    pool.submit("s", [lambda api, k=k: log.say((k, api)) for k in range(9)])
    pool.start()
    log.wait_until(lambda seen: len(seen) == 9)
    apis = {api for _, api in log.seen}
    assert len(connected) == len(apis) <= 3
    assert connected.count(True) <= 1  # only the first worker may go on with the caller's connection
    pool.close()
