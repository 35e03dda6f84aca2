"""aomlog's threads: started with SIGINT and SIGTERM blocked, and a call run in a daemon thread.

Only the main thread takes Ctrl-C and SIGTERM (``blocked``). ``Background`` runs a call
in a daemon thread that never holds up the exit (Ctrl-C, a TAB given up on); the caller
waits for its result, for a while or for good.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable, Generic, Iterator, List, Optional, TypeVar

T = TypeVar("T")
# The signals that end a run: only the main thread takes them.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def blocked() -> Iterator[None]:
    """Threads started inside never take SIGINT or SIGTERM.

    The kernel hands a process signal to any thread that does not block it. Only
    the main thread runs Python's handlers, and only its own signal wakes its
    waits: a Ctrl-C taken by a reader thread would leave the main thread asleep.
    A new thread inherits the mask it was started with.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class Background(Generic[T]):
    """``call()`` run in a daemon thread started with the stop signals blocked; ``result()`` waits for it."""

    def __init__(self, call: Callable[[], T], name: str = "aomlog-background"):
        self._call = call
        self._done = threading.Event()
        self._result: List[T] = []
        self._error: Optional[BaseException] = None
        with blocked():
            threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        try:
            self._result.append(self._call())
        except BaseException as e:  # raised in the caller's thread by result()
            self._error = e
        finally:
            self._done.set()

    def result(self, timeout: Optional[float] = None) -> T:
        """What the call returned; its exception raised here; TimeoutError if not done in ``timeout``."""
        if not self._done.wait(timeout):
            raise TimeoutError
        if self._error is not None:
            raise self._error
        return self._result[0]
