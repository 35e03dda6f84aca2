"""The one policy for waiting between tries: exponential backoff with jitter, never less than Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Optional


@dataclass
class Backoff:
    base: float = 0.5  # the first wait's ceiling
    cap: float = 8.0  # no wait is longer (unless the server asks for longer)
    jitter: Callable[[float, float], float] = random.uniform

    def delay(self, attempt: int, retry_after: Optional[float] = None) -> float:
        """The wait before try number ``attempt + 1`` (``attempt`` >= 1)."""
        # The exponent is capped: tries may be unbounded, and 2.0 ** 1100 overflows.
        ceiling = min(self.cap, self.base * 2 ** min(max(attempt, 1) - 1, 30))
        wait = self.jitter(ceiling / 2, ceiling)
        return wait if retry_after is None else max(wait, retry_after)
