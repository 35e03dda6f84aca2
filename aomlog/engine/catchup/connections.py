"""Each worker's way to the API: a connection of its own, through the gate, its failures said once for all."""

from __future__ import annotations

import threading
from typing import Callable, Optional, Union

from aomlog.api import Observer
from aomlog.api.family import JobApi
from aomlog.engine.catchup.gate import Gate, GatedApi
from aomlog.errors import ApiError


class Connections(Observer):
    """Opens the workers' APIs, and hears what their clients tell. A throttled answer (429)
    shrinks the ``gate``; a failure that lasts ``notice_after`` tries is said once, whichever
    worker meets it, and so is the first answer after it.

    Args:
        api: the API the job was looked up on; each worker's is a clone of it.
        gate: what every worker's requests go through.
        retries: each worker's client's retries.
        notify: says a notice to the user (on stderr).
        notice_after: tries before a failure is said.
    """

    def __init__(self, api: JobApi, gate: Gate, *, retries: Union[int, float],
                 notify: Optional[Callable[[str], None]], notice_after: int):
        self.api = api
        self.gate = gate
        self.retries = retries
        self.notify = notify
        self.notice_after = notice_after
        self._told = False  # a failure was said (once for all workers)
        self._recovery_told = False
        self._lock = threading.Lock()

    def open(self, first: bool) -> JobApi:
        """A worker's API, through the gate. The first worker goes on with the connection the
        job was looked up on (the main thread makes no request until the catch-up is over):
        another one costs a TCP and TLS handshake, 2-3 round trips, and the newest lines of one
        log need no other."""
        api = self.api.clone(share_session=first, retries=self.retries, observers=[self],
                             deaf_retries=True)  # their failures are told once, for all workers
        return GatedApi(api, self.gate)

    def answered(self) -> None:
        """After a failure was said, the first answer says that it is over (once: the failures
        of a flaky server are not each worth two lines)."""
        if self._told and not self._recovery_told and self.notify is not None:
            with self._lock:
                said, self._recovery_told = self._recovery_told, True
            if not said:
                self.notify("aomlog: the API answers again")

    def retrying(self, err: ApiError, attempt: int, delay: float) -> None:
        """A worker's client retries: a throttled answer shrinks the pool; a failure that
        lasts ``notice_after`` tries is said once, whichever worker meets it."""
        if err.http_status == 429:
            self.gate.shrink()
        if attempt >= self.notice_after and self.notify is not None:
            with self._lock:
                told, self._told = self._told, True
            if not told:
                self.notify(f"aomlog: {err.message}; retrying")
