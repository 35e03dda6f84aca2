"""Which handler answers a request: the table of routes, the kind of each call,
and the checks every route shares (the method, the region's API families, the
project id in the path).

A handler takes (api, path arguments, query, body) and returns a Response:
v1.py (one job version's calls), v2.py (one v2 job's calls), lists.py (job
lists and searches), projects.py (IAM's project lookup).
"""

from __future__ import annotations

import re
from typing import Callable, Dict, NamedTuple, Optional, Pattern, Tuple
from urllib.parse import unquote

from . import lists, story, v1, v2
from .api import Api
from .projects import list_projects
from .responses import Response, modelarts_error, no_such_api, v2_error

__all__ = ["REQUEST_KINDS", "Route", "ROUTES", "kind_of", "answer"]

# What kind of call a request is, for request_count and for faults aimed at one kind.
KIND_AOM_LOG = "aom-log"
KIND_FILE_NAMES = "file-names"
KIND_DETAIL = "detail"
KIND_VERSIONS = "versions"
KIND_V1_LIST = "v1-list"
KIND_V2_LOG = "v2-log"
KIND_V2_DETAIL = "v2-detail"
KIND_V2_EVENTS = "v2-events"
KIND_V2_STAGES = "v2-stages"
KIND_V2_TASKS = "v2-tasks"
KIND_V2_METRICS = "v2-metrics"
KIND_SEARCH = "search"
KIND_IAM = "iam"
KIND_OTHER = "other"
REQUEST_KINDS = (KIND_AOM_LOG, KIND_FILE_NAMES, KIND_DETAIL, KIND_VERSIONS, KIND_V1_LIST, KIND_V2_LOG,
                 KIND_V2_DETAIL, KIND_V2_EVENTS, KIND_V2_STAGES, KIND_V2_TASKS, KIND_V2_METRICS, KIND_SEARCH, KIND_IAM,
                 KIND_OTHER)

Handler = Callable[[Api, Tuple[str, ...], Dict[str, str], bytes], Response]


class Route(NamedTuple):
    method: str
    pattern: Pattern[str]
    kind: str
    family: str  # "v1" / "v2": a project id leads the path, errors in that family's shape; "iam": neither
    handler: Handler


def _route(method: str, template: str, kind: str, family: str, handler: Handler) -> Route:
    # "{}" is one path segment; a trailing slash is tolerated, as the gateway does.
    return Route(method, re.compile("^" + template.replace("{}", "([^/]+)") + "/?$"), kind, family, handler)


ROUTES = (
    _route("GET", "/v1/{}/training-jobs/{}/versions/{}/aom-log", KIND_AOM_LOG, "v1", v1.aom_log),
    _route("GET", "/v1/{}/training-jobs/{}/versions/{}/log/file-names", KIND_FILE_NAMES, "v1", v1.file_names),
    _route("GET", "/v1/{}/training-jobs/{}/versions/{}", KIND_DETAIL, "v1", v1.detail),
    _route("GET", "/v1/{}/training-jobs/{}/versions", KIND_VERSIONS, "v1", lists.v1_versions),
    _route("GET", "/v1/{}/training-jobs", KIND_V1_LIST, "v1", lists.v1_list),
    _route("GET", "/v2/{}/training-jobs/{}/logs/{}", KIND_V2_LOG, "v2", v2.log),
    _route("GET", "/v2/{}/training-jobs/{}/events", KIND_V2_EVENTS, "v2", story.events),
    _route("GET", "/v2/{}/training-jobs/{}/stages", KIND_V2_STAGES, "v2", story.stages),
    _route("GET", "/v2/{}/training-jobs/{}/tasks", KIND_V2_TASKS, "v2", story.tasks),
    _route("GET", "/v2/{}/training-jobs/{}/metrics/{}", KIND_V2_METRICS, "v2", story.metrics),
    _route("GET", "/v2/{}/training-jobs/{}", KIND_V2_DETAIL, "v2", v2.detail),
    _route("POST", "/v2/{}/training-job-searches", KIND_SEARCH, "v2", lists.search),
    _route("GET", "/v3/projects", KIND_IAM, "iam", list_projects),
)


def _match(path: str) -> Tuple[Optional[Route], Tuple[str, ...]]:
    for route in ROUTES:
        m = route.pattern.match(path)
        if m:
            return route, tuple(unquote(g) for g in m.groups())
    return None, ()


def kind_of(path: str) -> str:
    route, _ = _match(path)
    return route.kind if route else KIND_OTHER


def answer(api: Api, method: str, path: str, query: Dict[str, str], request_id: str, body: bytes = b"") -> Response:
    """The response of the service ``api`` to one request (faults and credentials aside)."""
    route, args = _match(path)
    if route is None or route.method != method or (route.family == "v1" and not api.v1_api):
        # A region without the old API answers its paths as it answers any unknown one.
        return no_such_api(request_id)
    if route.family in ("v1", "v2"):
        project, args = args[0], args[1:]
        if api.project_id is not None and project != api.project_id:
            error = modelarts_error if route.family == "v1" else v2_error
            return error("ModelArts.0210", "The project ID in the URL does not match the token.", 403)
    return route.handler(api, args, query, body)
