"""Stop requests: a signal waits for the page in hand and its cursor, a second one does not.

The engine takes a ``Stop`` (``aomlog.engine.stop``); the CLI hands it an installed
``Guard`` (``aomlog.engine.signals``). The process-level behaviour (a real follower
killed while its reader has stopped reading) is in test_signals.py.
"""

import signal

import pytest

from aomlog.engine.signals import Guard, Interrupted
from aomlog.engine.stop import NoStop


def test_outside_a_page_a_signal_stops_at_once(guard):
    with pytest.raises(Interrupted) as stopped:
        signal.raise_signal(signal.SIGTERM)
    assert stopped.value.status == 143


def test_inside_a_page_a_signal_waits_for_its_end(guard):
    done = []
    with pytest.raises(Interrupted) as stopped:
        with guard.page():
            signal.raise_signal(signal.SIGINT)
            done.append("written")
            done.append("cursor stored")
    assert done == ["written", "cursor stored"]
    assert stopped.value.status == 130


def test_pages_within_a_page_wait_for_the_outer_one(guard):
    done = []
    with pytest.raises(Interrupted):
        with guard.page():
            with guard.page():
                signal.raise_signal(signal.SIGINT)
            done.append("the rest of the newest lines")
    assert done == ["the rest of the newest lines"]


class LeftAtOnce(Exception):
    """What a test's ``at_once`` raises where the CLI's calls os._exit."""


@pytest.fixture
def at_once(guard):
    """The installed guard's second-signal exit, recorded: (status, mid_page) each time."""
    calls = []

    def leave(status, mid_page):
        calls.append((status, mid_page))
        raise LeftAtOnce

    guard.at_once = leave
    return calls


def test_a_second_signal_inside_a_page_leaves_at_once_mid_page(guard, at_once):
    done = []
    with pytest.raises(LeftAtOnce):
        with guard.page():
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGTERM)
            done.append("never")
    assert done == [] and at_once == [(143, True)]


def test_a_second_signal_while_the_first_unwinds_the_run_never_raises_into_it(guard):
    """What the second signal lands in (a finally, a lock's bookkeeping, an atexit callback)
    gets no exception from it: it calls ``at_once`` (the CLI's leaves; this one only records)."""
    at_once = []
    guard.at_once = lambda status, mid_page: at_once.append((status, mid_page))
    cleaned = []
    with pytest.raises(Interrupted) as stopped:
        try:
            signal.raise_signal(signal.SIGINT)
        finally:
            signal.raise_signal(signal.SIGTERM)
            signal.raise_signal(signal.SIGINT)
            cleaned.append("the clean-up ran to its end")
    assert cleaned == ["the clean-up ran to its end"] and stopped.value.status == 130
    assert at_once == [(143, False), (130, False)]


def test_after_the_run_any_signal_leaves_at_once(guard, at_once):
    guard.ending()
    with pytest.raises(LeftAtOnce):
        signal.raise_signal(signal.SIGINT)
    assert at_once == [(130, False)]


def test_a_guard_not_installed_leaves_ctrl_c_to_python():
    with pytest.raises(KeyboardInterrupt) as stopped:
        with Guard().page():
            signal.raise_signal(signal.SIGINT)
    assert not isinstance(stopped.value, Interrupted)


def test_no_stop_leaves_ctrl_c_to_python():
    with pytest.raises(KeyboardInterrupt):
        with NoStop().page():
            signal.raise_signal(signal.SIGINT)


def test_the_signals_that_stop_a_run_are_those_no_reader_thread_takes():
    """A stop signal taken by a reader thread would leave the main thread asleep: every signal
    the guard turns into an exit status is one that aomlog's threads block."""
    from aomlog.engine.signals import STATUS
    from aomlog.threads import STOP_SIGNALS

    assert set(STATUS) == set(STOP_SIGNALS)
