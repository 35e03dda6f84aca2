"""Ctrl-C and SIGTERM against a real process whose reader has stopped reading: exactly once."""

import array
import fcntl
import json
import signal
import subprocess
import termios
import time

import pytest

from aomlog.simulator import Job

from conftest import conn_args, expected_bytes, spawn

PIPE_FULL = 65536  # Linux's pipe capacity


def waiting_bytes(stream) -> int:
    size = array.array("i", [0])
    fcntl.ioctl(stream.fileno(), termios.FIONREAD, size)
    return size[0]


def blocked_writing(proc) -> bool:
    try:
        with open(f"/proc/{proc.pid}/wchan") as f:
            if "pipe_write" in f.read():  # the kernel says so, where it may
                return True
    except OSError:
        pass
    return waiting_bytes(proc.stdout) >= PIPE_FULL - 4096  # else: the pipe is as full as it gets


def until_the_pipe_is_full(proc):
    """The follower has filled the pipe nobody reads and is blocked writing a page."""
    deadline = time.monotonic() + 60
    while not blocked_writing(proc):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the pipe never filled"
        time.sleep(0.01)  # waiting for a condition another process brings about, not for time to pass


@pytest.fixture
def sim(simulator):
    return simulator([Job(10, 10, files=["log1.log"], total_lines=20000, seed=4)])


def follower(sim, cursor):
    return spawn(["tail", 10, 10, "-n", "+1", "-f", "--cursor-file", cursor, *conn_args(sim)],
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_lets_the_page_finish_and_stores_its_cursor(sim, tmp_path, signum, status):
    cursor = tmp_path / "cursor.json"
    proc = follower(sim, cursor)
    until_the_pipe_is_full(proc)
    waiting = waiting_bytes(proc.stdout)
    proc.send_signal(signum)
    first = proc.stdout.read()  # the reader reads again: the page in hand can finish
    assert proc.wait(timeout=30) == status
    assert proc.stderr.read() == b""  # quietly
    full = expected_bytes(sim.log_lines(10, 10))
    assert full.startswith(first) and first.endswith(b"\n") and len(first) > waiting
    assert json.loads(cursor.read_text())["positions"]["log1.log"].isdigit()
    again = spawn(["tail", 10, 10, "-f", "--cursor-file", cursor, *conn_args(sim)],
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert first + second == full  # nothing lost, nothing twice


def test_a_second_signal_stops_at_once_and_says_the_page_will_be_repeated(sim, tmp_path):
    cursor = tmp_path / "cursor.json"
    proc = follower(sim, cursor)
    until_the_pipe_is_full(proc)
    # The reader never comes back, so the page cannot finish. Two different signals: the
    # same one twice in a row could reach Python as one (a signal pending twice is pending once).
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    first = proc.stdout.read()
    assert b"prints that page again" in proc.stderr.read()
    again = spawn(["tail", 10, 10, "-f", "--cursor-file", cursor, *conn_args(sim)],
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second, _ = again.communicate(timeout=60)
    full = expected_bytes(sim.log_lines(10, 10))
    assert full.startswith(first) and full.endswith(second)
    assert len(first) + len(second) >= len(full)  # repeated, never lost


@pytest.mark.parametrize("cursor", [False, True])
def test_ctrl_c_through_many_newest_lines_waits_for_them_only_with_a_cursor_file(sim, tmp_path, cursor):
    extra = ["--cursor-file", tmp_path / "cursor.json"] if cursor else []
    proc = spawn(["tail", 10, 10, "-n", 20000, *extra, *conn_args(sim)], stdout=subprocess.PIPE,
                 stderr=subprocess.PIPE)
    until_the_pipe_is_full(proc)
    proc.send_signal(signal.SIGINT)
    out = proc.stdout.read()  # read again: the page in hand can finish
    assert proc.wait(timeout=30) == 130 and proc.stderr.read() == b""
    full = expected_bytes(sim.log_lines(10, 10))
    assert full.startswith(out) and out.endswith(b"\n")
    # With a cursor file, the newest lines are one: all out, then their position stored.
    assert (out == full) if cursor else (len(out) < len(full) // 2)


def test_sigterm_while_idle_ends_a_follower_at_once(simulator, tmp_path):
    job = Job(10, 10, files=["log1.log"], seed=3, initial_lines=10, lines_per_second=1e-6)
    sim = simulator([job])  # running, and silent
    proc = spawn(["tail", 10, 10, "-f", *conn_args(sim)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()  # the initial lines are out; it is waiting now
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 143
    assert proc.stderr.read() == b""


class ShortWrites:
    """A stream that takes at most 8,192 bytes a write, as a buffered writer to a full pipe does
    when a signal interrupts it: it returns the short count rather than raising."""

    def __init__(self):
        self.data = bytearray()
        self.flushed = 0

    def write(self, data):
        taken = bytes(data[:8192])
        self.data.extend(taken)
        return len(taken)

    def flush(self):
        self.flushed += 1


def test_a_page_is_written_whole_when_the_stream_takes_it_in_parts():
    from aomlog.api import Page
    from aomlog.output.render import PlainRenderer

    text = "".join(f"line {i} {'x' * 100}\n" for i in range(500))
    stream = ShortWrites()
    PlainRenderer(stream).page("log1.log", Page(text, 500, "1", "2"))
    assert bytes(stream.data) == text.encode() and stream.flushed == 1


def test_metric_rows_are_written_whole_too():
    from aomlog.metrics.extract import Sample
    from aomlog.metrics.export import CsvRows

    stream = ShortWrites()
    rows = CsvRows(stream)
    rows.page("worker-0", [Sample(i, i, 1.0, "loss", 0.5, "0.5") for i in range(2000)])
    assert stream.data.count(b"\n") == 2001


def test_threads_started_for_reading_never_take_the_signals():
    """The kernel gives a process's signal to any thread not blocking it; only the main thread
    runs the handler and only its own signal wakes its waits."""
    from threading import Thread

    from aomlog.threads import blocked

    seen = []
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    with blocked():
        thread = Thread(target=lambda: seen.append(signal.pthread_sigmask(signal.SIG_BLOCK, [])))
        thread.start()
    thread.join()
    assert {signal.SIGINT, signal.SIGTERM} <= seen[0]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before  # the main thread's own is as it was
