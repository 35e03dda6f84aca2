"""What a client tells those who watch it: retries, answers and the gateway's word on a key pair.

The transport never prints and keeps nothing of the user's: whoever cares (the CLI's
retry notice, the catch-up's failure notice, the key-pair memory in ``aomlog.settings``)
passes an ``Observer`` to the client, and the client calls it from the thread that made
the request. Observers of one client may be called from several threads at once (its
clones share them), so an observer that keeps state guards it.
"""

from __future__ import annotations

from typing import Sequence, Tuple

from aomlog.errors import ApiError


class Observer:
    """Everything a client reports; each method does nothing unless a subclass says otherwise."""

    def retrying(self, err: ApiError, attempt: int, delay: float) -> None:
        """A transient failure: try ``attempt + 1`` follows after ``delay`` seconds."""

    def answered(self) -> None:
        """A request was answered successfully (after any retries)."""

    def credentials(self, access_key: str, accepted: bool) -> None:
        """The gateway's verdict on the key pair the client signs with: accepted with each
        successful answer, rejected when it refused the pair itself (not its permissions)."""


class Observers(Observer):
    """Several observers heard as one, in the order given."""

    def __init__(self, observers: Sequence[Observer] = ()):
        self.each: Tuple[Observer, ...] = tuple(observers)

    def retrying(self, err: ApiError, attempt: int, delay: float) -> None:
        for observer in self.each:
            observer.retrying(err, attempt, delay)

    def answered(self) -> None:
        for observer in self.each:
            observer.answered()

    def credentials(self, access_key: str, accepted: bool) -> None:
        for observer in self.each:
            observer.credentials(access_key, accepted)


class DeafToRetries(Observer):
    """``observer`` but for its retries: on a clone whose retries others tell of in their own way."""

    def __init__(self, observer: Observer):
        self.observer = observer

    def answered(self) -> None:
        self.observer.answered()

    def credentials(self, access_key: str, accepted: bool) -> None:
        self.observer.credentials(access_key, accepted)
