"""The v2 calls of what a job tells besides its log (docs/api-v2-job.md): its events,
stages, where its tasks ran, and each task's resource use, answered from model/story.py.

The docs leave open whether the events' ``offset`` counts events or pages, the format of
a time, and whether a usage rate runs 0..100 or 0..1: ``Api.events_offset``,
``Api.story_times`` and ``Api.usage_scale`` pick the reading.
"""

from __future__ import annotations

import datetime
import json
from typing import Dict, List, Tuple, Union

from ..model import story
from .api import Api
from .responses import Response, json_response, v2_error
from .v2 import TASK_NOT_FOUND, find_job

LEVELS = ("Info", "Warning", "Error")
SOURCES = ("K8S", "Job", "Task")
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def time_of(api: Api):
    """How this server writes a time (epoch ms in): ISO 8601 with a zone, or epoch ms as a number or a string."""
    def iso(ms: int) -> object:
        moment = datetime.datetime.fromtimestamp(ms / 1000, CHINA)
        return moment.isoformat(timespec="milliseconds")

    return {"iso": iso, "ms": int, "ms-string": str}[api.story_times]


def _int(query: Dict[str, str], name: str, default: int, low: int, high: int) -> Union[int, Response]:
    text = query.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        return v2_error("ModelArts.0104", "Invalid parameter %s: %r." % (name, text))
    if not low <= value <= high:
        return v2_error("ModelArts.0104", "Parameter %s must be between %d and %d." % (name, low, high))
    return value


def _filtered(events: List[story.Event], q: Dict[str, str]) -> Union[List[story.Event], Response]:
    level, source, pattern = q.get("level"), q.get("source"), q.get("pattern")
    if level is not None and level not in LEVELS:
        return v2_error("ModelArts.0104", "Invalid level %r." % level)
    if source is not None and source not in SOURCES:
        return v2_error("ModelArts.0104", "Invalid source %r." % source)
    if ("start_time" in q) != ("end_time" in q):
        return v2_error("ModelArts.0104", "start_time and end_time must be given together.")
    if "start_time" in q:
        try:
            low, high = int(q["start_time"]), int(q["end_time"])
        except ValueError:
            return v2_error("ModelArts.0104", "start_time and end_time are epoch milliseconds.")
        events = [e for e in events if low <= e.time <= high]
    return [e for e in events if (level is None or e.level == level) and (source is None or e.source == source)
            and (pattern is None or pattern in e.message)]


def events(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job = find_job(api, args[0])
    if isinstance(job, Response):
        return job
    offset, limit = _int(q, "offset", 0, 0, 10**9), _int(q, "limit", 50, 1, 100)
    if isinstance(offset, Response):
        return offset
    if isinstance(limit, Response):
        return limit
    order = q.get("order", "desc")
    if order not in ("asc", "desc"):
        return v2_error("ModelArts.0104", "Invalid order %r." % order)
    found = _filtered(story.events(job, api.clock.now()), q)
    if isinstance(found, Response):
        return found
    if order == "desc":
        found = found[::-1]
    skip = offset * limit if api.events_offset == "pages" else offset
    when = time_of(api)
    page = [{"time": when(e.time), "level": e.level, "source": e.source, "message": e.message}
            for e in found[skip:skip + limit]]
    return json_response(200, {"total": len(found), "limit": limit, "offset": offset, "order": order,
                               "start_time": q.get("start_time", ""), "end_time": q.get("end_time", ""),
                               "events": page})


def stages(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job = find_job(api, args[0])
    if isinstance(job, Response):
        return job
    records = story.stages(job, api.clock.now(), time_of(api))
    return json_response(200, {"total_count": len(records), "running_records": records})


def tasks(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job = find_job(api, args[0])
    if isinstance(job, Response):
        return job
    rounds = _int(q, "schedule_count", 0, 1, 10**6)
    if isinstance(rounds, Response):
        return rounds
    found = story.places(job, api.clock.now())
    if rounds:
        found = [p for p in found if p["schedule_count"] == rounds]
    return Response(200, json.dumps(found).encode("utf-8"))  # a bare array, as documented


def metrics(api: Api, args: Tuple[str, ...], q: Dict[str, str], body: bytes) -> Response:
    job = find_job(api, args[0])
    if isinstance(job, Response):
        return job
    task = args[1]
    if job.file(task) is None:
        return v2_error(TASK_NOT_FOUND, "Task %s not found." % task, 404)
    scale = 100.0 if api.usage_scale == "fraction" else 1.0
    series = [{"metric": name, "value": [round(v / scale, 4) for v in values]}
              for name, values in story.usage(job, task, api.clock.now())]
    return json_response(200, {"metrics": series})
