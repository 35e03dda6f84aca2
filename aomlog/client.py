"""The HTTP client of the ModelArts training-log API.

It sends requests, retries what is transient and turns every failure into an
``aomlog.errors`` exception. It never prints: a ``debug`` callback, when given,
receives one line per request.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple
from urllib.parse import quote, urlencode

import requests

from aomlog.errors import ApiError, AuthError, ConfigError, NotFoundError

# Failures that say the job, version or file does not exist (API-FACTS.md, Errors).
NOT_FOUND_TEXT = {
    "ModelArts.2775": ("training job not found",
                       "Check the job id and version id (ModelArts console > Training Jobs)."),
    "ModelArts.2818": ("no such log file, or not generated yet",
                       "Check --file: 'aomlog files JOB VERSION' lists the files; a new job's log appears once it runs."),
    "ModelArts.2819": ("the log file has already been cleared", "Its retention has passed: nothing is left to read."),
}
NOT_FOUND_CODES = set(NOT_FOUND_TEXT)
ENDPOINT_HINT = "Check --endpoint/--region: it should be https://modelarts.REGION.myhuaweicloud.com."
NOT_READY_CODE = "ModelArts.2776"
# Retries wait through this; tests replace it so that no test waits for real.
default_sleep = time.sleep
# Position-like values that a server may refuse because it never issued them.
BAD_ARGUMENT_CODES = {"ModelArts.0101", "ModelArts.0104"}


@dataclass
class Page:
    """One answer of the aom-log call.

    ``text`` is the page's lines, each ending in exactly one ``\\n`` ("" when
    empty), so that pages concatenate into the log without lost or doubled lines.
    """

    text: str
    count: int
    start_line: Optional[str]
    end_line: Optional[str]

    @property
    def lines(self) -> List[str]:
        return self.text.split("\n")[:-1] if self.text else []


def position(value) -> Optional[str]:
    """A position as an exact decimal string; None for "no position".

    Positions exceed 2**53, so a float would corrupt them: only ints and
    strings are trusted.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return None


def count_of(value) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def page_text(content: Optional[str], count: Optional[int]) -> Tuple[str, int]:
    """Normalise ``content`` into newline-terminated lines.

    The content is the lines joined by newlines and may or may not end with one.
    When the server's count tells that a trailing empty piece is a real empty
    line, it is kept.
    """
    if not content:
        if count and count > 0:
            return "\n" * count, count
        return "", 0
    pieces = content.count("\n") + 1
    if content.endswith("\n") and count != pieces:
        return content, pieces - 1
    return content + "\n", pieces


