"""What a follow of a v2 job tells on stderr besides its log: why it waits, its new warning
and error events, its fault recoveries, and, at the end, how its tasks ended and why.

These calls are extras: the log goes on exactly as before when one fails or is refused (a
line with debug on, once per call; a refused call is not made again). The one call that
is not an extra is the job's detail, which the follow makes anyway for the job's state:
``state`` reads it as the job's story (``JobApi.story``), the same request, and its errors
are the follow's, as before. So what is new is told when the follow next asks for the job's
state (while the log flows, at most ``Timing.status_every`` apart). Events and recoveries
there before the first look are not told again (``status`` shows them), except that a job
seen waiting has had no recovery yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, List, Optional, Set, Tuple, TypeVar

from aomlog.api.family import JobApi, JobRef, JobState, JobStory
from aomlog.api.story import Event, Recovery, TaskEnd
from aomlog.errors import AomlogError, AuthError

T = TypeVar("T")
NOTICED = ("Warning", "Error")


@dataclass(frozen=True)
class Ending:
    """How a followed job ended: its tasks' non-zero exits and the reason, when known."""

    ends: List[TaskEnd] = field(default_factory=list)
    reason: Optional[str] = None


class StoryWatch:
    """The job's story, looked at whenever the follow looks at the job.

    Args:
        api, job: the job's API family (v2) and the job.
        notify: a notice for the user (one line, on stderr).
        debug: where a failed extra is told, when the user asked to see it.
        events: whether new warning and error events are told.
    """

    def __init__(self, api: JobApi, job: JobRef, notify: Callable[[str], None],
                 debug: Optional[Callable[[str], None]] = None, *, events: bool = True):
        self.api = api
        self.job = job
        self.notify = notify
        self.debug = debug
        self.events_on = events
        self.story: Optional[JobStory] = None
        self.seen_events: Optional[Set[Tuple[str, str, str, str]]] = None  # None until the first look
        self.seen_faults: Optional[Set[Tuple[Optional[int], str, str]]] = None
        self.last_error: Optional[Event] = None
        self.refused: Set[str] = set()
        self.failed: Set[str] = set()

    def why_waiting(self) -> Optional[str]:
        """The newest sub-stage's message (why the job is not running yet); new events told."""
        if self.seen_faults is None:  # seen before it runs: every recovery from here on is new
            self.seen_faults = set()
        self._events()
        stage = self._extra("stages", lambda: self.api.stage(self.job))
        return stage.message if stage is not None and stage.message else None

    def state(self) -> JobState:
        """The job's state, read with its story: new fault recoveries and events told."""
        story = self.api.story(self.job)
        self.story = story
        self._recoveries(story.recoveries)
        self._events()
        return story.state

    def ending(self) -> Ending:
        """The tasks that exited non-zero and the reason the job ended, from the last look."""
        if self.last_error is None:  # told or not, the errors say why it ended
            found = self._extra("events", lambda: self.api.events(self.job, level="Error"))
            for event in found or []:
                self.last_error = event
        if self.story is None:  # the job was over at the first look: the follow never asked through the watch
            self.story = self._extra("detail", lambda: self.api.story(self.job))
        ends = [end for end in (self.story.ends if self.story else []) if end.exit_code not in (None, 0)]
        reason = self.last_error.message if self.last_error is not None else None
        return Ending(ends, reason)

    def _recoveries(self, recoveries: List[Recovery]) -> None:
        keys = [(r.start_ms, r.task, r.scenario) for r in recoveries]
        if self.seen_faults is not None:
            for key, r in zip(keys, recoveries):
                if key not in self.seen_faults:
                    how = r.recover or "a restart"
                    done = f"being recovered by {how}" if r.result in ("", "recovering") else \
                        f"recovered by {how}: {r.result}"
                    self.notify(f"aomlog: fault recovery: {r.task or 'a task'} had a {r.scenario or 'fault'}"
                                f"{f' ({r.reason})' if r.reason else ''}; {done}")
        self.seen_faults = set(keys)

    def _events(self) -> None:
        if not self.events_on:
            return
        found = self._extra("events", lambda: self.api.events(self.job))
        if found is None:
            return
        first = self.seen_events is None
        seen = self.seen_events if self.seen_events is not None else set()
        for event in found:
            if event.level == "Error":
                self.last_error = event
            if event.key in seen:
                continue
            seen.add(event.key)
            if not first and event.level in NOTICED:
                self.notify(f"aomlog: {event.level} event ({event.source}): {event.message}")
        self.seen_events = seen

    def _extra(self, what: str, call: Callable[[], T]) -> Optional[T]:
        """``call()``, or None when it failed: said once with debug on; not made again once refused."""
        if what in self.refused:
            return None
        try:
            result = call()
        except AomlogError as err:
            if isinstance(err, AuthError):
                self.refused.add(what)
            if self.debug is not None and what not in self.failed:
                self.debug(f"aomlog: the job's {what} were not read (the log goes on): {err.message}")
            self.failed.add(what)
            return None
        return result
