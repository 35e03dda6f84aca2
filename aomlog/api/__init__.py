"""The ModelArts APIs behind one interface.

``family.JobApi`` is what the engine needs of an API family (a job's streams, one page of
one stream, its state, job lists) with the values that travel between them; ``v1`` and
``v2`` implement it; ``apis.Apis`` holds both over one client and tells which family a
job belongs to. ``Observer`` is the transport's: what a client's clone may be told.
"""

from __future__ import annotations

from aomlog.api.apis import Apis, family_of, state_words
from aomlog.api.family import BACK, ONWARD, JobApi, JobInfo, JobRef, JobState, Page, Phase, Target
from aomlog.transport.observer import Observer

__all__ = ["Apis", "JobApi", "JobInfo", "JobRef", "JobState", "Observer", "Page", "Phase", "Target", "ONWARD",
           "BACK", "family_of", "state_words"]
