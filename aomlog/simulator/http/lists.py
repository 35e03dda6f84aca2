"""Job lists: the v2 job search, the v1 job list and a v1 job's versions.

docs/api-v2.md ("Listing jobs") documents the shapes. Where it is silent the
simulator decides: name ``like`` is a case-sensitive substring, v1's
``search_content`` too, and a v1 job's row describes its newest version (by
create_time, then version id). Whether the search's ``offset`` counts items or
pages is ambiguous in the docs: ``Api.search_offset`` picks the reading.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..model import Job, v1_summary, v2_detail
from ..model.jobs import JobId
from .api import Api
from .responses import Response, json_response, modelarts_error, v2_error

SEARCH_DEFAULT_LIMIT = 10
SEARCH_MAX_LIMIT = 50
V1_DEFAULT_PER_PAGE = 10
V1_MAX_PER_PAGE = 100
V1_SORT_KEYS = ("create_time", "job_name", "status", "duration", "version_count")

_DIGITS = re.compile(r"^[0-9]+$")  # not str.isdigit: it accepts "²", which int() refuses


class _Refused(Exception):
    """A bad argument (ModelArts.0104); the message says which."""


# -- v2: POST /v2/{project}/training-job-searches ------------------------------

def search(api: Api, args: Tuple[str, ...], query: Dict[str, str], body: bytes) -> Response:
    try:
        spec = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, ValueError):
        return v2_error("ModelArts.0101", "The request body is not valid JSON.")
    if not isinstance(spec, dict):
        return v2_error("ModelArts.0101", "The request body must be a JSON object.")
    try:
        offset = _int(spec, "offset", 0, 0, None)
        limit = _int(spec, "limit", SEARCH_DEFAULT_LIMIT, 1, SEARCH_MAX_LIMIT)
        if spec.get("sort_by", "create_time") != "create_time":
            raise _Refused("Invalid parameter sort_by: %r, only create_time is supported" % spec.get("sort_by"))
        descending = _descending(spec.get("order", "desc"))
        tests = [_filter(f) for f in spec.get("filters") or ()]
    except _Refused as exc:
        return v2_error("ModelArts.0104", str(exc))
    now = api.clock.now()
    found = [job for job in api.snapshot() if job.api == "v2" and all(t(job, now) for t in tests)]
    found.sort(key=lambda job: (job.create_time, job.job_id), reverse=descending)
    first = offset * limit if api.search_offset == "pages" else offset
    items = [v2_detail(job, now) for job in found[first:first + limit]]
    return json_response(200, {"total": len(found), "count": len(items), "items": items})


def _filter(f: object) -> Callable[[Job, float], bool]:
    """A predicate (job, now) -> bool for one search filter."""
    if not isinstance(f, dict):
        raise _Refused("Invalid filter %r: must be an object" % (f,))
    key, op, values = f.get("key"), f.get("operator"), f.get("value")
    if not isinstance(values, list):
        raise _Refused("Invalid filter %r: value must be a list" % (f,))
    if key == "name" and op == "like":
        return lambda job, now: any(isinstance(v, str) and v in job.name for v in values)
    if key == "name" and op == "in":
        return lambda job, now: job.name in values
    if key == "phase" and op == "in":
        return lambda job, now: job.phase(now) in values
    if key == "create_time" and op == "between":
        if len(values) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            raise _Refused("Invalid filter %r: between takes two integers (ms)" % (f,))
        return lambda job, now: values[0] <= job.create_time <= values[1]
    raise _Refused("Invalid filter: key %r with operator %r is not supported" % (key, op))


def _int(spec: Dict[str, Any], name: str, default: int, lo: int, hi: Optional[int]) -> int:
    value = spec.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < lo or (hi is not None and value > hi):
        bounds = "[%d, %d]" % (lo, hi) if hi is not None else ">= %d" % lo
        raise _Refused("Invalid parameter %s: %r, must be an integer %s" % (name, value, bounds))
    return value


def _descending(order: object) -> bool:
    if order not in ("desc", "asc"):
        raise _Refused("Invalid parameter order: %r, must be desc or asc" % (order,))
    return order == "desc"


# -- v1: GET /v1/{project}/training-jobs and .../training-jobs/{id}/versions ------

def _query_int(q: Dict[str, str], name: str, default: int, lo: int, hi: Optional[int]) -> int:
    raw = q.get(name, "").strip()
    if not raw:
        return default
    if not _DIGITS.match(raw) or int(raw) < lo or (hi is not None and int(raw) > hi):
        bounds = "[%d, %d]" % (lo, hi) if hi is not None else ">= %d" % lo
        raise _Refused("Invalid parameter %s: %r, must be an integer %s" % (name, raw, bounds))
    return int(raw)


def _newest_first(versions: List[Job]) -> List[Job]:
    return sorted(versions, key=lambda job: (job.create_time, job.version_id), reverse=True)


def v1_list(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    try:
        per_page = _query_int(q, "per_page", V1_DEFAULT_PER_PAGE, 1, V1_MAX_PER_PAGE)
        page = _query_int(q, "page", 1, 1, None)
        sort_by = q.get("sortBy", "") or "create_time"
        if sort_by not in V1_SORT_KEYS:
            raise _Refused("Invalid parameter sortBy: %r, must be one of %s" % (sort_by, ", ".join(V1_SORT_KEYS)))
        descending = _descending(q.get("order", "") or "desc")
    except _Refused as exc:
        return modelarts_error("ModelArts.0104", str(exc))
    now = api.clock.now()
    by_id: Dict[JobId, List[Job]] = {}  # an int for v1 jobs
    for job in api.snapshot():
        if job.api == "v1":
            by_id.setdefault(job.job_id, []).append(job)
    rows = []
    search = q.get("search_content", "")
    for job_id, versions in by_id.items():
        newest = _newest_first(versions)[0]
        if search and search not in newest.name:
            continue
        row = {"job_id": job_id, "job_name": newest.name, "version_id": newest.version_id}
        summary = v1_summary(newest, now)
        row.update(status=summary["status"], create_time=summary["create_time"], duration=summary["duration"],
                   version_count=len(versions))
        rows.append(row)
    rows.sort(key=lambda row: (row[sort_by], row["job_id"]), reverse=descending)
    shown = rows[(page - 1) * per_page:page * per_page]
    return json_response(200, {"is_success": True, "job_total_count": len(rows), "jobs": shown})


def v1_versions(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job_s = args[0]
    try:
        per_page = _query_int(q, "per_page", V1_DEFAULT_PER_PAGE, 1, V1_MAX_PER_PAGE)
        page = _query_int(q, "page", 1, 1, None)
    except _Refused as exc:
        return modelarts_error("ModelArts.0104", str(exc))
    versions = _newest_first([job for job in api.snapshot() if job.api == "v1" and str(job.job_id) == job_s])
    if not versions:
        return modelarts_error("ModelArts.2775", "training job not found: job_id %s" % job_s)
    now = api.clock.now()
    shown = [v1_summary(job, now) for job in versions[(page - 1) * per_page:page * per_page]]
    return json_response(200, {"is_success": True, "job_id": versions[0].job_id, "job_name": versions[0].name,
                               "version_count": len(versions), "versions": shown})
