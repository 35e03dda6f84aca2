"""A job's report for ``status``: its detail first (it says whether the job exists, and
names its tasks), then its stage, tasks, events and every task's usage side by side.

Only the detail must be read: whatever else fails is left out and said in ``missing``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Dict, List

from aomlog.api.family import JobApi, JobRef, JobReport
from aomlog.api.story import Event
from aomlog.engine.sidebyside import WORKERS, side_by_side
from aomlog.errors import AomlogError

EVENTS_SHOWN = 5  # the newest Warning and Error events a report keeps


def job_report(api: JobApi, job: JobRef, *, workers: int = WORKERS) -> JobReport:
    story = api.story(job)
    calls: Dict[str, Callable[[JobApi], Any]] = {
        "stage": lambda a: a.stage(job),
        "tasks": lambda a: a.places(job),
        "events": lambda a: a.events(job),
    }
    for task in story.tasks:
        calls[f"usage of {task}"] = functools.partial(_usage, job=job, task=task)
    results = dict(zip(calls, side_by_side(api, list(calls.values()), workers)))
    missing: Dict[str, str] = {}
    for what, result in results.items():
        if isinstance(result, AomlogError):
            missing[what] = result.message
        elif isinstance(result, Exception):
            raise result
    got: Dict[str, Any] = {what: result for what, result in results.items() if what not in missing}
    events: List[Event] = [e for e in got.get("events") or [] if e.level in ("Warning", "Error")]
    usage = {task: got[f"usage of {task}"] for task in story.tasks if got.get(f"usage of {task}")}
    return JobReport(story, got.get("stage"), got.get("tasks") or [], events[-EVENTS_SHOWN:], usage, missing)


def _usage(api: JobApi, *, job: JobRef, task: str) -> Any:
    return api.usage(job, task)
