"""What the gateway last said of each access key pair, so as not to bring it nearer its lockout.

The gateway locks a pair for 5 minutes after more than 5 failed authentications in a
row (docs/api-v1.md). So a pair not yet accepted is sent once per command (a job name is
looked up in one job list after the other, not both at once), and after a rejection a TAB
asks nothing of the API for ``LOCKOUT`` seconds. ``KeyPairMemory`` hears every verdict
from the clients it observes; the lockout belongs to the key, whatever the endpoint (IAM
or ModelArts).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Optional, Set

from aomlog.settings import cache
from aomlog.transport.observer import Observer

if TYPE_CHECKING:  # requests is not imported for a TAB that asks nothing of the API
    from aomlog.transport.client import Client

LOCKOUT = 300.0


class KeyPairMemory(Observer):
    """Writes the gateway's verdicts on key pairs to the user's cache: every rejection, and an
    acceptance once per key (not at every page), unless a rejection came in between."""

    def __init__(self) -> None:
        self._accepted: Set[str] = set()
        self._lock = threading.Lock()  # the catch-up's readers answer at once

    def credentials(self, access_key: str, accepted: bool) -> None:
        with self._lock:
            if accepted and access_key in self._accepted:
                return
            if accepted:
                self._accepted.add(access_key)
            else:
                self._accepted.discard(access_key)
        answered(access_key, accepted)


def answered(ak: str, accepted: bool) -> None:
    cache.store_key_pair_state(ak, accepted)


def accepted(ak: Optional[str]) -> bool:
    """Whether the pair was accepted the last time it was answered."""
    state = cache.key_pair_state(ak) if ak else None
    return state is not None and state[0]


def rejected_lately(ak: Optional[str], now: Optional[float] = None) -> bool:
    """Whether the pair was rejected less than LOCKOUT seconds ago (and not accepted since)."""
    state = cache.key_pair_state(ak) if ak else None
    now = time.time() if now is None else now
    return state is not None and not state[0] and 0 <= now - state[1] < LOCKOUT


def trusted(client: "Client") -> bool:
    """Whether ``client`` may send two requests at once: it signs with no key pair (nothing to
    lock), or with one the gateway accepted the last time."""
    return client.access_key is None or accepted(client.access_key)
