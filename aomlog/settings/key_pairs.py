"""What the gateway last said of each access key pair, so as not to bring it nearer its lockout.

The gateway locks a pair for 5 minutes after more than 5 failed authentications in a
row (docs/api-v1.md). So a pair not yet accepted is sent once per command (a job name is
looked up in one job list after the other, not both at once), and after a rejection a TAB
asks nothing of the API for ``LOCKOUT`` seconds. The client records every answer; the
lockout belongs to the key, whatever the endpoint (IAM or ModelArts).
"""

from __future__ import annotations

import time
from typing import Optional

from aomlog.settings import cache

LOCKOUT = 300.0


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


def signing_key(client) -> Optional[str]:
    """The access key id a client signs with; None for a token or no credentials (nothing to lock)."""
    auth = getattr(getattr(client, "session", None), "auth", None)
    ak = getattr(auth, "ak", None)
    return ak if isinstance(ak, str) else None
