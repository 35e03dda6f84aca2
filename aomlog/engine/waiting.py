"""Waiting for a followed job to start: its state looked at every few seconds, one status
line saying what it is doing, failures of the API ridden out as while following."""

from __future__ import annotations

from typing import Optional, Tuple

from aomlog.api.family import JobApi, JobRef, JobState, Phase
from aomlog.engine.follow import Outage
from aomlog.engine.settings import Collaborators
from aomlog.engine.streams import Streams, needs_listing

# While a job waits to start: the first and the longest wait between looks at it. Its first lines
# are what the user waits for, so the wait stays short (a pending job costs a request in 3 s).
START_POLL = (1.0, 3.0)


class Waiting:
    """The wait for one job: ``until_started()`` gives its state once it runs or is over."""

    def __init__(self, api: JobApi, job: JobRef, choice: Streams, outage: Outage, using: Collaborators):
        self.api = api
        self.job = job
        self.choice = choice
        self.outage = outage
        self.using = using

    def until_started(self) -> Tuple[JobState, bool]:
        """The job's state once it runs (or is over), and whether it had to be waited for."""
        try:
            return self._poll()
        except BaseException:  # Ctrl-C, an error: the shell's prompt (or the Error:) gets a clean line
            self.using.status(None)
            raise

    def _poll(self) -> Tuple[JobState, bool]:
        waited, wait = False, START_POLL[0]
        shown: Optional[Tuple[str, Optional[str]]] = None
        while True:
            state = self._state()
            if state is None:
                self.using.sleep(self.outage.wait())
                continue
            if state.phase is not Phase.WAITING and (state.phase.final or state.streams):
                if waited:
                    self.using.status(None)
                    self.using.notify(f"aomlog: {self.job} is {state.shown}")
                return state, waited
            why = self.using.story.why_waiting() if self.using.story else None
            if (state.shown, why) != shown:
                shown = (state.shown, why)
                doing = why or "waiting for it to start"  # why it waits, when the job says
                self.using.status(f"aomlog: {self.job} is {state.shown}: {doing} (Ctrl-C to stop)")
            waited = True
            self.using.sleep(wait)
            wait = min(wait * 1.5, START_POLL[1])

    def _state(self) -> Optional[JobState]:
        """The job's state, with its streams where they are needed; None when the API failed."""
        state = self.outage.attempt(lambda: self.api.state(self.job))
        if state is not None and state.streams is None and needs_listing(self.choice, state):
            # Listed here, through the outage, never later unguarded: a blip is no "not started".
            streams = self.outage.attempt(lambda: self.api.streams(self.job))
            if streams is None:
                return None
            state.streams = streams
        return state
