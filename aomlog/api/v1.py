"""The legacy (v1) training API: jobs with versions, one log file per worker.

``GET /v1/{project}/training-jobs/{job}/versions/{version}/aom-log`` pages a log
file; ``.../log/file-names`` lists the files; the version's detail has an integer
``status``; ``GET /v1/{project}/training-jobs`` lists jobs (docs/api-v1.md,
docs/api-v2.md). Documented: ``desc`` reads onward, ``asc`` back.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence
from urllib.parse import quote

from aomlog.api.family import BACK, ONWARD, JobApi, JobInfo, JobRef, JobState, JobStory, Page, Phase, Target, log_query
from aomlog.api.story import Event, Stage, TaskPlace, Usage
from aomlog.api.fields import page_of, whole
from aomlog.errors import ApiError, NotFoundError, UsageError

STATUS_NAMES = {
    0: "UNKNOWN", 1: "INIT", 2: "IMAGE_CREATING", 3: "IMAGE_FAILED", 4: "SUBMIT_TRYING",
    5: "SUBMIT_FAILED", 6: "DELETE_FAILED", 7: "WAITING", 8: "RUNNING", 9: "KILLING",
    10: "COMPLETED", 11: "FAILED", 12: "KILLED", 13: "CANCELED", 14: "LOST", 15: "SCALING",
    16: "SUBMIT_MODEL_FAILED", 17: "DEPLOY_SERVICE_FAILED", 18: "CHECK_INIT", 19: "CHECK_RUNNING",
    20: "CHECK_RUNNING_COMPLETED", 21: "CHECK_FAILED", 22: "MOUNT_FAILED",
}
# The docs do not say which states are final; these are, by their names (docs/api-v1.md).
FINAL = {3, 5, 6, 10, 11, 12, 13, 14, 16, 17, 20, 21, 22}
SUCCESS = {10, 20}
# Before the job runs: no log file exists yet.
NOT_STARTED = {1, 2, 4, 7, 18}
LIST_PAGE = 50


def phase_of(status: Optional[int]) -> Phase:
    if status is None or status == 0 or status not in STATUS_NAMES:
        return Phase.UNKNOWN
    if status in SUCCESS:
        return Phase.SUCCEEDED
    if status in FINAL:
        return Phase.FAILED
    if status in NOT_STARTED:
        return Phase.WAITING
    return Phase.RUNNING


def state_of(status: Any, duration: Any) -> JobState:
    try:
        code: Optional[int] = int(status)
    except (TypeError, ValueError):
        code = None
    name = STATUS_NAMES.get(code, f"status {status}") if code is not None else "UNKNOWN"
    return JobState(phase_of(code), name, duration_ms=whole(duration))


class V1Api(JobApi):
    family = "v1"
    stream_word = "log file"
    order_words = {ONWARD: "desc", BACK: "asc"}

    def _jobs_path(self) -> str:
        return "/v1/{}/training-jobs".format(quote(self.client.project_id, safe=""))

    def _version_path(self, job: JobRef) -> str:
        return "{}/{}/versions/{}".format(self._jobs_path(), quote(job.job_id, safe=""),
                                          quote(job.version or "", safe=""))

    def streams(self, job: JobRef) -> List[str]:
        body = self.client.get(self._version_path(job) + "/log/file-names", what=str(job))
        names = body.get("log_file_list")
        if isinstance(names, str):  # the docs type the field as a String
            names = [n.strip() for n in names.split(",") if n.strip()]
        if not isinstance(names, list):
            raise ApiError("the file-names call returned no 'log_file_list'",
                           "This endpoint may not be a ModelArts API; check it.", about="endpoint.not_modelarts")
        return list(dict.fromkeys(str(n) for n in names))

    def fetch(self, target: Target, base_line: Optional[str], lines: int, order: str) -> Page:
        params = {"log_file": target.stream, **log_query(base_line, lines, order)}
        body = self.client.get(self._version_path(target.job) + "/aom-log", params,
                               what=f"log file '{target.stream}' of {target.job}")
        return page_of(body)

    def state(self, job: JobRef) -> JobState:
        detail = self.client.get(self._version_path(job), what=str(job))
        return state_of(detail.get("status"), detail.get("duration"))

    def newest_version(self, job_id: str) -> str:
        """The id of the job's newest version."""
        versions: List[dict] = []
        page = 1
        while True:  # the order of the list is not documented: the newest may be on any page
            body = self.client.get(f"{self._jobs_path()}/{quote(job_id, safe='')}/versions",
                                   {"per_page": str(LIST_PAGE), "page": str(page)}, what=f"job {job_id}")
            rows = [v for v in body.get("versions") or [] if isinstance(v, dict)]
            versions += [v for v in rows if v.get("version_id") is not None]
            total = whole(body.get("version_count"))
            if len(rows) < LIST_PAGE or total is None or page * LIST_PAGE >= total:
                break
            page += 1
        if not versions:
            raise NotFoundError(f"job {job_id} has no versions", "Check the job id: 'aomlog jobs' lists your jobs.")
        # Newest by creation time whatever order the page came in (the docs do not say).
        newest = max(versions, key=lambda v: (whole(v.get("create_time")) or 0, whole(v.get("version_id")) or 0))
        return str(newest["version_id"])

    def jobs(self, *, name: Optional[str] = None, limit: int = 20, phases: Sequence[str] = (),
             exact: bool = False) -> List[JobInfo]:
        if phases and not _any_known(phases):
            return []  # no v1 state is called that: the list need not be read through
        found: List[JobInfo] = []
        page = 1
        while len(found) < limit:
            params = {"per_page": str(LIST_PAGE), "page": str(page), "sortBy": "create_time", "order": "desc"}
            if name:
                params["search_content"] = name
            body = self.client.get(self._jobs_path(), params, what="the v1 job list")
            rows = [r for r in body.get("jobs") or [] if isinstance(r, dict)]
            for row in rows:
                info = _info(row)
                if (not phases or _matches(info.state, phases)) and (not exact or info.name == name):
                    found.append(info)
            total = whole(body.get("job_total_count"))
            if len(rows) < LIST_PAGE or (total is not None and page * LIST_PAGE >= total):
                break
            page += 1
        return found[:limit]

    # The old API has no events, stages, task exits or usage (docs/api-v2-job.md): say so, never guess.

    def events(self, job: JobRef, *, level: Optional[str] = None, since_ms: Optional[int] = None) -> List[Event]:
        raise v2_only(job)

    def stage(self, job: JobRef) -> Optional[Stage]:
        raise v2_only(job)

    def places(self, job: JobRef) -> List[TaskPlace]:
        raise v2_only(job)

    def story(self, job: JobRef) -> JobStory:
        raise v2_only(job)

    def usage(self, job: JobRef, task: str) -> Usage:
        raise v2_only(job)


def v2_only(job: JobRef) -> UsageError:
    return UsageError(f"{job} is a v1 job: events, stages, task exits and resource use exist only for v2 jobs",
                      "The old API has no such calls; its log is all it tells ('aomlog tail JOB VERSION').")


def state_words() -> List[str]:
    """The words ``jobs(phases=...)`` knows: the states' own names and the common phases."""
    return list(STATUS_NAMES.values()) + [p.value for p in Phase if p is not Phase.UNKNOWN]


def _any_known(phases: Sequence[str]) -> bool:
    known = {word.lower() for word in state_words()}
    return any(p.lower() in known for p in phases)


def _matches(state: JobState, phases: Sequence[str]) -> bool:
    words = {p.lower() for p in phases}
    return state.name.lower() in words or state.phase.value in words


def _info(row: dict) -> JobInfo:
    ref = JobRef("v1", str(row.get("job_id")), str(row.get("version_id")))
    state = state_of(row.get("status"), row.get("duration"))
    return JobInfo(ref, str(row.get("job_name") or ""), state, whole(row.get("create_time")),
                   extra={"version_count": row.get("version_count")})

