"""The simulated service's state, free of HTTP plumbing: its jobs and the options
that say how it reads the published pages (docs/api-v1.md, docs/api-v2.md).

Where the docs are silent (is base_line included? is end_line inclusive? which
way does v2's ``order`` read? does the search's or the events' ``offset`` count items or
pages? how are an event's times written? do usage rates run to 100 or to 1?)
the choice is a constructor option so the client can be tested against every
reading. The route handlers (v1.py, v2.py, lists.py, projects.py) answer from
an ``Api``; routes.py picks the handler of a request.
"""

from __future__ import annotations

import threading
from typing import Dict, List, Optional, Union

from ..model import Clock, Job, LogFile, pages
from ..model.jobs import JobKey
from .responses import Response, modelarts_error

__all__ = ["Api", "DEFAULT_PROJECT_ID", "DEFAULT_REGION"]

# The project IAM names for the default region unless told otherwise (projects.py).
DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_REGION = "cn-north-4"

V2_ORDERS = ("documented", "v1")
SEARCH_OFFSETS = ("items", "pages")
STORY_TIMES = ("iso", "ms", "ms-string")
USAGE_SCALES = ("percent", "fraction")


class Api:
    """The jobs a simulator serves and how it reads the docs' open questions
    (the Simulator's options of the same names); safe to share between threads."""

    def __init__(self, clock: Clock, base_line_mode: str = "exclusive", strict_positions: bool = False,
                 trailing_newline: bool = False, project_id: Optional[str] = None, *,
                 v2_order: str = "documented", search_offset: str = "items", v1_api: bool = True,
                 projects: Optional[Dict[str, str]] = None, events_offset: str = "items",
                 story_times: str = "iso", usage_scale: str = "percent"):
        if base_line_mode not in ("exclusive", "inclusive"):
            raise ValueError("base_line_mode must be 'exclusive' or 'inclusive'")
        if v2_order not in V2_ORDERS:
            raise ValueError("v2_order must be 'documented' or 'v1'")
        if search_offset not in SEARCH_OFFSETS:
            raise ValueError("search_offset must be 'items' or 'pages'")
        if events_offset not in SEARCH_OFFSETS:
            raise ValueError("events_offset must be 'items' or 'pages'")
        if story_times not in STORY_TIMES or usage_scale not in USAGE_SCALES:
            raise ValueError("story_times must be one of %s, usage_scale one of %s" % (STORY_TIMES, USAGE_SCALES))
        self.clock = clock
        self.inclusive = base_line_mode == "inclusive"
        self.strict_positions = strict_positions
        self.trailing_newline = trailing_newline
        self.project_id = project_id
        self.v2_order = v2_order
        self.search_offset = search_offset
        self.events_offset = events_offset  # the events' offset counts "items" or "pages"
        self.story_times = story_times  # events' and stages' times: ISO 8601, epoch ms, or ms as a string
        self.usage_scale = usage_scale  # usage rates in "percent" (0..100) or as a "fraction" (0..1)
        self.v1_api = v1_api
        if projects is None:
            projects = {DEFAULT_REGION: project_id or DEFAULT_PROJECT_ID}
        self.projects = dict(projects)
        self.jobs: Dict[JobKey, Job] = {}
        self._lock = threading.Lock()

    # -- jobs --------------------------------------------------------------

    def add_job(self, job: Job) -> Job:
        job.place(self.clock.now())
        with self._lock:
            taken = {j.create_time for k, j in self.jobs.items() if k != job.key}
            job.assign_create_time(taken)
            self.jobs[job.key] = job
        return job

    def snapshot(self) -> List[Job]:
        with self._lock:
            return list(self.jobs.values())

    def find_v1(self, job_s: str, version_s: str) -> Union[Job, Response]:
        """The job version, or the v1 error for an unknown job or version."""
        with self._lock:
            versions = [j for k, j in self.jobs.items() if k[1] is not None and str(k[0]) == job_s]
        if not versions:
            return modelarts_error("ModelArts.2775", "training job not found: job_id %s" % job_s)
        job = next((j for j in versions if str(j.version_id) == version_s), None)
        if job is None:
            return modelarts_error(
                "ModelArts.2775", "training job version not found: job_id %s, version_id %s" % (job_s, version_s))
        return job

    def find_v2(self, job_id: str) -> Optional[Job]:
        with self._lock:
            return self.jobs.get((job_id, None))

    def read(self, job: Job, f: LogFile, now: float, base: Optional[int], n: int, onward: bool) -> pages.Page:
        """A page of log file f as this server's options cut it (raises pages.BadArgument)."""
        return pages.read(f, job.visible(now), base, n, onward, inclusive=self.inclusive,
                          strict=self.strict_positions, trailing_newline=self.trailing_newline)
