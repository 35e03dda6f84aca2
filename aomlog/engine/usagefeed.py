"""Tasks' resource use, read side by side, once or (follow) each minute until the job ends.

The API keeps one value a minute (docs/api-v2-job.md), so a follow reads again a minute
later; each reading comes with the time its last values stand for: the job's end once it
is over, else now. A follow is the shared ``Follower``'s (``engine/follow.py``), with a
``UsageReader`` as its one source, read and its job's state asked each minute: a reading's
failure is retried on its own, and the state is asked on time whatever the readings' faults;
once the job is final, it is read once more, with the job's end, and the follow is over.
"""

from __future__ import annotations

import functools
from typing import Callable, Dict, Generator, Iterator, Optional, Sequence, Tuple

from aomlog.api.family import JobApi, JobRef, JobState, JobStory
from aomlog.api.story import Usage
from aomlog.engine.follow import Follower, Outage, Timing, items
from aomlog.engine.settings import Collaborators
from aomlog.engine.sidebyside import side_by_side
from aomlog.errors import NotFoundError
from aomlog.transport.backoff import Backoff

EVERY = 60.0  # seconds between readings: the API's values are a minute apart
Reading = Tuple[Dict[str, Usage], int]  # task -> usage, and the time (epoch ms) the last values stand for


class UsageReader:
    """A ``Source`` of readings: each ``onward()`` hands out one reading of the tasks' usage,
    with the job's story it was read with; none once a reading stands for the job's end
    (nothing more is to come).

    A reading and the follow's question of the job's state are the same request (the job's
    story): a story read less than ``FRESH`` seconds before serves both, so that a follow
    makes that request once a minute, as it always has.
    """

    FRESH = 10.0

    def __init__(self, api: JobApi, job: JobRef, *, tasks: Sequence[str], metrics: Sequence[str],
                 wall: Callable[[], float], clock: Callable[[], float]):
        self.api = api
        self.job = job
        self.tasks = list(tasks)
        self.metrics = {m.lower() for m in metrics}
        self.wall = wall
        self.clock = clock
        self.story: Optional[JobStory] = None  # the newest read
        self.story_at = -float("inf")  # the clock's time it was read
        self.ended = False  # a reading stood for the job's end

    def onward(self) -> Iterator[Reading]:
        if not self.ended:
            yield self.read()

    def state(self) -> JobState:
        return self._story().state

    def read(self) -> Reading:
        story = self._story()
        tasks = self.tasks or story.tasks
        unknown = [task for task in tasks if story.tasks and task not in story.tasks]
        if unknown:  # said as tail says it, before a call for each
            raise NotFoundError(f"{self.job} has no task {', '.join(unknown)}", f"Its tasks: {', '.join(story.tasks)}.")
        calls = [functools.partial(_usage, job=self.job, task=task) for task in tasks]
        usages: Dict[str, Usage] = {}
        for task, got in zip(tasks, side_by_side(self.api, calls)):
            if isinstance(got, Exception):
                raise got
            usages[task] = {m: v for m, v in got.items() if not self.metrics or m.lower() in self.metrics}
        end = story.end_ms
        self.ended = end is not None and story.state.phase.final
        return usages, end if end is not None else int(self.wall() * 1000)

    def _story(self) -> JobStory:
        if self.story is None or self.clock() - self.story_at > self.FRESH:
            self.story, self.story_at = self.api.story(self.job), self.clock()
        return self.story


class UsageFeed:
    """Readings of the tasks' usage; with follow, the generator's value is the job's final state.

    Args:
        api, job: the job's API family and the job.
        tasks: the tasks to read (none: all the job's).
        metrics: only these metrics (none: all).
        follow: read again each ``every`` seconds until the job ends.
        wall: now, in epoch seconds (the time a running job's last values stand for).
        using: clock, sleep, notices, debug.
    """

    def __init__(self, api: JobApi, job: JobRef, *, tasks: Sequence[str] = (), metrics: Sequence[str] = (),
                 follow: bool = False, every: float = EVERY, wall: Callable[[], float],
                 using: Collaborators = Collaborators()):
        self.reader = UsageReader(api, job, tasks=tasks, metrics=metrics, wall=wall, clock=using.clock)
        self.follow = follow
        self.every = every
        self.using = using

    def readings(self) -> Generator[Reading, None, Optional[JobState]]:
        if not self.follow:  # one reading: its failures are the command's
            yield self.reader.read()
            return None
        using, reader = self.using, self.reader
        # Read, and the state asked, each minute whether readings come or not; the end read at
        # once, with no grace: a reading after the job's end holds nothing new.
        timing = Timing(interval=self.every, max_interval=self.every, growth=1.0, status_after=(),
                        status_every=self.every, grace=0.0)
        outage = Outage(using.notify, Backoff(1.0, 30.0), using.clock, debug=using.debug)
        follower: Follower[UsageReader, Reading] = Follower(
            [reader], reader.state, timing=timing, clock=using.clock, sleep=using.sleep, outage=outage)
        return (yield from items(follower.run()))


def _usage(api: JobApi, *, job: JobRef, task: str) -> Usage:
    return api.usage(job, task)
