"""Which streams (log files, tasks) to read, checked before a line is printed, and what a
missing one means: a job that has not started, or a name that is not the job's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from aomlog.api.family import JobApi, JobRef, JobState, Phase
from aomlog.errors import NotFoundError, UsageError


@dataclass(frozen=True)
class Streams:
    """Which streams to read: the ones named, every one, or (neither) the job's only one."""

    names: Tuple[str, ...] = ()
    every: bool = False


def choose(api: JobApi, job: JobRef, choice: Streams, state: Optional[JobState]) -> List[str]:
    """The streams to read. ``state``: the job's, when a follow has just read it (with its
    streams, when it named them); [] only for a followed job that ended before it started."""
    word = api.stream_word
    free = state.streams if state is not None else None  # the state call named them
    if len(choice.names) == 1 and free is None:
        return list(choice.names)  # checked by its first page: a round trip saved
    known = free if free is not None else api.streams(job)
    if not known:
        if state is not None and state.phase.final:
            return []
        raise _no_streams(api, job)
    if choice.every:
        return list(known)
    if choice.names:
        unknown = [name for name in choice.names if name not in known]
        if unknown:
            raise NotFoundError(f"{job} has no {word} {', '.join(unknown)}", f"Its {word}s: {', '.join(known)}.")
        return list(choice.names)
    if len(known) == 1:
        return known
    raise UsageError(f"{job} has {len(known)} {word}s: {', '.join(known)}",
                     f"Name the {word}s to read (one or several), or read them all.",
                     about="streams.several", facts={"family": job.api, "first": known[0]})


def needs_listing(choice: Streams, state: JobState) -> bool:
    """Whether a follow must list the streams of a job in ``state``: a running job may have none
    yet; an ended job's are wanted unless one was named (``choose`` lets its first page check it)."""
    if state.phase is Phase.WAITING:
        return False
    return not state.phase.final or len(choice.names) != 1


def explain(api: JobApi, job: JobRef, stream: str) -> None:
    """Raise what a "no such log" of ``stream`` means to the user, if more than that: the job has
    not started, or ``stream`` is not one of its streams."""
    api = api.clone()  # a reader may still be using the job's own connection
    state = api.state(job)  # raises the job's own "not found" if it is the job that is missing
    if state.phase is Phase.WAITING:
        raise not_started(job, state) from None
    known = state.streams if state.streams is not None else api.streams(job)
    if known and stream not in known:
        raise NotFoundError(f"{job} has no {api.stream_word} {stream}",
                            f"Its {api.stream_word}s: {', '.join(known)}.") from None


def not_started(job: JobRef, state: JobState) -> NotFoundError:
    return NotFoundError(f"{job} has not started yet ({state.shown})",
                         "Follow it to wait for it to start and read its log.", about="follow.not_started")


def _no_streams(api: JobApi, job: JobRef) -> NotFoundError:
    state = api.state(job)
    if state.phase is Phase.WAITING:
        return not_started(job, state)
    return NotFoundError(f"{job} has no {api.stream_word}s yet ({state.shown})",
                         "The job may still be starting; follow it to wait for its log.",
                         about="follow.no_streams")
