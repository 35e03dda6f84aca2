"""The gateway's credential check: an IAM token, or an SDK-HMAC-SHA256 signature.

A second, independent reading of docs/api-v1.md (Authentication), written with
the standard library only: it must never import aomlog.transport.auth, or a mistake
there would be repeated here and every test would still pass.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import time
from typing import Callable, List, Optional, Protocol, Tuple
from urllib.parse import unquote

MAX_SKEW_S = 15 * 60
_AUTHORIZATION = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


class Headers(Protocol):
    """The request headers as check reads them: http.server's (case-insensitive)
    email.message.Message, or a mapping whose keys are spelled as looked up."""

    def get(self, name: str, /) -> Optional[str]: ...


class Rejected(Exception):
    """The request's credentials are wrong; the message follows the gateway's wording."""


class Iam:
    """What the simulator accepts: an AK/SK pair (with a security token if given),
    a token, or both; ``now`` is the simulator clock (epoch seconds)."""

    def __init__(self, now: Callable[[], float], ak: Optional[str] = None, sk: Optional[str] = None,
                 security_token: Optional[str] = None, token: Optional[str] = None):
        if bool(ak) != bool(sk):
            raise ValueError("ak and sk go together")
        if security_token and not ak:
            raise ValueError("a security token needs an ak and sk")
        self.now = now
        self.ak, self.sk, self.security_token, self.token = ak, sk, security_token, token

    @property
    def enabled(self) -> bool:
        return bool(self.ak or self.token)

    def check(self, method: str, target: str, headers: Headers, body: bytes) -> None:
        """Raise Rejected unless the request carries valid credentials."""
        authorization = headers.get("Authorization")
        sent_token = headers.get("X-Auth-Token")
        if self.token and sent_token is not None:
            if not hmac.compare_digest(sent_token.encode(), self.token.encode()):
                raise Rejected("Incorrect IAM authentication information: decrypt token fail")
            return
        if self.ak and authorization:
            return self._check_signature(method, target, headers, body, authorization)
        raise Rejected("Incorrect IAM authentication information: "
                       + ("Authorization not found" if self.ak else "x-auth-token not found"))

    def _check_signature(self, method: str, target: str, headers: Headers, body: bytes,
                         authorization: str) -> None:
        m = _AUTHORIZATION.match(authorization.strip())
        if not m:
            raise Rejected("Incorrect IAM authentication information: Authorization format error")
        access, signed, signature = m.groups()
        if access != self.ak:
            raise Rejected("Incorrect IAM authentication information: ak %s not exist" % access)
        names = signed.split(";")
        if "host" not in names or "x-sdk-date" not in names:
            raise Rejected("Incorrect IAM authentication information: host and x-sdk-date must be signed")
        date = headers.get("X-Sdk-Date") or ""
        try:
            stamp = calendar.timegm(time.strptime(date, "%Y%m%dT%H%M%SZ"))
        except ValueError:
            raise Rejected("Incorrect IAM authentication information: x-sdk-date format error") from None
        if abs(stamp - self.now()) > MAX_SKEW_S:
            raise Rejected("Incorrect IAM authentication information: x-sdk-date expired, "
                           "more than 15 minutes from the server time")
        if self.security_token:
            sent = headers.get("X-Security-Token")
            if sent is None or "x-security-token" not in names:
                raise Rejected("Incorrect IAM authentication information: x-security-token not found")
            if not hmac.compare_digest(sent.encode(), self.security_token.encode()):
                raise Rejected("Incorrect IAM authentication information: security token invalid")
        values = []
        for name in names:
            value = headers.get(name)
            if value is None:
                raise Rejected("Incorrect IAM authentication information: signed header %s not found" % name)
            values.append("%s:%s\n" % (name, value.strip()))
        path, _, query = target.partition("?")
        canonical = "%s\n%s\n%s\n%s\n%s\n%s" % (
            method.upper(), _uri(path), _query(query), "".join(values), signed,
            hashlib.sha256(body).hexdigest())
        string_to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (date, hashlib.sha256(canonical.encode()).hexdigest())
        assert self.sk is not None  # __init__: an ak (checked above) comes with an sk
        expected = hmac.new(self.sk.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise Rejected("Incorrect IAM authentication information: verify aksk signature fail")


def _encode(text: str) -> str:
    return "".join(chr(b) if b in _UNRESERVED else "%%%02X" % b for b in text.encode("utf-8"))


def _uri(path: str) -> str:
    segments = [_encode(unquote(s)) for s in path.split("/")]
    uri = "/".join(segments)
    return uri if uri.endswith("/") else uri + "/"


def _query(query: str) -> str:
    # A '+' is a plus here, not a space: a client that sends '+' for a space and
    # signs '%20' has sent a different query from the one it signed.
    pairs: List[Tuple[str, str]] = []
    for piece in query.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return "&".join("%s=%s" % (_encode(k), _encode(v)) for k, v in sorted(pairs))
