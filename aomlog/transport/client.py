"""The transport of every API call: one session, signing, timeouts, retries, errors.

It sends requests, retries what is transient with one backoff policy and turns
every failure into an ``aomlog.errors`` exception. It knows no API family's paths
(those are in ``aomlog.api``), never prints and keeps nothing: a ``debug`` callback, when
given, receives one line per request, and observers (``observer.py``) hear of retries,
answers and the gateway's verdicts on a key pair.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Type
from urllib.parse import quote, urlencode

import requests

from aomlog.errors import ApiError, AuthError, BadRequest, ConfigError, NoSuchApi, NotFoundError
from aomlog.transport.backoff import Backoff
from aomlog.transport.codes import (NOT_FOUND_CODES, NOT_FOUND_TEXT, NOT_READY_CODE, PERMISSION_CODES,
                                    PROJECT_MISMATCH_CODE, is_auth_code, is_bad_request)
from aomlog.transport.observer import DeafToRetries, Observer, Observers


class _Reach:
    """Whether any answer (even an error) ever came back from the endpoint, to this client or
    to the one it was cloned from: a connection failure before any says the endpoint is wrong."""

    answered = False


class Client:
    """The connection to one API endpoint for one project: sends, signs, retries, decodes.

    A client is not changed once built; a thread that needs a session of its own, other
    retries or more observers asks for a ``clone``.

    Args:
        endpoint: the API's base URL (a trailing slash is dropped).
        project_id: the project the API's paths name.
        auth: the requests auth object that signs each request (None: unsigned).
        timeout: (connect, read) seconds for each try.
        retries: how many times a transient failure is tried again (``float("inf")``: for ever).
        backoff: how long to wait before each retry.
        sleep: how to wait (tests pass a manual clock's).
        observers: told of retries, answers and the gateway's verdicts on the key pair.
        debug: receives one line per request, secrets redacted.
        credential_source: the credential in use and where it came from, never its secret.
        credential_hint: what to do when the gateway rejects that credential.
        session: the requests session to send on, as it is (a new one, signing with ``auth``, when None).
        reach: whether the endpoint ever answered, shared with the client this one is a clone of.
    """

    def __init__(
        self,
        endpoint: str,
        project_id: str,
        auth: Optional[requests.auth.AuthBase] = None,
        *,
        timeout: Tuple[float, float] = (5.0, 30.0),
        retries: float = 4,
        backoff: Optional[Backoff] = None,
        sleep: Callable[[float], None] = time.sleep,
        observers: Sequence[Observer] = (),
        debug: Optional[Callable[[str], None]] = None,
        credential_source: Optional[str] = None,
        credential_hint: Optional[str] = None,
        session: Optional[requests.Session] = None,
        reach: Optional[_Reach] = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.auth = auth
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.observers: Tuple[Observer, ...] = tuple(observers)
        self.debug = debug
        self.credential_source = credential_source  # e.g. "access key AK... from $HUAWEICLOUD_SDK_AK"
        self.credential_hint = credential_hint
        ak = getattr(auth, "ak", None)
        self.access_key: Optional[str] = ak if isinstance(ak, str) else None  # None: no key pair to lock
        self._told = Observers(self.observers)
        self._reach = reach or _Reach()
        self.session = session if session is not None else _session(self.endpoint, auth)
        self._built = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_built", False):
            raise AttributeError(f"a Client is not changed once built: clone() it with another {name}")
        super().__setattr__(name, value)

    def clone(self, *, share_session: bool = False, retries: Optional[float] = None,
              observers: Sequence[Observer] = (), deaf_retries: bool = False) -> "Client":
        """A new client with this one's settings, for another thread: a requests session is not
        meant to be shared between threads at once.

        Args:
            share_session: send on this client's session, for a thread that runs while this
                client rests.
            retries: the clone's retries, when not this client's.
            observers: added to this client's own.
            deaf_retries: this client's own observers hear nothing of the clone's retries, for a
                caller whose ``observers`` tell of them in their own way.
        """
        own: List[Observer] = [DeafToRetries(o) for o in self.observers] if deaf_retries else list(self.observers)
        twin = Client(self.endpoint, self.project_id, self.auth, timeout=self.timeout,
                      retries=self.retries if retries is None else retries, backoff=self.backoff,
                      sleep=self.sleep, observers=own + list(observers), debug=self.debug,
                      credential_source=self.credential_source, credential_hint=self.credential_hint,
                      session=self.session if share_session else None,
                      reach=self._reach)  # same endpoint: an answer to either counts
        return twin

    def get(self, path: str, params: Optional[Dict[str, str]] = None, *, what: str) -> dict:
        """GET ``path`` (below the endpoint): the decoded JSON body, after any retries."""
        return self._request("GET", path, params, None, what)

    def post(self, path: str, body: dict, *, what: str) -> dict:
        return self._request("POST", path, None, json.dumps(body).encode("utf-8"), what)

    def _request(self, method: str, path: str, params: Optional[Dict[str, str]], body: Optional[bytes],
                 what: str) -> dict:
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
                self._told.retrying(err, attempt, delay)
                self.sleep(delay)
                continue
            self._told.answered()
            if self.access_key is not None:
                self._told.credentials(self.access_key, True)
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
                           f"The service may be slow: try again later, or allow more time for each answer "
                           f"(now {self.timeout[1]:g} s).", transient=True, reached=self._reach.answered,
                           about="timeout", facts={"timeout": self.timeout[1]}) from None
        except requests.exceptions.SSLError:
            raise ApiError(f"the TLS handshake with {_host(url)} failed",
                           "If the endpoint serves plain HTTP, write it with http://; otherwise check "
                           "the certificate (and any proxy in between).") from None
        except requests.exceptions.ConnectionError as exc:
            raise ApiError(f"cannot connect to {_host(url)}: {_reason(exc)}",
                           "Check the endpoint or region and your network connection.", transient=True,
                           reached=self._reach.answered, about="endpoint.unreachable") from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise ApiError(f"the connection to {_host(url)} broke off in the middle of an answer",
                           "Check your network connection; try again.", transient=True) from None
        except requests.exceptions.RequestException as exc:
            raise ApiError(f"request to {_host(url)} failed: {_reason(exc)}",
                           "Check the endpoint; it must be an http(s) URL.", reached=self._reach.answered,
                           about="endpoint.not_url") from None
        except (ValueError, UnicodeError):
            # http.client refuses header values with control or non-Latin-1 characters; its
            # message quotes the value, which may be a token or a signature: never show it.
            raise ConfigError("a credential or setting holds characters that cannot be sent in an HTTP header",
                              "Check for a stray newline or quote in the token, AK/SK or project id "
                              "('aomlog configure list' shows where each comes from).") from None
        self._reach.answered = True
        if self.debug:
            self._debug_exchange(resp, started)
        return self._decode(resp, what)

    def _debug_exchange(self, resp: requests.Response, started: float) -> None:
        from datetime import datetime, timezone

        from aomlog.transport.auth import redacted_headers

        assert self.debug is not None
        self.debug("{} {} {} -> {} request-id={} {:.0f} ms".format(
            datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            resp.request.method, resp.request.url, resp.status_code,
            resp.headers.get("X-Request-Id", "-"), (time.monotonic() - started) * 1000))
        shown = redacted_headers(resp.request.headers)
        self.debug("  sent " + ", ".join(f"{name}: {value}" for name, value in shown.items()))

    def _decode(self, resp: requests.Response, what: str) -> dict:
        status = resp.status_code
        body = _json_or_none(resp)
        code = (body or {}).get("error_code") if isinstance(body, dict) else None
        message = _error_message(body) if isinstance(body, dict) else None

        if status == 204 or code == NOT_READY_CODE:
            raise _api_error("the log is not ready to be read yet", "Try again in a moment.",
                             http_status=status, code=NOT_READY_CODE, transient=True)
        if status in (401, 403) or is_auth_code(code):
            raise self._auth_error(status, code, message)
        if status == 429:
            raise ApiError("the API is throttling requests (HTTP 429)", "Wait a few seconds and try again.",
                           http_status=status, code=code, transient=True,
                           retry_after=_retry_after(resp.headers.get("Retry-After")))
        if status >= 500:
            detail = f": {message}" if message else ""
            raise ApiError(f"the API is unavailable (HTTP {status}){detail}", "Try again later.",
                           http_status=status, code=code, transient=True)
        if isinstance(body, list) and status < 300:
            return {"items": body}  # a bare array, as ListTrainingJobTasks answers (docs/api-v2-job.md)
        if not isinstance(body, dict):
            if status == 404:  # a web server, but not this API at this path
                raise _no_such_api("the endpoint has no such API (HTTP 404)")
            raise _not_json(resp)
        if code in NOT_FOUND_CODES:
            raise NotFoundError(f"{what}: {NOT_FOUND_TEXT[code][0]} ({code})", NOT_FOUND_TEXT[code][1], code=code)
        if status == 404 and str(code or "").startswith("ModelArts."):
            # The API itself, in its own words, says that what was asked for is not there.
            raise NotFoundError(f"{what}: not found ({code}): {message or 'no message'}",
                                "Check the id and name: 'aomlog jobs' lists your jobs, "
                                "'aomlog files JOB' a job's log files or tasks.", code=code)
        if status == 404:  # the gateway's "no such API", or a web server that is not the API
            tag = f", {code}" if code else ""
            raise _no_such_api(f"the endpoint has no such API (HTTP 404{tag})")
        if status >= 400 or body.get("is_success") is False:
            tag = f" ({code})" if code else ""
            raise _api_error(f"the API refused the request (HTTP {status}){tag}: {message or 'no message'}",
                             http_status=status, code=code)
        return body

    def _auth_error(self, status: int, code: Optional[str], message: Optional[str]) -> AuthError:
        tag = f", {code}" if code else ""
        said = message or "unauthorized"
        if code == PROJECT_MISMATCH_CODE:
            return AuthError(f"the project id does not match the credentials (HTTP {status}{tag})",
                             "Check the project id (HUAWEICLOUD_SDK_PROJECT_ID) for this region.",
                             about="project_id.mismatch")
        if not self.credential_source:
            return AuthError(f"the API requires credentials and no credentials were found (HTTP {status}{tag}): {said}",
                             "Set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or AOMLOG_TOKEN), "
                             "or run 'aomlog configure'.")
        if status == 403 and code in PERMISSION_CODES:
            return AuthError(f"the API denied access (HTTP {status}{tag}) to {self.credential_source}: {said}",
                             "The credential is valid but lacks permission: check its IAM policies for ModelArts.")
        if self.access_key is not None:  # the credential itself: a step toward the gateway's lockout
            self._told.credentials(self.access_key, False)
        return AuthError(f"the API rejected {self.credential_source} (HTTP {status}{tag}): {said}",
                         self.credential_hint or "Check the credentials; 'aomlog configure list' shows where "
                                                 "each comes from. aomlog never retries a rejected credential.")


def _api_error(message: str, hint: Optional[str] = None, *, http_status: int, code: Optional[str],
               transient: bool = False, about: Optional[str] = None) -> ApiError:
    """An error of the API's answer: a ``BadRequest`` when it refused an argument."""
    kind: Type[ApiError] = BadRequest if is_bad_request(http_status, code) else ApiError
    return kind(message, hint, http_status=http_status, code=code, transient=transient, about=about)


def _no_such_api(message: str) -> NoSuchApi:
    return NoSuchApi(message, "Check the endpoint or region: it should be https://modelarts.REGION.myhuaweicloud.com.",
                     about="endpoint.no_api")


def _not_json(resp: requests.Response) -> ApiError:
    """An answer that is not JSON: cut short on the way, or not from the API at all."""
    status = resp.status_code
    content_type = resp.headers.get("Content-Type", "").lower()
    kind = "an HTML page" if "html" in content_type else "a non-JSON body"
    # A JSON answer that does not parse was cut short on the way: worth another try.
    # Anything else (a web page on 200) says the endpoint is not the API.
    cut_short = status < 400 and "json" in content_type
    return _api_error(f"the API answered HTTP {status} with {kind}",
                      "Check the endpoint: it should be the ModelArts endpoint of your region.",
                      http_status=status, code=None, transient=cut_short, about="endpoint.not_json")


def _json_or_none(resp: requests.Response) -> Any:
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


def _session(endpoint: str, auth: Optional[requests.auth.AuthBase]) -> requests.Session:
    """A session signing with ``auth``, with the environment's proxy and CA settings resolved once.

    requests otherwise scans the whole environment for proxies (and looks for
    ~/.netrc) on every request: a tenth of a page's CPU (docs/performance.md).
    """
    session = requests.Session()
    session.auth = auth
    session.headers["User-Agent"] = _user_agent()
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

