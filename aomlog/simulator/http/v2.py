"""The v2 calls of one training job (docs/api-v2.md): its detail and a task's log page.

The page reads exactly as v1's (model/pages.py) except for the shape of the answer
(positions as strings, ``lines`` an integer, no ``is_success``), ``lines``
being 1..500, and ``order``: the docs say ``asc`` reads old to new, the reverse
of v1, unconfirmed. ``Api.v2_order`` picks the reading: "documented" (``asc``
onward, ``desc`` back) or "v1" (``desc`` onward, ``asc`` back).
"""

from __future__ import annotations

from typing import Dict, Tuple, Union

from ..model import Job, pages, v2_detail
from .api import Api
from .responses import Response, json_response, v2_error

# Not a documented code: what matters to a client is the 404 and the error shape.
TASK_NOT_FOUND = "ModelArts.2791"


def find_job(api: Api, job_id: str) -> Union[Job, Response]:
    job = api.find_v2(job_id)
    if job is None:
        return v2_error("ModelArts.2775", "Training job %s not found." % job_id, 404)
    return job


def detail(api: Api, args: Tuple[str, ...], query: Dict[str, str], body: bytes) -> Response:
    job = find_job(api, args[0])
    if isinstance(job, Response):
        return job
    return json_response(200, v2_detail(job, api.clock.now()))


def log(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job_id, task = args
    job = find_job(api, job_id)
    if isinstance(job, Response):
        return job
    try:
        n, order, base = pages.parse_query(q, minimum=1)
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
