"""The training API of every job created since mid-2023 (v2): UUID ids, one log per task.

``GET /v2/{project}/training-jobs/{id}/logs/{task}`` pages a task's log; the job's
detail (``GET /v2/{project}/training-jobs/{id}``) names its phase and its tasks;
``POST /v2/{project}/training-job-searches`` lists jobs (docs/api-v2.md).
The docs say ``asc`` reads old to new and ``desc`` new to old, the other way round
from v1, and it is not confirmed: ``paging.Direction`` checks it on the first pages.
"""

from __future__ import annotations

from itertools import islice
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple
from urllib.parse import quote

from aomlog.api.family import BACK, ONWARD, JobApi, JobInfo, JobRef, JobState, JobStory, Page, Phase, Target, log_query
from aomlog.api.fields import page_of, whole
from aomlog.api.story import Event, Stage, TaskPlace, Usage
from aomlog.api.storyfields import event_of, places_of, stage_of, story_of, usage_of
from aomlog.errors import AuthError

PHASES: Dict[str, Phase] = {
    "Creating": Phase.WAITING, "Pending": Phase.WAITING, "Running": Phase.RUNNING,
    "Terminating": Phase.RUNNING, "Completed": Phase.SUCCEEDED, "Failed": Phase.FAILED,
    "Terminated": Phase.FAILED, "Abnormal": Phase.FAILED,
}
SEARCH_PAGE = 50  # the API's largest `limit`
EVENTS_PAGE = 100  # the events call's largest `limit`
# The end of a window of events open to now (start_time and end_time go only together).
FAR_FUTURE_MS = 4102444800000  # 2100-01-01
EVENTS_PERMISSION = "modelarts:trainJob:listEvents"


def _part(item: dict, key: str) -> dict:
    """``item[key]`` when it is an object; {} when it is missing or anything else."""
    value = item.get(key)
    return value if isinstance(value, dict) else {}


def state_of(detail: dict) -> JobState:
    status = _part(detail, "status")
    phase = str(status.get("phase") or "Unknown")
    tasks = status.get("tasks")
    streams = list(dict.fromkeys(str(t) for t in tasks)) if isinstance(tasks, list) else None
    secondary = status.get("secondary_phase")
    return JobState(PHASES.get(phase, Phase.UNKNOWN), phase, detail=str(secondary) if secondary else None,
                    duration_ms=whole(status.get("duration")), streams=streams)


