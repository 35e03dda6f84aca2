"""Both API families over one client: which family a job belongs to, and both families' jobs.

A UUID is a v2 job, an integer a v1 job (with a version); the start of a UUID (at least
4 characters) is the one v2 job among the newest whose id starts so; anything else (and
such a start that no job's id has) is a job's name, looked up in both families' job lists.
"""

from __future__ import annotations

import re
from typing import Callable, Dict, List, Optional, Sequence

from aomlog.api import v1, v2
from aomlog.api.family import JobApi, JobInfo, JobRef, Phase
from aomlog.api.v1 import V1Api
from aomlog.api.v2 import V2Api
from aomlog.errors import NoSuchApi, NotFoundError, UsageError
from aomlog.threads import Background
from aomlog.timefmt import local_time
from aomlog.transport.client import Client

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
FIND_LIMIT = 50
UUID_FORM = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
PREFIX_AT_LEAST = 4  # as git: a shorter start picks too many
PREFIX_SCAN = 200  # the newest v2 jobs a start of an id is looked for among (4 pages of the search)


def state_words() -> List[str]:
    """Every state ``Apis.jobs(phases=...)`` knows, each once in one spelling: the common phases in
    lower case (waiting, running, succeeded, failed), then v2's states as v2 spells them (Pending),
    then the states only v1 has in v1's capitals (KILLED). Every family matches a state's word
    case-insensitively, so ``Running`` and ``RUNNING`` are one word, offered once."""
    common = [p.value for p in Phase if p is not Phase.UNKNOWN]
    by_case: Dict[str, str] = {}
    for word in common + v2.state_words() + v1.state_words():
        by_case.setdefault(word.lower(), word)
    return list(by_case.values())


def family_of(job: str) -> Optional[str]:
    """"v2" for a UUID, "v1" for an integer id, None for anything else (a name)."""
    if UUID.match(job):
        return "v2"
    if job.isascii() and job.isdigit():
        return "v1"
    return None


def is_id_prefix(job: str) -> bool:
    """Whether ``job`` could be the start of a v2 job's id (a UUID), as ``aomlog jobs`` shows it."""
    return PREFIX_AT_LEAST <= len(job) < len(UUID_FORM) and all(
        (ch in "0123456789abcdefABCDEF") if form == "x" else ch == form for ch, form in zip(job, UUID_FORM))


class Apis:
    """Both families over one client: which family a job is in, and both families' jobs.

    Args:
        client: the transport both families call through.
        lists_together: whether both families' job lists may be asked at once. Only when the
            credential is known to be good: a key pair not yet accepted is sent once, not twice
            at once (the gateway locks a pair after five rejections in a row).
    """

    def __init__(self, client: Client, *, lists_together: bool = False) -> None:
        self.client = client
        self.lists_together = lists_together
        self.v1 = V1Api(client)
        self.v2 = V2Api(client)

    def of(self, job: JobRef) -> JobApi:
        return self.v2 if job.api == "v2" else self.v1

    def resolve(self, job: str, version: Optional[str] = None) -> JobRef:
        """The job named on the command line: an id of either family, or a job's exact name."""
        family = family_of(job)
        if family == "v2":
            if version is not None:
                raise UsageError(f"job {job} is a v2 job, which has no versions",
                                 f"Leave out VERSION: 'aomlog tail {job}'.")
            return JobRef("v2", job.lower())
        if family == "v1":
            return JobRef("v1", job, version if version is not None else self.v1.newest_version(job))
        found = self._by_prefix(job, version) if is_id_prefix(job) else None
        return found or self._by_name(job, version)

    def _by_prefix(self, prefix: str, version: Optional[str]) -> Optional[JobRef]:
        """The one v2 job, of the newest few hundred, whose id starts with ``prefix``; None: none does."""
        start = prefix.lower()
        found = [info for info in self.v2.jobs(limit=PREFIX_SCAN) if info.ref.job_id.lower().startswith(start)]
        if not found:
            return None
        if len(found) > 1:
            listed = "; ".join(f"{info.ref.job_id} '{info.name}' (created {local_time(info.created_ms)})"
                               for info in found)
            raise UsageError(f"{len(found)} jobs' ids start with '{prefix}': {listed}",
                             "Pass more of the id: enough to pick one job.")
        if version is not None:
            raise UsageError(f"job {found[0].ref.job_id} is a v2 job, which has no versions",
                             f"Leave out VERSION: 'aomlog tail {prefix}'.")
        return found[0].ref

    def _by_name(self, name: str, version: Optional[str]) -> JobRef:
        found = self.jobs(name=name, limit=FIND_LIMIT, exact=True)
        if not found:
            raise NotFoundError(f"no job is named '{name}'",
                                "The job list ('aomlog jobs') finds the jobs whose names contain it; "
                                "or pass the job's id.", about="job.name", facts={"name": name})
        if len(found) > 1:
            listed = "; ".join(f"{info.ref.job_id} ({info.ref.api}, created {local_time(info.created_ms)})"
                               for info in found)
            raise UsageError(f"{len(found)} jobs are named '{name}': {listed}", "Pass the id of the one you mean.")
        ref = found[0].ref
        if version is None:
            return ref
        if ref.api == "v2":
            raise UsageError(f"job '{name}' ({ref.job_id}) is a v2 job, which has no versions",
                             f"Leave out VERSION: 'aomlog tail {name}'.")
        return JobRef("v1", ref.job_id, version)

    def jobs(self, *, name: Optional[str] = None, limit: int = 20, phases: Sequence[str] = (),
             exact: bool = False) -> List[JobInfo]:
        """The newest jobs of both families, newest first; a region without the old API shows v2 alone."""
        def old_list(api: JobApi) -> List[JobInfo]:
            return _unless_missing(lambda: api.jobs(name=name, limit=limit, phases=phases, exact=exact))

        if self.lists_together:
            # Two lists at once: each is a round trip, and users sit far from their region.
            # The old family's is asked in a daemon thread, so that Ctrl-C need not wait for it.
            v1 = Background(lambda: old_list(self.v1.clone()), "aomlog-list")
            rows = self.v2.jobs(name=name, limit=limit, phases=phases, exact=exact) + v1.result()
        else:  # a pair not known to be good: one rejection, not two (five in a row lock it)
            rows = self.v2.jobs(name=name, limit=limit, phases=phases, exact=exact) + old_list(self.v1)
        rows.sort(key=lambda info: info.created_ms or 0, reverse=True)
        return rows[:limit]


def _unless_missing(call: Callable[[], List[JobInfo]]) -> List[JobInfo]:
    try:
        return call()
    except NoSuchApi:  # a region without the old training API
        return []
