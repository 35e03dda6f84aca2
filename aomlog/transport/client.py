"""The transport of every API call: one session, signing, timeouts, retries, errors.

It sends requests, retries what is transient with one backoff policy and turns
every failure into an ``aomlog.errors`` exception. It knows no API family's paths
(those are in ``aomlog.api``) and never prints: a ``debug`` callback, when given,
receives one line per request.
"""

from __future__ import annotations

import copy
import json
import time
from typing import Callable, Optional, Union
from urllib.parse import quote, urlencode

import requests

from aomlog.transport.backoff import Backoff
from aomlog.errors import ApiError, AuthError, ConfigError, NoSuchApi, NotFoundError

# Failures that say the job, version or file does not exist (docs/api-v1.md, Errors).
NOT_FOUND_TEXT = {
    "ModelArts.2775": ("training job not found",
                       "Check the job id (and version): 'aomlog jobs' lists your jobs."),
    "ModelArts.2818": ("no such log, or not generated yet",
                       "'aomlog files JOB' lists the job's log files or tasks; a new job's log appears once it runs."),
    "ModelArts.2819": ("the log has already been cleared", "Its retention has passed: nothing is left to read."),
}
NOT_FOUND_CODES = set(NOT_FOUND_TEXT)
NOT_GENERATED_CODE = "ModelArts.2818"
ENDPOINT_HINT = "Check --endpoint/--region: it should be https://modelarts.REGION.myhuaweicloud.com."
NOT_READY_CODE = "ModelArts.2776"
# Retries wait through this; tests replace it so that no test waits for real.
default_sleep = time.sleep
_ACCEPTED: set = set()  # access keys accepted in this process: remembered once
# Position-like values that a server may refuse because it never issued them.
BAD_ARGUMENT_CODES = {"ModelArts.0101", "ModelArts.0104"}


def refuses_position(err: ApiError) -> bool:
    """Whether the server refused the position asked for (one it never handed out, or 0): a bad
    argument by its documented codes, or any 400, as v2's codes for it are not documented."""
    return err.code in BAD_ARGUMENT_CODES or err.http_status == 400


