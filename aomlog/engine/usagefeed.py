"""Tasks' resource use, read side by side, once or (follow) each minute until the job ends.

The API keeps one value a minute (docs/api-v2-job.md), so a follow reads again a minute
later; each reading comes with the time its last values stand for: the job's end once it
is over, else now. Failures while following are ridden out as in a follow of the log.
"""

from __future__ import annotations

import functools
from typing import Callable, Dict, Generator, Optional, Sequence, Tuple

from aomlog.api.family import JobApi, JobRef, JobState, JobStory
from aomlog.api.story import Usage
from aomlog.engine.follow import Outage
from aomlog.engine.settings import Collaborators
from aomlog.engine.sidebyside import side_by_side
from aomlog.transport.backoff import Backoff

EVERY = 60.0  # seconds between readings: the API's values are a minute apart
Reading = Tuple[Dict[str, Usage], int]  # task -> usage, and the time (epoch ms) the last values stand for


class UsageFeed:
    """Readings of the tasks' usage; with follow, the generator's value is the job's final state.

    Args:
        api, job: the job's API family and the job.
        tasks: the tasks to read (none: all the job's).
        metrics: only these metrics (none: all).
        follow: read again each ``every`` seconds until the job ends.
        wall: now, in epoch seconds (the time a running job's last values stand for).
        using: sleep, notices, debug.
    """

    def __init__(self, api: JobApi, job: JobRef, *, tasks: Sequence[str] = (), metrics: Sequence[str] = (),
                 follow: bool = False, every: float = EVERY, wall: Callable[[], float],
                 using: Collaborators = Collaborators()):
        self.api = api
        self.job = job
        self.tasks = list(tasks)
        self.metrics = {m.lower() for m in metrics}
        self.follow = follow
        self.every = every
        self.wall = wall
        self.using = using

    def readings(self) -> Generator[Reading, None, Optional[JobState]]:
        story = self.api.story(self.job)  # the first reading's failures are the command's
        yield self._read(story)
        if not self.follow:
            return None
        outage = Outage(self.using.notify, Backoff(1.0, 30.0), self.using.clock, debug=self.using.debug)
        while not story.state.phase.final:
            self.using.sleep(self.every)
            got = outage.attempt(self._again)
            while got is None:
                self.using.sleep(outage.wait())
                got = outage.attempt(self._again)
            story, reading = got
            yield reading
        return story.state

    def _again(self) -> Tuple[JobStory, Reading]:
        story = self.api.story(self.job)
        return story, self._read(story)

    def _read(self, story: JobStory) -> Reading:
        tasks = self.tasks or story.tasks
        calls = [functools.partial(_usage, job=self.job, task=task) for task in tasks]
        usages: Dict[str, Usage] = {}
        for task, got in zip(tasks, side_by_side(self.api, calls)):
            if isinstance(got, Exception):
                raise got
            usages[task] = {m: v for m, v in got.items() if not self.metrics or m.lower() in self.metrics}
        end = story.end_ms
        return usages, end if end is not None else int(self.wall() * 1000)


def _usage(api: JobApi, *, job: JobRef, task: str) -> Usage:
    return api.usage(job, task)
