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
    assert stopped.value.status == 143 and not stopped.value.mid_page


def test_inside_a_page_a_signal_waits_for_its_end(guard):
    done = []
    with pytest.raises(Interrupted) as stopped:
        with guard.page():
            signal.raise_signal(signal.SIGINT)
            done.append("written")
            done.append("cursor stored")
    assert done == ["written", "cursor stored"]
    assert stopped.value.status == 130 and not stopped.value.mid_page


def test_pages_within_a_page_wait_for_the_outer_one(guard):
    done = []
    with pytest.raises(Interrupted):
        with guard.page():
            with guard.page():
                signal.raise_signal(signal.SIGINT)
            done.append("the rest of the newest lines")
    assert done == ["the rest of the newest lines"]


def test_a_second_signal_stops_in_the_middle_of_the_page_and_says_so(guard):
    done = []
    with pytest.raises(Interrupted) as stopped:
        with guard.page():
            signal.raise_signal(signal.SIGINT)
            signal.raise_signal(signal.SIGTERM)
            done.append("never")
    assert done == [] and stopped.value.mid_page and stopped.value.status == 143


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