class Client:
    def __init__(
        self,
        endpoint: str,
        project_id: str,
        auth=None,
        *,
        timeout=(5.0, 30.0),
        retries: Union[int, float] = 4,
        backoff: Optional[Backoff] = None,
        sleep: Optional[Callable[[float], None]] = None,
        on_retry: Optional[Callable[[ApiError, int, float], None]] = None,
        debug: Optional[Callable[[str], None]] = None,
        credential_source: Optional[str] = None,
        credential_hint: Optional[str] = None,
        session: Optional[requests.Session] = None,
        on_answer: Optional[Callable[[], None]] = None,
    ):
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff or Backoff()
        self.sleep = sleep or default_sleep
        self.on_retry = on_retry
        self.debug = debug
        self.credential_source = credential_source  # e.g. "access key AK... from $HUAWEICLOUD_SDK_AK"
        self.credential_hint = credential_hint  # what to do when the gateway rejects it
        self.on_answer = on_answer  # called after each successful answer
        self.answered = False  # whether any answer (even an error) ever came back
        self.session = session or _session(self.endpoint)
        self.session.auth = auth
        self.session.headers["User-Agent"] = _user_agent()

    def clone(self, share_session: bool = False, **changes) -> "Client":
        """The same settings (but ``changes``) on a session of its own, for another thread: a
        requests session is not meant to be shared between threads at once. ``share_session``:
        this one's, for a thread that runs while this client's own rests."""
        twin = copy.copy(self)
        for name, value in changes.items():
            if not hasattr(self, name):
                raise TypeError(f"Client has no setting {name!r}")
            setattr(twin, name, value)
        if share_session:
            return twin
        twin.session = _session(self.endpoint)
        twin.session.auth = self.session.auth
        twin.session.headers.update(self.session.headers)
        return twin

    def get(self, path: str, params: Optional[dict] = None, *, what: str) -> dict:
        """GET ``path`` (below the endpoint): the decoded JSON body, after any retries."""
        return self._request("GET", path, params, None, what)

    def post(self, path: str, body: dict, *, what: str) -> dict:
        return self._request("POST", path, None, json.dumps(body).encode("utf-8"), what)

    def _request(self, method: str, path: str, params: Optional[dict], body: Optional[bytes], what: str) -> dict:
        url = self.endpoint + path
        if params:
            # Spaces as %20, as the signer encodes them, whatever the credentials.
            url += "?" + urlencode(params, quote_via=quote, safe="~")
        attempt = 0
        while True:
            try:
                answer = self._once(method, url, body, what)
            except ApiError as err:
                if not err.transient or attempt >= self.retries:
                    raise
                attempt += 1
                delay = self.backoff.delay(attempt, err.retry_after)
                if self.on_retry:
                    self.on_retry(err, attempt, delay)
                self.sleep(delay)
                continue
            if self.on_answer:
                self.on_answer()
            self._key_pair_answered(True)
            return answer

    def _once(self, method: str, url: str, body: Optional[bytes], what: str) -> dict:
        started = time.monotonic()
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            # No redirects: requests would resend the token or a stale signature to the new place.
            resp = self.session.request(method, url, data=body, headers=headers, timeout=self.timeout,
                                        allow_redirects=False)
        except requests.exceptions.Timeout:
            raise ApiError(f"timed out waiting for {_host(url)}",
                           f"The service may be slow: try again later, or allow more with "
                           f"--timeout (now {self.timeout[1]:g} s).",
                           transient=True, reached=self.answered) from None
        except requests.exceptions.SSLError:
            raise ApiError(f"the TLS handshake with {_host(url)} failed",
                           "If the endpoint serves plain HTTP, write it with http://; otherwise check "
                           "the certificate (and any proxy in between).") from None
        except requests.exceptions.ConnectionError as exc:
            raise ApiError(f"cannot connect to {_host(url)}: {_reason(exc)}",
                           "Check --endpoint/--region and your network connection.", transient=True,
                           reached=self.answered) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise ApiError(f"the connection to {_host(url)} broke off in the middle of an answer",
                           "Check your network connection; try again.", transient=True) from None
        except requests.exceptions.RequestException as exc:
            raise ApiError(f"request to {_host(url)} failed: {_reason(exc)}",
                           "Check --endpoint; it must be an http(s) URL.", reached=self.answered) from None
        except (ValueError, UnicodeError):
            # http.client refuses header values with control or non-Latin-1 characters; its
            # message quotes the value, which may be a token or a signature: never show it.
            raise ConfigError("a credential or setting holds characters that cannot be sent in an HTTP header",
                              "Check for a stray newline or quote in the token, AK/SK or project id "
                              "('aomlog configure list' shows where each comes from).") from None
        self.answered = True
        if self.debug:
            from aomlog.transport.auth import redacted_headers

            from datetime import datetime, timezone

            self.debug("{} {} {} -> {} request-id={} {:.0f} ms".format(
                datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                resp.request.method, resp.request.url, resp.status_code,
                resp.headers.get("X-Request-Id", "-"), (time.monotonic() - started) * 1000))
            shown = redacted_headers(resp.request.headers)
            self.debug("  sent " + ", ".join(f"{name}: {value}" for name, value in shown.items()))
        return self._decode(resp, what)

    def _decode(self, resp: requests.Response, what: str) -> dict:
        status = resp.status_code
        body = _json_or_none(resp)
        code = (body or {}).get("error_code") if isinstance(body, dict) else None
        message = _error_message(body) if isinstance(body, dict) else None

        if status == 204 or code == NOT_READY_CODE:
            raise ApiError("the log is not ready to be read yet", "Try again in a moment.",
                           http_status=status, code=NOT_READY_CODE, transient=True)
        if status in (401, 403) or _is_auth_code(code):
            raise self._auth_error(status, code, message)
        if status == 429:
            raise ApiError("the API is throttling requests (HTTP 429)", "Wait a few seconds and try again.",
                           http_status=status, code=code, transient=True,
                           retry_after=_retry_after(resp.headers.get("Retry-After")))
        if status >= 500:
            detail = f": {message}" if message else ""
            raise ApiError(f"the API is unavailable (HTTP {status}){detail}", "Try again later.",
                           http_status=status, code=code, transient=True)
        if not isinstance(body, dict):
            if status == 404:  # a web server, but not this API at this path
                raise NoSuchApi("the endpoint has no such API (HTTP 404)", ENDPOINT_HINT)
            content_type = resp.headers.get("Content-Type", "").lower()
            kind = "an HTML page" if "html" in content_type else "a non-JSON body"
            # A JSON answer that does not parse was cut short on the way: worth another try.
            # Anything else (a web page on 200) says the endpoint is not the API.
            cut_short = status < 400 and "json" in content_type
            raise ApiError(f"the API answered HTTP {status} with {kind}",
                           "Check --endpoint: it should be the ModelArts endpoint of your region.",
                           http_status=status, transient=cut_short)
        if code in NOT_FOUND_CODES:
            raise NotFoundError(f"{what}: {NOT_FOUND_TEXT[code][0]} ({code})", NOT_FOUND_TEXT[code][1], code=code)
        if status == 404 and str(code or "").startswith("ModelArts."):
            # The API itself, in its own words, says that what was asked for is not there.
            raise NotFoundError(f"{what}: not found ({code}): {message or 'no message'}",
                                "Check the id and name: 'aomlog jobs' lists your jobs, "
                                "'aomlog files JOB' a job's log files or tasks.", code=code)
        if status == 404:  # the gateway's "no such API", or a web server that is not the API
            tag = f", {code}" if code else ""
            raise NoSuchApi(f"the endpoint has no such API (HTTP 404{tag})", ENDPOINT_HINT)
        if status >= 400 or body.get("is_success") is False:
            tag = f" ({code})" if code else ""
            raise ApiError(f"the API refused the request (HTTP {status}){tag}: {message or 'no message'}",
                           http_status=status, code=code)
        return body

    def _auth_error(self, status: int, code: Optional[str], message: Optional[str]) -> AuthError:
        tag = f", {code}" if code else ""
        said = message or "unauthorized"
        if code == "ModelArts.0210":
            return AuthError(f"the project id does not match the credentials (HTTP {status}{tag})",
                             "Check --project-id / HUAWEICLOUD_SDK_PROJECT_ID for this region.")
        if not self.credential_source:
            return AuthError(f"the API requires credentials and no credentials were found (HTTP {status}{tag}): {said}",
                             "Set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or AOMLOG_TOKEN), "
                             "or run 'aomlog configure'.")
        if status == 403 and code in ("APIGW.0302", "APIGW.0306", "APIG.0302", "APIG.0306"):
            return AuthError(f"the API denied access (HTTP {status}{tag}) to {self.credential_source}: {said}",
                             "The credential is valid but lacks permission: check its IAM policies for ModelArts.")
        self._key_pair_answered(False)  # the credential itself: a step toward the gateway's lockout
        return AuthError(f"the API rejected {self.credential_source} (HTTP {status}{tag}): {said}",
                         self.credential_hint or "Check the credentials; 'aomlog configure list' shows where "
                                                 "each comes from. aomlog never retries a rejected credential.")

    def _key_pair_answered(self, accepted: bool) -> None:
        """Remember whether the access key pair this client signs with was accepted or rejected
        (see key_pairs.py): an acceptance once per process, every rejection."""
        from aomlog.settings import key_pairs

        ak = key_pairs.signing_key(self)
        if ak is None or (accepted and ak in _ACCEPTED):
            return
        key_pairs.answered(ak, accepted)
        if accepted:
            _ACCEPTED.add(ak)
        else:
            _ACCEPTED.discard(ak)


