"""The command line's seam with the world around it: ``Environment``.

One object owns what a command takes from outside: the binary stdout the log goes
to, the stderr of the progress line, the clock and sleep of a follow and of the API's
retries, how the client and the APIs are made, whether a catch-up shows progress, and
the stop guard. (Notices and errors go to ``sys.stderr`` through ``cli/errors.py``, and
a chart to ``sys.stdout``, the text face of the same stream.) ``aomlog.cli.run(argv, env)``
hands it to every command (click's ``obj``); a test passes one of its own rather
than patching the commands' insides. Every default is looked up when it is used
(``sys.stdout`` as it is then), as the commands did before there was a seam.

Kept light: ``aomlog --help`` imports it, and what it needs is imported when asked for.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Optional, TextIO, Tuple

if TYPE_CHECKING:
    from aomlog.api import Apis
    from aomlog.engine.stop import Stop
    from aomlog.output.progress import CatchUpProgress
    from aomlog.transport.client import Client

Clock = Callable[[], float]
Sleep = Callable[[float], object]


class Environment:
    """What one run of the command line is given.

    Args:
        stdout: the binary stream the log goes to (default: ``sys.stdout.buffer``).
        stderr: the text stream of the progress line (default: ``sys.stderr``).
        clock, sleep: the time of a follow (default: the monotonic clock, and with follow a
            sleep that wakes when stdout's reader goes away).
        retry_sleep: how the API's requests wait before they are tried again (default: ``time.sleep``).
        client: makes the client from the connection settings (default: ``options.make_client``).
        apis: makes the API families over a client (default: ``aomlog.api.Apis``).
        stop: where a stop request may end a read: the installed signal guard (default: none
            of aomlog's own, Python's Ctrl-C).
        fast_answer: answers quicker than this (seconds, the median of the first few) and a
            catch-up reads each log in one piece instead of cutting it (default: the engine's;
            0 always cuts, as the tests of cutting want against a server in the same process).
    """

    def __init__(self, *, stdout: Optional[BinaryIO] = None, stderr: Optional[TextIO] = None,
                 clock: Optional[Clock] = None, sleep: Optional[Sleep] = None, retry_sleep: Optional[Sleep] = None,
                 client: Optional[Callable[[dict], "Client"]] = None, apis: Optional[Callable[[Any], "Apis"]] = None,
                 stop: Optional["Stop"] = None, fast_answer: Optional[float] = None):
        self.fast_answer = fast_answer
        self._stdout = stdout
        self._stderr = stderr
        self.clock = clock
        self.sleep = sleep
        self.retry_sleep = retry_sleep
        self._client = client
        self._apis = apis
        self._stop = stop

    @property
    def stdout(self) -> BinaryIO:
        return self._stdout if self._stdout is not None else sys.stdout.buffer

    @property
    def stderr(self) -> TextIO:
        return self._stderr if self._stderr is not None else sys.stderr

    @property
    def stop(self) -> "Stop":
        if self._stop is not None:
            return self._stop
        from aomlog.engine.stop import NoStop

        return NoStop()

    def make_client(self, conn: dict) -> "Client":
        if self._client is not None:
            return self._client(conn)
        from aomlog.cli.options import make_client

        return make_client(conn) if self.retry_sleep is None else make_client(conn, sleep=self.retry_sleep)

    def make_apis(self, client: Any) -> "Apis":
        if self._apis is not None:
            return self._apis(client)
        from aomlog.cli.apis import apis_over

        return apis_over(client)

    def follow_time(self, follow: bool) -> Tuple[Clock, Sleep]:
        """The clock and sleep of a read: with follow, a sleep on a watch of stdout, so that
        ``| head`` ends an idle follower at once."""
        import time

        clock = self.clock or time.monotonic
        if self.sleep is not None or not follow:
            return clock, self.sleep or time.sleep
        import io

        from aomlog.output.pipewatch import watching_sleep

        try:
            return clock, watching_sleep(self.stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):  # no file behind stdout: sleep plainly
            return clock, time.sleep

    def progress(self, no_progress: bool, always: bool = False) -> Optional["CatchUpProgress"]:
        """A progress line while catching up, when stderr is a terminal and stdout is not (``always``:
        whatever stdout is, for output that comes only at the end)."""
        from aomlog.output.terminal import isatty

        if no_progress or not isatty(self.stderr) or (isatty(self.stdout) and not always):
            return None
        from aomlog.output.progress import CatchUpProgress

        return CatchUpProgress(self.stderr)


def current() -> Environment:
    """The environment of the command being run; outside one (library use, tests), the default."""
    import click

    ctx = click.get_current_context(silent=True)
    env = ctx.find_object(Environment) if ctx is not None else None
    return env if env is not None else Environment()

