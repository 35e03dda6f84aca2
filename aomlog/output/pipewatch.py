"""Sleeping that wakes up when stdout's reader goes away.

``aomlog tail -f | head -1`` must end as soon as ``head`` exits, even while the
log is idle and nothing is being written. A pipe whose reader has closed reports
POLLERR to poll() on its write end, so the follower waits on that instead of
sleeping blindly.
"""

from __future__ import annotations

import os
import select
import stat
import time
from typing import Callable


def watching_sleep(fd: int) -> Callable[[float], None]:
    """A sleep(seconds) that raises BrokenPipeError once ``fd``'s reader has gone."""
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return time.sleep
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)) or not hasattr(select, "poll"):
        return time.sleep

    def sleep(seconds: float) -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked for: only error and hang-up are reported
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if poller.poll(left * 1000):
                raise BrokenPipeError(32, "stdout was closed")

    return sleep
