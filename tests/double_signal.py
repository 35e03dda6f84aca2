"""aomlog's entry point with a second signal at an exact instant: ``python double_signal.py K ARGS...``.

Runs ``aomlog ARGS...`` as ``aomlog.cli.main`` does. The first signal (SIGINT) comes from
outside; from the moment it is taken, the main thread is traced, and K line events of
Python later SIGTERM's handler is called as Python calls it when a signal comes between
two steps (with that frame): the second signal, at the K-th instant of the exit. Before
it, ``MARK`` goes to stderr, so the test knows the second signal came (a K past the end
of the exit sends none). Nothing is traced before the first signal: it lands in aomlog's
own code, never in the tracer.
"""

import os
import signal
import sys

MARK = "double_signal: second signal\n"


def main() -> None:
    k = int(sys.argv.pop(1))
    sys.argv[0] = "aomlog"
    count = [0]  # line events since the first signal was taken

    def trace(frame, event, arg):
        if event == "line":
            count[0] += 1
            if count[0] == k:
                sys.settrace(None)
                os.write(2, MARK.encode())
                # What Python does with a signal between two steps of ``frame``: its handler called
                # with that frame (raise_signal would run it here, in this function's own frame).
                signal.getsignal(signal.SIGTERM)(signal.SIGTERM, frame)
                return None
        return trace

    install = signal.signal

    def traced_from_the_first_signal(signum, handler):
        if signum != signal.SIGINT or not callable(handler):
            return install(signum, handler)

        def first(signum, frame):
            install(signal.SIGINT, handler)
            back = frame
            while back is not None:  # the frames running now; sys.settrace covers the new ones
                back.f_trace = trace
                back = back.f_back
            sys.settrace(trace)
            return handler(signum, frame)

        return install(signum, first)

    signal.signal = traced_from_the_first_signal
    from aomlog.cli import main as aomlog_main

    aomlog_main()


if __name__ == "__main__":
    main()