class Client:
    def __init__(
        self,
        endpoint: str,
        project_id: str,
        auth=None,
        *,
        timeout=(5.0, 30.0),
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
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
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep or default_sleep
        self.on_retry = on_retry
        self.debug = debug
        self.credential_source = credential_source  # e.g. "access key AK... from $HUAWEICLOUD_SDK_AK"
        self.credential_hint = credential_hint  # what to do when the gateway rejects it
        self.on_answer = on_answer  # called after each successful answer
        self.session = session or requests.Session()
        self.session.auth = auth
        self.session.headers["User-Agent"] = _user_agent()

    # -- the API -------------------------------------------------------------

    def _version_path(self, job_id: str, version_id: str) -> str:
        return "/v1/{}/training-jobs/{}/versions/{}".format(
            quote(self.project_id, safe=""), quote(str(job_id), safe=""), quote(str(version_id), safe="")
        )

    def aom_log(self, job_id, version_id, log_file: str, base_line: Optional[str] = None,
                lines: int = 50, order: str = "desc") -> Page:
        params = {"log_file": log_file, "base_line": base_line or "", "lines": str(lines), "order": order}
        body = self._get(self._version_path(job_id, version_id) + "/aom-log", params,
                         what=f"log file '{log_file}' of job {job_id} version {version_id}")
        count = count_of(body.get("lines"))
        text, n = page_text(body.get("content"), count)
        return Page(text, n, position(body.get("start_line")), position(body.get("end_line")))

    def file_names(self, job_id, version_id) -> List[str]:
        body = self._get(self._version_path(job_id, version_id) + "/log/file-names", None,
                         what=f"job {job_id} version {version_id}")
        names = body.get("log_file_list")
        if isinstance(names, str):  # the docs type the field as a String
            names = [n.strip() for n in names.split(",") if n.strip()]
        if not isinstance(names, list):
            raise ApiError("the file-names call returned no 'log_file_list'",
                           "This endpoint may not be a ModelArts API; check --endpoint.")
        return [str(n) for n in names]

    def version(self, job_id, version_id) -> dict:
        return self._get(self._version_path(job_id, version_id), None,
                         what=f"job {job_id} version {version_id}")

    # -- transport -----------------------------------------------------------

    def _get(self, path: str, params, *, what: str) -> dict:
        url = self.endpoint + path
        attempt = 0
        while True:
            try:
                body = self._get_once(url, params, what)
            except ApiError as err:
                if not err.transient or attempt >= self.retries:
                    raise
                attempt += 1
                delay = self.retry_delay(attempt, err.retry_after)
                if self.on_retry:
                    self.on_retry(err, attempt, delay)
                self.sleep(delay)
                continue
            if self.on_answer:
                self.on_answer()
            return body

    def retry_delay(self, attempt: int, retry_after: Optional[float]) -> float:
        """Exponential backoff with full jitter, never shorter than Retry-After."""
        # The exponent is capped: retries may be unbounded, and 2.0 ** 1100 overflows.
        cap = min(self.max_backoff, self.backoff * (2 ** min(attempt - 1, 30)))
        delay = random.uniform(cap / 2, cap)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay

    def _get_once(self, url: str, params, what: str) -> dict:
        started = time.monotonic()
        if params:
            # Spaces as %20, as the signer encodes them, whatever the credentials.
            url += "?" + urlencode(params, quote_via=quote, safe="~")
        try:
            # No redirects: requests would resend the token or a stale signature to the new place.
            resp = self.session.get(url, timeout=self.timeout, allow_redirects=False)
        except requests.exceptions.Timeout:
            raise ApiError(f"timed out waiting for {_host(url)}",
                           f"The service may be slow: try again later, or allow more with "
                           f"--timeout (now {self.timeout[1]:g} s).",
                           transient=True) from None
        except requests.exceptions.SSLError:
            raise ApiError(f"the TLS handshake with {_host(url)} failed",
                           "If the endpoint serves plain HTTP, write it with http://; otherwise check "
                           "the certificate (and any proxy in between).") from None
        except requests.exceptions.ConnectionError as exc:
            raise ApiError(f"cannot connect to {_host(url)}: {_reason(exc)}",
                           "Check --endpoint/--region and your network connection.", transient=True) from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise ApiError(f"the connection to {_host(url)} broke off in the middle of an answer",
                           "Check your network connection; try again.", transient=True) from None
        except requests.exceptions.RequestException as exc:
            raise ApiError(f"request to {_host(url)} failed: {_reason(exc)}",
                           "Check --endpoint; it must be an http(s) URL.") from None
        except (ValueError, UnicodeError):
            # http.client refuses header values with control or non-Latin-1 characters; its
            # message quotes the value, which may be a token or a signature: never show it.
            raise ConfigError("a credential or setting holds characters that cannot be sent in an HTTP header",
                              "Check for a stray newline or quote in the token, AK/SK or project id "
                              "('aomlog configure list' shows where each comes from).") from None
        if self.debug:
            from aomlog.auth import redacted_headers

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
                raise ConfigError("the endpoint has no such API (HTTP 404)", ENDPOINT_HINT)
            content_type = resp.headers.get("Content-Type", "").lower()
            kind = "an HTML page" if "html" in content_type else "a non-JSON body"
            # A JSON answer that does not parse was cut short on the way: worth another try.
            # Anything else (a web page on 200) says the endpoint is not the API.
            cut_short = status < 400 and "json" in content_type
            raise ApiError(f"the API answered HTTP {status} with {kind}",
                           "Check --endpoint: it should be the ModelArts endpoint of your region.",
                           http_status=status, transient=cut_short)
        if code in NOT_FOUND_CODES:
            raise NotFoundError(f"{what}: {NOT_FOUND_TEXT[code][0]} ({code})", NOT_FOUND_TEXT[code][1])
        if status == 404 and (code or "").startswith("APIG"):
            raise ConfigError(f"the endpoint has no such API (HTTP 404, {code})", ENDPOINT_HINT)
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
        return AuthError(f"the API rejected {self.credential_source} (HTTP {status}{tag}): {said}",
                         self.credential_hint or "Check the credentials; 'aomlog configure list' shows where "
                                                 "each comes from. aomlog never retries a rejected credential.")


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


def _user_agent() -> str:
    from aomlog import __version__

    return f"aomlog/{__version__}"

