"""A call run in a daemon thread: the caller waits for it, for a while or for good.

A daemon thread never holds up the exit (Ctrl-C, a TAB given up on), and it is
started with SIGINT and SIGTERM blocked, so those always reach the main thread.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, List, Optional, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    def __init__(self, call: Callable[[], T], name: str = "aomlog-background"):
        from aomlog.signals import blocked

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
