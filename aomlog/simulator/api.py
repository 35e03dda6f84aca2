"""The API's behaviour, free of HTTP plumbing: (method, path, query, body) -> Response.

This is an independent reading of the published pages, docs/api-v1.md and
docs/api-v2.md; where the docs are silent (is base_line included? is end_line
inclusive? which way does v2's ``order`` read? does the search ``offset`` count
items or pages?) the choice is a constructor option so the client can be tested
against every reading. ``Api`` holds the jobs and options and routes each
request to a handler: api_v1 (one version's calls), api_v2 (one v2 job's
calls), lists (job lists and searches), projects (IAM's project lookup).
"""

from __future__ import annotations

import re
import threading
from typing import Callable, Dict, List, NamedTuple, Optional, Pattern, Tuple
from urllib.parse import unquote

from . import api_v1, api_v2, lists, pages
from .clock import Clock
from .jobs import Job
from .pages import DEFAULT_LINES, MAX_LINES
from .projects import DEFAULT_PROJECT_ID, DEFAULT_REGION, list_projects
from .responses import Response, gateway_error, json_response, modelarts_error, no_such_api, v2_error

__all__ = ["Api", "Response", "gateway_error", "json_response", "modelarts_error", "v2_error", "kind_of",
           "REQUEST_KINDS", "DEFAULT_LINES", "MAX_LINES"]

# What kind of call a request is, for request_count and for faults aimed at one kind.
KIND_AOM_LOG = "aom-log"
KIND_FILE_NAMES = "file-names"
KIND_DETAIL = "detail"
KIND_VERSIONS = "versions"
KIND_V1_LIST = "v1-list"
KIND_V2_LOG = "v2-log"
KIND_V2_DETAIL = "v2-detail"
KIND_SEARCH = "search"
KIND_IAM = "iam"
KIND_OTHER = "other"
REQUEST_KINDS = (KIND_AOM_LOG, KIND_FILE_NAMES, KIND_DETAIL, KIND_VERSIONS, KIND_V1_LIST, KIND_V2_LOG,
                 KIND_V2_DETAIL, KIND_SEARCH, KIND_IAM, KIND_OTHER)

V2_ORDERS = ("documented", "v1")
SEARCH_OFFSETS = ("items", "pages")

Handler = Callable[["Api", Tuple[str, ...], Dict[str, str], bytes], Response]


class Route(NamedTuple):
    method: str
    pattern: Pattern
    kind: str
    family: str  # "v1" / "v2": a project id leads the path, errors in that family's shape; "iam": neither
    handler: Handler


def _route(method: str, template: str, kind: str, family: str, handler: Handler) -> Route:
    # "{}" is one path segment; a trailing slash is tolerated, as the gateway does.
    return Route(method, re.compile("^" + template.replace("{}", "([^/]+)") + "/?$"), kind, family, handler)


ROUTES = (
    _route("GET", "/v1/{}/training-jobs/{}/versions/{}/aom-log", KIND_AOM_LOG, "v1", api_v1.aom_log),
    _route("GET", "/v1/{}/training-jobs/{}/versions/{}/log/file-names", KIND_FILE_NAMES, "v1", api_v1.file_names),
    _route("GET", "/v1/{}/training-jobs/{}/versions/{}", KIND_DETAIL, "v1", api_v1.detail),
    _route("GET", "/v1/{}/training-jobs/{}/versions", KIND_VERSIONS, "v1", lists.v1_versions),
    _route("GET", "/v1/{}/training-jobs", KIND_V1_LIST, "v1", lists.v1_list),
    _route("GET", "/v2/{}/training-jobs/{}/logs/{}", KIND_V2_LOG, "v2", api_v2.log),
    _route("GET", "/v2/{}/training-jobs/{}", KIND_V2_DETAIL, "v2", api_v2.detail),
    _route("POST", "/v2/{}/training-job-searches", KIND_SEARCH, "v2", lists.search),
    _route("GET", "/v3/projects", KIND_IAM, "iam", list_projects),
)


def _match(path: str):
    for route in ROUTES:
        m = route.pattern.match(path)
        if m:
            return route, tuple(unquote(g) for g in m.groups())
    return None, ()


def kind_of(path: str) -> str:
    route, _ = _match(path)
    return route.kind if route else KIND_OTHER


class Api:
    def __init__(self, clock: Clock, base_line_mode: str = "exclusive", strict_positions: bool = False,
                 trailing_newline: bool = False, project_id: Optional[str] = None, *,
                 v2_order: str = "documented", search_offset: str = "items", v1_api: bool = True,
                 projects: Optional[Dict[str, str]] = None):
        if base_line_mode not in ("exclusive", "inclusive"):
            raise ValueError("base_line_mode must be 'exclusive' or 'inclusive'")
        if v2_order not in V2_ORDERS:
            raise ValueError("v2_order must be 'documented' or 'v1'")
        if search_offset not in SEARCH_OFFSETS:
            raise ValueError("search_offset must be 'items' or 'pages'")
        self.clock = clock
        self.inclusive = base_line_mode == "inclusive"
        self.strict_positions = strict_positions
        self.trailing_newline = trailing_newline
        self.project_id = project_id
        self.v2_order = v2_order
        self.search_offset = search_offset
        self.v1_api = v1_api
        if projects is None:
            projects = {DEFAULT_REGION: project_id or DEFAULT_PROJECT_ID}
        self.projects = dict(projects)
        self.jobs: Dict[tuple, Job] = {}
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

    def find_v1(self, job_s: str, version_s: str):
        """(job, None) or (None, the v1 error for an unknown job or version)."""
        with self._lock:
            versions = [j for k, j in self.jobs.items() if k[1] is not None and str(k[0]) == job_s]
        if not versions:
            return None, modelarts_error("ModelArts.2775", "training job not found: job_id %s" % job_s)
        job = next((j for j in versions if str(j.version_id) == version_s), None)
        if job is None:
            return None, modelarts_error(
                "ModelArts.2775", "training job version not found: job_id %s, version_id %s" % (job_s, version_s))
        return job, None

    def find_v2(self, job_id: str) -> Optional[Job]:
        with self._lock:
            return self.jobs.get((job_id, None))

    def read(self, job: Job, f, now: float, base: Optional[int], n: int, onward: bool) -> pages.Page:
        """A page of log file f as this server's options cut it (raises pages.BadArgument)."""
        return pages.read(f, job.visible(now), base, n, onward, inclusive=self.inclusive,
                          strict=self.strict_positions, trailing_newline=self.trailing_newline)

    # -- routing -----------------------------------------------------------

    def handle(self, method: str, path: str, query: Dict[str, str], request_id: str, body: bytes = b"") -> Response:
        route, args = _match(path)
        if route is None or route.method != method or (route.family == "v1" and not self.v1_api):
            # A region without the old API answers its paths as it answers any unknown one.
            return no_such_api(request_id)
        if route.family in ("v1", "v2"):
            project, args = args[0], args[1:]
            if self.project_id is not None and project != self.project_id:
                error = modelarts_error if route.family == "v1" else v2_error
                return error("ModelArts.0210", "The project ID in the URL does not match the token.", 403)
        return route.handler(self, args, query, body)

