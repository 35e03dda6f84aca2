"""requests auth objects for the ModelArts API gateway: an IAM token, or an AK/SK signature.

The signature follows SDK-HMAC-SHA256 as the official Huawei Cloud SDKs compute it
(docs/api-v1.md, Authentication); tests compare it with ``huaweicloudsdkcore``.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from typing import Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

import requests

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()
# Headers whose values are credentials: never printed, not even in the debug output.
SECRET_HEADERS = {"authorization", "x-auth-token", "x-security-token"}
REDACTED = "<redacted>"


class TokenAuth(requests.auth.AuthBase):
    """An IAM token, sent as ``X-Auth-Token``."""

    def __init__(self, token: str):
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["X-Auth-Token"] = self.token
        return request

    def __repr__(self) -> str:  # never show the token, even in a debugger or traceback
        return "TokenAuth(token=<redacted>)"


class AkSkAuth(requests.auth.AuthBase):
    """Signs each request with an access key pair (SDK-HMAC-SHA256).

    ``security_token`` makes them temporary credentials; ``project_id`` is sent
    as ``X-Project-Id``, as the official SDK does. ``clock`` returns the aware
    UTC time stamped into ``X-Sdk-Date`` (tests fix it).
    """

    def __init__(self, ak: str, sk: str, *, security_token: Optional[str] = None,
                 project_id: Optional[str] = None, clock: Optional[Callable[[], datetime]] = None):
        self.ak = ak
        self._sk = sk.encode("utf-8")
        self._security_token = security_token
        self.project_id = project_id
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def __repr__(self) -> str:  # the SK and the token never appear, even in a traceback
        extra = ", security_token=<redacted>" if self._security_token else ""
        return f"AkSkAuth(ak={self.ak!r}, sk=<redacted>{extra})"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        scheme, netloc, path, query, fragment = urlsplit(str(request.url))
        host = netloc.rpartition("@")[2]
        pairs = parse_qsl(query, keep_blank_values=True)
        # The gateway signs the query it receives, so send exactly the canonical form
        # (requests would send a space as '+', which the gateway reads as a plus).
        canonical_q = canonical_query(pairs)
        request.url = urlunsplit((scheme, netloc, path, canonical_q, fragment))

        # Set Host ourselves: the value http.client would add may differ (a default port).
        request.headers["Host"] = host
        request.headers["X-Sdk-Date"] = self.clock().astimezone(timezone.utc).strftime(DATE_FORMAT)
        if self.project_id:
            request.headers["X-Project-Id"] = self.project_id
        if self._security_token:
            request.headers["X-Security-Token"] = self._security_token
        headers = {}
        for name, value in list(request.headers.items()):
            if _signed(name):
                request.headers[name] = str(value).strip()  # what is sent is what is signed
                headers[name.lower()] = request.headers[name]
        names = sorted(headers)
        canonical = "\n".join([
            str(request.method).upper(),
            canonical_uri(path),
            canonical_q,
            "".join(f"{name}:{headers[name]}\n" for name in names),
            ";".join(names),
            _body_hash(request.body),
        ])
        to_sign = "\n".join([ALGORITHM, request.headers["X-Sdk-Date"],
                             hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
        signature = hmac.new(self._sk, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        request.headers["Authorization"] = (
            f"{ALGORITHM} Access={self.ak}, SignedHeaders={';'.join(names)}, Signature={signature}")
        return request


def _signed(name: str) -> bool:
    """Which headers go into the signature.

    Host, the date and every ``X-`` header aomlog sets (project id, security token),
    plus Content-Type: none of them is rewritten on the way. Transport headers
    (Connection, Accept-Encoding, User-Agent) are left out, as proxies touch them;
    names with ``_`` are left out as the official SDK does (gateways drop them).
    """
    lower = name.lower()
    if "_" in lower or lower == "authorization":
        return False
    return lower in ("host", "content-type") or lower.startswith("x-")


def canonical_uri(path: str) -> str:
    """Each segment encoded once (whatever encoding it arrived in), with a trailing slash."""
    uri = "/".join(quote(unquote(segment), safe="~") for segment in (path or "/").split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs: List[Tuple[str, str]]) -> str:
    # Sorted on the decoded key and value, as the official SDKs sort (not on the
    # encoded text: '[' sorts after 'A' but '%5B' before it).
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(pairs))


def _body_hash(body: object) -> str:
    if not body:
        return EMPTY_BODY_HASH
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, bytes):
        raise TypeError("AkSkAuth signs str or bytes bodies only, not a stream")
    return hashlib.sha256(body).hexdigest()


def redacted_headers(headers: Mapping[str, str]) -> Dict[str, str]:
    """The headers safe to print: credentials replaced, the AK and signed names kept."""
    shown = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower == "authorization" and value.startswith(ALGORITHM):
            value = value.split(", Signature=", 1)[0] + ", Signature=" + REDACTED
        elif lower in SECRET_HEADERS:
            value = REDACTED
        shown[name] = value
    return shown
