"""The v2 calls of one training job (docs/api-v2.md): its detail and a task's log page.

The page reads exactly as v1's (pages.py) except for the shape of the answer
(positions as strings, ``lines`` an integer, no ``is_success``), ``lines``
being 1..500, and ``order``: the docs say ``asc`` reads old to new, the reverse
of v1, unconfirmed. ``Api.v2_order`` picks the reading: "documented" (``asc``
onward, ``desc`` back) or "v1" (``desc`` onward, ``asc`` back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Tuple

from . import pages
from .details import v2_detail
from .responses import Response, json_response, v2_error

if TYPE_CHECKING:
    from .api import Api

# Not a documented code: what matters to a client is the 404 and the error shape.
TASK_NOT_FOUND = "ModelArts.2791"


def _job(api: "Api", job_id: str):
    job = api.find_v2(job_id)
    if job is None:
        return None, v2_error("ModelArts.2775", "Training job %s not found." % job_id, 404)
    return job, None


def detail(api: "Api", args: Tuple[str, ...], query: Dict[str, str], body: bytes) -> Response:
    job, err = _job(api, args[0])
    if err is not None:
        return err
    return json_response(200, v2_detail(job, api.clock.now()))


def log(api: "Api", args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job_id, task = args
    job, err = _job(api, job_id)
    if err is not None:
        return err
    try:
        n = pages.parse_lines(q.get("lines", ""), minimum=1)
        order = pages.parse_order(q.get("order", ""))
        base = pages.parse_base_line(q.get("base_line", ""))
    except pages.BadArgument as exc:
        return v2_error("ModelArts.0104", str(exc))
    f = job.file(task)
    if f is None:
        return v2_error(TASK_NOT_FOUND, "Task %s not found." % task, 404)
    now = api.clock.now()
    if not job.started(now):
        return v2_error("ModelArts.2818", "Log not generated yet.")
    onward = order == ("asc" if api.v2_order == "documented" else "desc")
    try:
        page = api.read(job, f, now, base, n, onward=onward)
    except pages.BadArgument as exc:
        return v2_error("ModelArts.0104", str(exc))
    return json_response(200, {"start_line": "" if page.start is None else str(page.start),
                               "end_line": "" if page.end is None else str(page.end),
                               "lines": page.count, "content": page.content})
