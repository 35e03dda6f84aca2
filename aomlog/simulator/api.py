"""The API's behaviour, free of HTTP plumbing: (method, path, query) -> Response.

This is an independent reading of the published page and API-FACTS.md; where
the docs are silent (is base_line included? is end_line inclusive? how to
start at the beginning?) the choice is a constructor option so the client can
be tested against every reading.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Dict, Optional, Tuple

from .clock import Clock
from .jobs import Job

MAX_LINES = 500
DEFAULT_LINES = 50

KIND_AOM_LOG = "aom-log"
KIND_FILE_NAMES = "file-names"
KIND_DETAIL = "detail"
KIND_OTHER = "other"

_PATH = re.compile(r"^/v1/([^/]+)/training-jobs/([^/]+)/versions/([^/]+)(/aom-log|/log/file-names)?/?$")
_DIGITS = re.compile(r"^[0-9]+$")


class Response:
    def __init__(self, status: int, body: bytes = b"", content_type: str = "application/json;charset=UTF-8",
                 headers: Optional[Dict[str, str]] = None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def json_response(status: int, obj: dict, headers: Optional[Dict[str, str]] = None) -> Response:
    # ensure_ascii=False: the real service sends raw UTF-8, and clients must decode it.
    return Response(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers=headers)


def modelarts_error(code: str, message: str, status: int = 400) -> Response:
    return json_response(status, {"is_success": False, "error_code": code, "error_message": message})


def gateway_error(status: int, code: str, message: str, request_id: str,
                  headers: Optional[Dict[str, str]] = None) -> Response:
    return json_response(status, {"error_code": code, "error_msg": message, "request_id": request_id}, headers)


def kind_of(path: str) -> str:
    m = _PATH.match(path)
    if not m:
        return KIND_OTHER
    return {None: KIND_DETAIL, "/aom-log": KIND_AOM_LOG, "/log/file-names": KIND_FILE_NAMES}[m.group(4)]


class Api:
    def __init__(self, clock: Clock, base_line_mode: str = "exclusive", strict_positions: bool = False,
                 trailing_newline: bool = False, project_id: Optional[str] = None):
        if base_line_mode not in ("exclusive", "inclusive"):
            raise ValueError("base_line_mode must be 'exclusive' or 'inclusive'")
        self.clock = clock
        self.inclusive = base_line_mode == "inclusive"
        self.strict_positions = strict_positions
        self.trailing_newline = trailing_newline
        self.project_id = project_id
        self.jobs: Dict[Tuple[int, int], Job] = {}
        self._lock = threading.Lock()

    def add_job(self, job: Job) -> Job:
        if job.start_time is None:
            job.set_start(self.clock.now())
        with self._lock:
            self.jobs[(job.job_id, job.version_id)] = job
        return job

    def handle(self, method: str, path: str, query: Dict[str, str], request_id: str) -> Response:
        m = _PATH.match(path)
        if method != "GET" or not m:
            return gateway_error(404, "APIGW.0101",
                                 "The API does not exist or has not been published in the environment", request_id)
        project, job_s, version_s, tail = m.groups()
        if self.project_id is not None and project != self.project_id:
            return modelarts_error("ModelArts.0210", "The project ID in the URL does not match the token.", 403)
        job, err = self._find(job_s, version_s)
        if err is not None:
            return err
        if tail is None:
            return json_response(200, job.detail(self.clock.now()))
        if tail == "/log/file-names":
            return json_response(200, {"is_success": True, "log_file_list": list(job.files)})
        return self._aom_log(job, query)

    def _find(self, job_s: str, version_s: str):
        with self._lock:
            ids = {k for k in self.jobs if str(k[0]) == job_s}
            if not ids:
                return None, modelarts_error("ModelArts.2775", "training job not found: job_id %s" % job_s)
            job = next((self.jobs[k] for k in ids if str(k[1]) == version_s), None)
        if job is None:
            return None, modelarts_error(
                "ModelArts.2775", "training job version not found: job_id %s, version_id %s" % (job_s, version_s))
        return job, None

    def _aom_log(self, job: Job, q: Dict[str, str]) -> Response:
        name = q.get("log_file", "")
        if not name:
            return modelarts_error("ModelArts.0101", "Parameter log_file is required.")
        raw = q.get("lines", "").strip()
        if raw and not _DIGITS.match(raw):
            return modelarts_error("ModelArts.0104", "Invalid parameter lines: %r, must be an integer" % raw)
        n = int(raw) if raw else DEFAULT_LINES
        if n > MAX_LINES:
            return modelarts_error("ModelArts.0104", "Invalid parameter lines: %d, must be in [0, %d]" % (n, MAX_LINES))
        order = q.get("order", "") or "desc"
        if order not in ("desc", "asc"):
            return modelarts_error("ModelArts.0104", "Invalid parameter order: %r, must be desc or asc" % order)
        # The published request example has "base_line= 1551…": tolerate surrounding blanks.
        raw = q.get("base_line", "").strip()
        if raw and not _DIGITS.match(raw):
            return modelarts_error("ModelArts.0104", "Invalid parameter base_line: %r" % raw)
        base = int(raw) if raw else None
        f = job.file(name)
        if f is None:
            return modelarts_error("ModelArts.2818", "Log file %s not found or not generated yet." % name)

        count = job.visible(self.clock.now())
        if base is not None and self.strict_positions and not self._issued(f, base, count):
            return modelarts_error("ModelArts.0104", "Invalid parameter base_line: %d is not a log position" % base)

        if base is None:
            lo, hi = max(0, count - n), count
        elif order == "desc":
            lo = f.index_at_or_after(base if self.inclusive else base + 1, count)
            hi = min(count, lo + n)
        else:
            hi = f.index_at_or_after(base, count)
            lo = max(0, hi - n)

        if lo >= hi:
            # Empty page: echo the cursor so a client trusting it stays put;
            # with no cursor there is nothing to echo.
            start = base if base is not None else ""
            end = str(base) if base is not None else ""
            return self._page("", 0, start, end)

        lines = f.lines(lo, hi)
        content = "\n".join(lines)
        if self.trailing_newline:
            content += "\n"
        if not self.inclusive:
            end_pos = f.position(hi - 1)
        elif hi < count:
            end_pos = f.position(hi)
        else:
            end_pos = f.position(hi - 1) + 1
        return self._page(content, hi - lo, f.position(lo), str(end_pos))

    def _issued(self, f, base: int, count: int) -> bool:
        """Strict mode: is base a position this server could have handed out?"""
        i = f.index_at_or_after(base, count)
        if i < count and f.position(i) == base:
            return True
        return self.inclusive and i > 0 and f.position(i - 1) + 1 == base

    @staticmethod
    def _page(content: str, n: int, start, end: str) -> Response:
        # Field types copy the published example: start_line a bare (> 2^53)
        # number, end_line and lines strings.
        return json_response(200, {"is_success": True, "start_line": start, "content": content,
                                   "end_line": end, "lines": str(n)})
