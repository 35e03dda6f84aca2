"""The ModelArts APIs behind one interface.

``family.JobApi`` is what the engine needs of an API family (a job's streams, one page of
one stream, its state, job lists) with the values that travel between them; ``v1`` and
``v2`` implement it; ``apis.Apis`` holds both over one client and tells which family a
job belongs to. ``Observer`` is the transport's: what a client's clone may be told.

The values are imported at once; ``Apis`` and the rest when first asked for, as they bring
the transport (requests) with them: output/ and the engine use the values alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aomlog.api.family import BACK, ONWARD, JobApi, JobInfo, JobRef, JobState, Page, Phase, Target

if TYPE_CHECKING:
    from aomlog.api.apis import Apis, family_of, state_words
    from aomlog.transport.observer import Observer

_LATER = {"Apis": "aomlog.api.apis", "family_of": "aomlog.api.apis", "state_words": "aomlog.api.apis",
          "Observer": "aomlog.transport.observer"}

__all__ = ["Apis", "JobApi", "JobInfo", "JobRef", "JobState", "Observer", "Page", "Phase", "Target", "ONWARD",
           "BACK", "family_of", "state_words"]


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LATER[name]), name)
