"""Fault injection: the failures a client meets between it and ModelArts.

Two sources, checked per request in this order:
- a scripted queue (``push``): the next matching requests fail in that order;
- random rates, drawn from a seeded ``random.Random`` so runs are reproducible.
All methods are thread-safe: tests change faults while the server runs.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from typing import Dict, List, Optional, Tuple

from .responses import Response, gateway_error
from .routes import REQUEST_KINDS

# "drop" closes the connection without a response; "nonjson" is a 200 whose
# body is truncated JSON; "html" is a load balancer's 502 page.
KINDS = ("500", "503", "429", "drop", "cut", "204", "html", "nonjson", "401", "403")

_HTML_502 = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
             b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
             b"</body>\r\n</html>\r\n")


class Faults:
    """Per-simulator fault settings.

    ``rates`` maps a kind to a probability per request; ``rate_scope`` limits
    random faults to one request kind (e.g. "aom-log" or "v2-log": routes.REQUEST_KINDS);
    ``latency`` (seconds) is slept with the real time.sleep on every request, for
    manual and bench use.
    """

    def __init__(self, seed: int = 0, rates: Optional[Dict[str, float]] = None, latency: float = 0.0,
                 retry_after: float = 1, rate_scope: Optional[str] = None):
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._queue: deque = deque()
        self.rates: Dict[str, float] = {}
        self.latency = latency
        self.retry_after = retry_after
        self.rate_scope = _check_scope(rate_scope)
        self.applied: List[Tuple[str, str]] = []  # (fault kind, path kind), most recent last
        if rates:
            self.set_rates(**rates)

    def set_rates(self, **rates: float) -> None:
        """E.g. ``set_rates(**{"500": 0.1, "429": 0.05})``; a rate of 0 removes the kind."""
        for kind, p in rates.items():
            _check(kind)
            if not 0 <= p <= 1:
                raise ValueError("a rate is a probability in [0, 1]")
        with self._lock:
            new = dict(self.rates)
            new.update(rates)
            new = {k: p for k, p in new.items() if p}
            if sum(new.values()) > 1:
                raise ValueError("fault rates add up to more than 1")
            self.rates = new

    def push(self, *kinds: str, only: Optional[str] = None) -> None:
        """Make the next requests fail in this order; ``only="aom-log"`` spares other kinds."""
        for kind in kinds:
            _check(kind)
        _check_scope(only)
        with self._lock:
            self._queue.extend((kind, only) for kind in kinds)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self.rates.clear()
            self.latency = 0.0

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def pick(self, path_kind: str) -> Optional[str]:
        """The fault for this request, if any (called once per request)."""
        with self._lock:
            fault = None
            if self._queue and self._queue[0][1] in (None, path_kind):
                fault = self._queue.popleft()[0]
            elif self.rates and self.rate_scope in (None, path_kind):
                x = self._rng.random()
                for kind in KINDS:
                    p = self.rates.get(kind, 0.0)
                    if x < p:
                        fault = kind
                        break
                    x -= p
            if fault is not None:
                self.applied.append((fault, path_kind))
                del self.applied[:-1000]
            return fault

    def response(self, kind: str, request_id: str) -> Response:
        """The response for a fault kind other than "drop"."""
        if kind == "500":
            return gateway_error(500, "APIGW.0601", "Internal server error", request_id)
        if kind == "503":
            return gateway_error(503, "APIGW.0613", "IAM service is currently unavailable", request_id)
        if kind == "429":
            return gateway_error(429, "APIGW.0308", "The throttling threshold has been reached: "
                                 "policy user over ratelimit", request_id,
                                 headers={"Retry-After": _seconds(self.retry_after)})
        if kind == "401":
            return gateway_error(401, "APIGW.0301", "Incorrect IAM authentication information: "
                                 "verify aksk signature fail", request_id)
        if kind == "403":
            return gateway_error(403, "APIGW.0306", "Access denied: the credential lacks the needed permission",
                                 request_id)
        if kind == "204":
            # ModelArts.2776 "not ready to fetch log": 204 has no body, so the
            # code travels in a header only a curious client would read.
            return Response(204, b"", headers={"X-Error-Code": "ModelArts.2776"})
        if kind == "html":
            return Response(502, _HTML_502, content_type="text/html")
        if kind == "nonjson":
            return Response(200, b'{"is_success": true, "content": "trunc')
        raise ValueError("no response for fault %r" % kind)


def _check(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError("unknown fault %r; known: %s" % (kind, ", ".join(KINDS)))


def _check_scope(scope: Optional[str]) -> Optional[str]:
    # A misspelt request kind would silently spare every request.
    if scope is not None and scope not in REQUEST_KINDS:
        raise ValueError("unknown request kind %r; known: %s" % (scope, ", ".join(REQUEST_KINDS)))
    return scope


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
