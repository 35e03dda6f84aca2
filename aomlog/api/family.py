"""What every API family offers the rest of aomlog, and the values that travel between them.

The v1 (legacy) and v2 training APIs differ in paths, ids, the word for a log
(a file of a version, or a task of a job) and the names of job states, but the
engine needs only this: which streams a job has, one page of one stream, the
job's state, and lists of jobs. ``JobApi`` is that interface; ``v1`` and ``v2``
implement it, and nothing outside ``aomlog/api/`` knows a family's paths.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from aomlog.api.story import Event, Recovery, Stage, TaskEnd, TaskPlace, Usage
from aomlog.transport.observer import Observer

ONWARD, BACK = "onward", "back"  # directions of reading; each family has its own words for them
MAX_LINES = 500  # the most lines one log call may ask for (the SDK's range for ``lines`` is 1..500)


def log_query(base_line: Optional[str], lines: int, order: str) -> Dict[str, str]:
    """A log call's query as the official SDK sends it: a parameter not set is left out (never
    ``base_line=``), and ``lines`` is within 1..500."""
    query = {"lines": str(max(1, min(MAX_LINES, lines))), "order": order}
    if base_line:
        query["base_line"] = base_line
    return query


@dataclass(frozen=True)
class JobRef:
    """A job as the API knows it: ``version`` is the v1 version id, None for a v2 job."""

    api: str  # "v1" or "v2"
    job_id: str
    version: Optional[str] = None

    def __str__(self) -> str:
        if self.version is not None:
            return f"job {self.job_id} version {self.version}"
        return f"job {self.job_id}"


@dataclass(frozen=True)
class Target:
    """One stream of one job: a v1 log file or a v2 task."""

    job: JobRef
    stream: str


@dataclass
class Page:
    """One answer of a log call.

    ``text`` is the page's lines, each ending in exactly one ``\\n`` ("" when
    empty), so that pages concatenate into the log without lost or doubled lines.
    ``start_line``/``end_line`` are the positions the server gave, as exact decimal strings.
    """

    text: str
    count: int
    start_line: Optional[str]
    end_line: Optional[str]

    @property
    def lines(self) -> List[str]:
        return self.text.split("\n")[:-1] if self.text else []


class Phase(enum.Enum):
    """Where a job is in its life, whatever the family calls it."""

    WAITING = "waiting"  # created, not yet running: no log to read yet
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # any final state but success
    UNKNOWN = "unknown"

    @property
    def final(self) -> bool:
        return self in (Phase.SUCCEEDED, Phase.FAILED)


@dataclass
class JobState:
    """A job's state: the phase that decides, and the family's own words that the user sees."""

    phase: Phase
    name: str  # e.g. "RUNNING" (v1), "Pending" (v2)
    detail: Optional[str] = None  # v2's secondary phase, shown, never decided on
    duration_ms: Optional[int] = None
    streams: Optional[List[str]] = None  # the job's streams, when the state call names them (v2)

    @property
    def shown(self) -> str:
        return f"{self.name} ({self.detail})" if self.detail and self.detail != self.name else self.name


@dataclass
class JobInfo:
    """One row of a job list."""

    ref: JobRef
    name: str
    state: JobState
    created_ms: Optional[int]
    streams: Optional[int] = None  # how many files or tasks, when the list says
    extra: Dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class JobStory:
    """The job's detail as ``status`` shows it: its state, tasks' exits, runs and recoveries."""

    ref: JobRef
    name: str
    state: JobState
    created_ms: Optional[int]
    tasks: List[str]
    ends: List[TaskEnd] = field(default_factory=list)
    runs: int = 0
    recoveries: List[Recovery] = field(default_factory=list)
    start_ms: Optional[int] = None  # when it started running, once it has

    @property
    def end_ms(self) -> Optional[int]:
        """When it ended: its start and its duration, once it is over."""
        if not self.state.phase.final or self.start_ms is None or self.state.duration_ms is None:
            return None
        return self.start_ms + self.state.duration_ms


@dataclass(frozen=True)
class JobReport:
    """All a job tells besides its log, as ``status`` shows it.

    Args:
        story: its state, tasks' exits, runs and recoveries.
        stage: its current run's newest stage (None when not known).
        places: where each task runs.
        events: its last Warning and Error events, oldest first.
        usage: each task's resource use (tasks without any left out).
        missing: what could not be read (what -> why): the rest is shown without it.
    """

    story: JobStory
    stage: Optional[Stage] = None
    places: List[TaskPlace] = field(default_factory=list)
    events: List[Event] = field(default_factory=list)
    usage: Dict[str, Usage] = field(default_factory=dict)
    missing: Dict[str, str] = field(default_factory=dict)


class JobApi:
    """The interface of an API family. Positions are passed through untouched; the order word
    for each direction is the family's documented guess, which ``paging.Direction`` checks."""

    family = ""
    stream_word = "stream"  # "log file" or "task", for messages
    order_words: Dict[str, str] = {}  # ONWARD/BACK -> the word documented for it
    # The smallest page asked for: v2 refuses 0, and a page of 0 lines from v1 tells
    # nothing a page of 1 does not.
    min_lines = 1

    client: Any = None  # the transport (aomlog.transport.client.Client); None in tests' fakes

    def __init__(self, client: Any):
        self.client = client

    def clone(self, *, share_session: bool = False, retries: Optional[float] = None,
              observers: Sequence[Observer] = (), deaf_retries: bool = False) -> "JobApi":
        """The same API over ``client.clone(...)`` with these keywords (see ``Client.clone``):
        a connection of its own for another thread, other retries, more observers."""
        return type(self)(self.client.clone(share_session=share_session, retries=retries, observers=observers,
                                            deaf_retries=deaf_retries))

    def streams(self, job: JobRef) -> List[str]:
        raise NotImplementedError

    def fetch(self, target: Target, base_line: Optional[str], lines: int, order: str) -> Page:
        raise NotImplementedError

    def state(self, job: JobRef) -> JobState:
        raise NotImplementedError

    def jobs(self, *, name: Optional[str] = None, limit: int = 20,
             phases: Sequence[str] = (), exact: bool = False) -> List[JobInfo]:
        """The newest jobs whose names contain ``name`` (or are ``name``, when exact)."""
        raise NotImplementedError

    # What a job tells besides its log (docs/api-v2-job.md): v2 jobs only; v1 raises a UsageError.

    def events(self, job: JobRef, *, level: Optional[str] = None, since_ms: Optional[int] = None) -> List[Event]:
        """Every event (of ``level``; at or after ``since_ms``), oldest first, each once."""
        raise NotImplementedError

    def stage(self, job: JobRef) -> Optional[Stage]:
        """The current run's newest stage; None before there is one."""
        raise NotImplementedError

    def places(self, job: JobRef) -> List[TaskPlace]:
        """Where each task runs (its newest scheduling round)."""
        raise NotImplementedError

    def story(self, job: JobRef) -> JobStory:
        """The job's state, its tasks' exits, its runs and fault recoveries (one call: its detail)."""
        raise NotImplementedError

    def usage(self, job: JobRef, task: str) -> Usage:
        """The task's resource use: metric -> one value a minute, oldest first."""
        raise NotImplementedError