def _is_auth_code(code: Optional[str]) -> bool:
    if not code:
        return False
    if code in ("APIGW.0301", "APIGW.0307", "APIG.0301", "APIG.0307", "ModelArts.0206", "ModelArts.0210"):
        return True
    if code.startswith("ModelArts.02"):
        return 201 <= int(code[-4:]) <= 212 if code[-4:].isdigit() else False
    return False


def _json_or_none(resp: requests.Response):
    if not resp.content:
        return None
    try:
        # Invalid UTF-8 in a log line must not make the whole page unreadable.
        return json.loads(resp.content.decode("utf-8", "replace"))
    except ValueError:
        return None


def _error_message(body: dict) -> Optional[str]:
    msg = body.get("error_message") or body.get("error_msg")
    return str(msg) if msg else None


def _retry_after(value: Optional[str]) -> Optional[float]:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "Connection reset", "Remote end closed connection", "Connection aborted",
                   "nodename nor servname", "Temporary failure in name resolution"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def _session(endpoint: str) -> requests.Session:
    """A session with the environment's proxy and CA settings resolved once.

    requests otherwise scans the whole environment for proxies (and looks for
    ~/.netrc) on every request: a tenth of a page's CPU (docs/performance.md).
    """
    session = requests.Session()
    try:
        found = session.merge_environment_settings(endpoint, {}, None, None, None)
    except Exception:  # a malformed proxy variable: leave it to requests, as before
        return session
    session.proxies.update(found.get("proxies") or {})
    session.verify = found.get("verify", True)
    session.trust_env = False
    return session


def _user_agent() -> str:
    from aomlog import __version__

    return f"aomlog/{__version__}"

