"""The v1 calls of one job version: detail, log file names and the aom-log page.

Handlers take (api, path arguments, query, body) and return a Response;
routes.py has already matched the path and checked the project id.
"""

from __future__ import annotations

from typing import Dict, Tuple

from ..model import pages, v1_detail
from .api import Api
from .responses import Response, json_response, modelarts_error


def detail(api: Api, args: Tuple[str, ...], query: Dict[str, str], body: bytes) -> Response:
    job = api.find_v1(*args)
    if isinstance(job, Response):
        return job
    return json_response(200, v1_detail(job, api.clock.now()))


def file_names(api: Api, args: Tuple[str, ...], query: Dict[str, str], body: bytes) -> Response:
    job = api.find_v1(*args)
    if isinstance(job, Response):
        return job
    # A job that has not started has no log files yet.
    names = list(job.files) if job.started(api.clock.now()) else []
    return json_response(200, {"is_success": True, "log_file_list": names})


def aom_log(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job = api.find_v1(*args)
    if isinstance(job, Response):
        return job
    name = q.get("log_file", "")
    if not name:
        return modelarts_error("ModelArts.0101", "Parameter log_file is required.")
    try:
        n, order, base = pages.parse_query(q, minimum=0)
    except pages.BadArgument as exc:
        return modelarts_error("ModelArts.0104", str(exc))
    now = api.clock.now()
    f = job.file(name)
    if f is None or not job.started(now):
        return modelarts_error("ModelArts.2818", "Log file %s not found or not generated yet." % name)
    try:
        # v1: desc reads onward (向下查询), asc reads back.
        page = api.read(job, f, now, base, n, onward=order == "desc")
    except pages.BadArgument as exc:
        return modelarts_error("ModelArts.0104", str(exc))
    # Field types copy the published example: start_line a bare (> 2^53)
    # number, end_line and lines strings.
    return json_response(200, {"is_success": True, "start_line": "" if page.start is None else page.start,
                               "content": page.content, "end_line": "" if page.end is None else str(page.end),
                               "lines": str(page.count)})
