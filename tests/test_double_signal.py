"""A second Ctrl-C or SIGTERM at any instant of the exit: the message, the status, never a traceback.

The first SIGINT reaches a real process; ``double_signal.py`` then calls the SIGTERM
handler K steps of Python later, as Python does when a signal comes between two steps,
for K spread over the whole exit (unwinding the run, closing the readers, the final
flush) until a K lies past its end. Before the second signal may land anywhere, it
raised an exception into whatever ran: "Exception ignored in atexit callback" while
urllib3 closed its pool, "cannot release un-acquired lock" in logging.shutdown, and no
message. Now it says so and leaves at once, with the second signal's status.
"""

import os
import signal
import subprocess
import sys

import pytest

from aomlog.simulator import Job

from conftest import ROOT, conn_args
from double_signal import MARK
from test_signals import until_the_pipe_is_full

STEPS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181]
AT_ONCE = b"aomlog: stopped at once"


def twice(sim, k, reading):
    """aomlog tail -n +1, SIGINT once its output began (with ``reading``) or once the pipe
    is full (without: inside a page), SIGTERM's handler K steps after SIGINT's began."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [str(k), "tail", "10", "10", "-n", "+1", *conn_args(sim)]
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "double_signal.py"), *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if reading:
        assert proc.stdout.read(1), proc.stderr.read()  # its output began
    else:
        until_the_pipe_is_full(proc)
    proc.send_signal(signal.SIGINT)
    proc.stdout.read()
    status = proc.wait(timeout=60)
    return status, proc.stderr.read()


@pytest.mark.parametrize("reading", [True, False], ids=["between-pages", "inside-a-page"])
def test_a_second_signal_anywhere_in_the_exit_says_so_and_leaves_at_once(simulator, reading):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=100000, seed=4)])
    seconds = 0  # trials where the second signal landed
    for k in STEPS:
        status, err = twice(sim, k, reading)
        assert b"Traceback" not in err and b"Exception ignored" not in err, (k, err.decode())
        if not err.startswith(MARK.encode()):  # K lies past the end of the exit: one signal only
            assert (status, err) == (130, b""), k
            break
        seconds += 1
        assert status == 143, (k, err.decode())
        assert err[len(MARK):].startswith(AT_ONCE) and err.endswith(b"\n") and err.count(b"\n") == 2, err
    else:
        pytest.fail("the exit outlasted every K: take larger ones")
    assert seconds >= 5  # the second signal landed at many instants of the exit