class V2Api(JobApi):
    family = "v2"
    stream_word = "task"
    order_words = {ONWARD: "asc", BACK: "desc"}  # as documented; not trusted (see paging.Direction)

    def _project(self) -> str:
        return "/v2/{}".format(quote(self.client.project_id, safe=""))

    def _job_path(self, job: JobRef) -> str:
        return "{}/training-jobs/{}".format(self._project(), quote(job.job_id, safe=""))

    def detail(self, job: JobRef) -> dict:
        return self.client.get(self._job_path(job), what=str(job))

    def streams(self, job: JobRef) -> List[str]:
        return self.state(job).streams or []

    def fetch(self, target: Target, base_line: Optional[str], lines: int, order: str) -> Page:
        params = log_query(base_line, lines, order)
        path = "{}/logs/{}".format(self._job_path(target.job), quote(target.stream, safe=""))
        body = self.client.get(path, params, what=f"task {target.stream} of {target.job}")
        return page_of(body)

    def state(self, job: JobRef) -> JobState:
        return state_of(self.detail(job))

    def jobs(self, *, name: Optional[str] = None, limit: int = 20, phases: Sequence[str] = (),
             exact: bool = False) -> List[JobInfo]:
        filters: List[dict] = []
        if name:
            filters.append({"key": "name", "operator": "like", "value": [name]})
        wanted = _phase_names(phases)
        if phases and not wanted:
            return []  # no v2 phase is called that
        if wanted:
            filters.append({"key": "phase", "operator": "in", "value": wanted})
        # An exact name is looked for among all the jobs whose names contain it.
        size = SEARCH_PAGE if exact else max(1, min(SEARCH_PAGE, limit))
        infos = (_info(item) for item in self._search(filters, size))
        return list(islice((i for i in infos if not exact or i.name == name), limit))

    def _search(self, filters: List[dict], size: int) -> Iterator[dict]:
        """The jobs the filters match, newest first, a page asked for as they are taken.

        Whether ``offset`` counts jobs or pages is ambiguous in the docs. The second request
        asks for ``offset=1``, which tells them apart: counting jobs, it repeats all but one
        of the first page; counting pages, it is the next page and repeats none (or only
        the few jobs created in between).
        """
        seen: Set[str] = set()
        by_pages: Optional[bool] = None
        requests = 0
        while True:
            if not requests:
                offset = 0
            elif by_pages is None:
                offset = 1
            else:
                offset = requests if by_pages else len(seen)
            body = self.client.post(f"{self._project()}/training-job-searches",
                                    {"offset": offset, "limit": size, "sort_by": "create_time",
                                     "order": "desc", "filters": filters}, what="the job search")
            requests += 1
            page = [i for i in body.get("items") or [] if isinstance(i, dict)]
            fresh = [i for i in page if _id(i) not in seen]
            if requests == 2:
                by_pages = 2 * (len(page) - len(fresh)) < len(page)
            for item in fresh:
                seen.add(_id(item))
                yield item
            total = whole(body.get("total"))
            # Nothing new ends it, but not on the probe: counting jobs, one job created since the
            # first answer makes offset=1 repeat only jobs already seen.
            if len(page) < size or (not fresh and requests > 2) or (total is not None and len(seen) >= total):
                return


    # -- what the job tells besides its log (docs/api-v2-job.md) -------------

    def events(self, job: JobRef, *, level: Optional[str] = None, since_ms: Optional[int] = None) -> List[Event]:
        params = {"order": "asc", "limit": str(EVENTS_PAGE)}
        if level:
            params["level"] = level
        if since_ms is not None:
            params.update(start_time=str(since_ms), end_time=str(FAR_FUTURE_MS))
        try:
            found = [event_of(item) for item in self._event_items(job, params)]
        except AuthError:
            # Whatever the gateway's words, the credential got this far: what it lacks is the permission.
            raise AuthError(f"listing the events of {job} was refused: it needs the permission {EVENTS_PERMISSION}",
                            f"Ask your account's administrator to grant {EVENTS_PERMISSION} (an IAM policy "
                            f"for ModelArts).") from None
        if all(e.time_ms is not None for e in found):  # oldest first, whichever way the server sorted
            found.sort(key=lambda e: e.time_ms or 0)
        return found

    def _event_items(self, job: JobRef, params: Dict[str, str]) -> Iterator[dict]:
        """Every event the query matches, each once, a page asked for as they are taken.

        Whether ``offset`` counts events or pages is not known (docs/api-v2-job.md). When the
        first page is full, the second asks for ``offset=1``: counting events, it starts with
        the first page's second event; counting pages, it is the next page.
        """
        path = f"{self._job_path(job)}/events"

        def page(offset: int) -> Tuple[List[dict], Optional[int]]:
            body = self.client.get(path, dict(params, offset=str(offset)), what=f"the events of {job}")
            return [i for i in body.get("events") or [] if isinstance(i, dict)], whole(body.get("total"))

        first, total = page(0)
        yield from first
        if len(first) < EVENTS_PAGE or (total is not None and total <= len(first)):
            return
        last, total = page(1)
        by_items = bool(last) and last[0] == first[1]
        fresh = last[len(first) - 1:] if by_items else last
        yield from fresh
        count, pages = len(first) + len(fresh), 2
        while len(last) == EVENTS_PAGE and fresh and (total is None or count < total):
            last, total = page(count if by_items else pages)
            fresh = last
            yield from fresh
            count, pages = count + len(fresh), pages + 1

    def stage(self, job: JobRef) -> Optional[Stage]:
        return stage_of(self.client.get(f"{self._job_path(job)}/stages", what=f"the stages of {job}"))

    def places(self, job: JobRef) -> List[TaskPlace]:
        return places_of(self.client.get(f"{self._job_path(job)}/tasks", what=f"the tasks of {job}").get("items"))

    def story(self, job: JobRef) -> JobStory:
        detail = self.detail(job)
        return story_of(job, detail, state_of(detail))

    def usage(self, job: JobRef, task: str) -> Usage:
        path = "{}/metrics/{}".format(self._job_path(job), quote(task, safe=""))
        return usage_of(self.client.get(path, what=f"the resource use of task {task} of {job}"))

def state_words() -> List[str]:
    """The words ``jobs(phases=...)`` knows: the phases' own names and the common phases."""
    return list(PHASES) + [p.value for p in Phase if p is not Phase.UNKNOWN]


def _phase_names(phases: Sequence[str]) -> List[str]:
    words = {p.lower() for p in phases}
    return [name for name, phase in PHASES.items() if name.lower() in words or phase.value in words]


def _id(item: dict) -> str:
    return str(_part(item, "metadata").get("id") or "")


def _info(item: dict) -> JobInfo:
    metadata = _part(item, "metadata")
    state = state_of(item)
    count = len(state.streams) if state.streams else None
    if count is None:
        count = whole(_part(_part(item, "spec"), "resource").get("node_count"))
    return JobInfo(JobRef("v2", _id(item)), str(metadata.get("name") or ""), state,
                   whole(metadata.get("create_time")), streams=count)

