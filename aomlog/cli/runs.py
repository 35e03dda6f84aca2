"""Several jobs on one command line (``aomlog metrics JOB [VERSION] [JOB [VERSION]] ...``): which
jobs the words name, what each is called, and an engine for each, read side by side.

A number right after a v1 job (its id, or its name) is that job's version; any other word is a
job. Every job is found before anything is read, so an unknown one ends the command (status 4,
naming it) before any output. ``--file``/``--all-files`` apply to the v1 jobs among them,
``--task``/``--all-tasks`` to the v2 jobs.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Tuple, TypeVar

from aomlog.api.apis import family_of
from aomlog.cli import reading as common
from aomlog.errors import UsageError

if TYPE_CHECKING:
    from aomlog.api import Apis
    from aomlog.api.family import JobRef
    from aomlog.cli.reading import Reading
    from aomlog.engine.cursorbook import CursorBook
    from aomlog.engine.keeper import Keeper
    from aomlog.engine.start import Start
    from aomlog.engine.tail import Tail

T = TypeVar("T")


class Runs:
    """The jobs named, each with its engine and the name it is shown by (``labels``); ``book``: the
    cursor file they share, when there are several and one is given."""

    def __init__(self, engines: List["Tail"], labels: List[str], book: Optional["CursorBook"] = None):
        self.engines = engines
        self.labels = labels
        self.book = book

    @property
    def several(self) -> bool:
        return len(self.engines) > 1

    def resumed(self) -> bool:
        """A shared cursor file held a position (asked once the first page is in: it has been read)."""
        return self.book is not None and self.book.resumed


def runs_for(reading: "Reading", conn: dict, words: Sequence[str], default_start: "Start", *,
             progress_always: bool, printer: Optional[Callable[[str], bool]],
             keeper: Callable[[], "Keeper"]) -> Runs:
    """The engines of the jobs ``words`` name; one job is read as ``engine_for`` reads it."""
    from aomlog.cli.env import current

    env = current()
    start = common.checked_start(reading)
    for word in words:
        common.check_ids(word, None)
    client = env.make_client(conn)
    apis = env.make_apis(client)
    refs = resolve_runs(apis, words, lambda: env.make_apis(client.clone()))
    if len(refs) == 1:
        ref, typed = refs[0]
        api = apis.of(ref).clone(share_session=True, retries=0 if reading.follow else None,
                                 observers=[common.RememberJob(ref)])
        streams = common.streams_for(ref, reading.files, reading.all_files, reading.tasks, reading.all_tasks)
        using = common.with_story(common.collaborators(env, reading, client.debug, progress_always, printer,
                                                       keeper()), reading, api, ref, client.debug)
        return Runs([_tail(api, common.tail_settings(reading, ref, streams, start, default_start), using)],
                    [typed])
    _check_several(reading, [ref for ref, _ in refs])
    # An unknown id is found now, before any output (a name was, by resolve; a v1 id without its
    # version, by asking for its newest): the jobs asked about at once, as they will be read.
    ids = [ref for ref, typed in refs if family_of(typed) == "v2" or family_of(typed) == "v1" and ref.version]
    _at_once([functools.partial(_state, lambda: env.make_apis(client.clone()), ref) for ref in ids])
    return _several(env, reading, client, apis, refs, start or default_start, start is not None,
                    progress_always, printer, keeper)


def _several(env, reading: "Reading", client, apis: "Apis", refs: List[Tuple["JobRef", str]], start: "Start",
             given: bool, progress_always: bool, printer: Optional[Callable[[str], bool]],
             keeper: Callable[[], "Keeper"]) -> Runs:
    from aomlog.engine.cursorbook import CursorBook
    from aomlog.engine.streams import Streams
    from aomlog.engine.together import SharedProgress

    book = CursorBook(reading.cursor_file, [(r.job_id, r.version) for r, _ in refs]) if reading.cursor_file else None
    using = common.collaborators(env, reading, client.debug, progress_always, printer, None)
    progress = SharedProgress(using.progress, len(refs)) if using.progress is not None else None
    engines = []
    for i, (ref, _) in enumerate(refs):
        # Each job on a session of its own: the jobs are read at once, from threads of their own.
        api = apis.of(ref).clone(retries=0 if reading.follow else None, observers=[common.RememberJob(ref)])
        v1 = ref.api == "v1"
        streams = Streams(names=tuple(dict.fromkeys(reading.files if v1 else reading.tasks)),
                          every=reading.all_files if v1 else reading.all_tasks)
        settings = common.tail_settings(reading, ref, streams, start if given else None, start)
        engines.append(_tail(api, settings, replace(using, progress=progress.part(i) if progress else None,
                                                    keeper=keeper()),
                             book.cursor(ref.job_id, ref.version) if book else None))
    return Runs(engines, labels([ref for ref, _ in refs], [typed for _, typed in refs]), book)


def _tail(api, settings, using, cursor=None) -> "Tail":
    from aomlog.engine.tail import Tail

    return Tail(api, settings, using, cursor)


def _check_several(reading: "Reading", refs: List["JobRef"]) -> None:
    """What cannot be asked of several jobs at once."""
    seen = set()
    for ref in refs:
        if ref in seen:
            raise UsageError(f"{ref} is named twice", "Name each job once.")
        seen.add(ref)
    if reading.base_line is not None:
        raise UsageError("--base-line takes a position in one log, and several jobs are named",
                         "Use --cursor-file to go on from where an earlier read stopped.")
    families = {ref.api for ref in refs}
    for options, family, hint in ((reading.files or reading.all_files, "v1", "--task or --all-tasks"),
                                  (reading.tasks or reading.all_tasks, "v2", "--file or --all-files")):
        if options and family not in families:
            which = "--file and --all-files are" if family == "v1" else "--task and --all-tasks are"
            raise UsageError(f"{which} for {family} jobs, and none of the jobs named is one",
                             f"Use {hint} for these jobs; 'aomlog files JOB' lists a job's streams.")
    for ref in refs:  # the streams of each are checked as for one job, in its family's words
        v1 = ref.api == "v1"
        common.streams_for(ref, reading.files if v1 else (), reading.all_files if v1 else False,
                           () if v1 else reading.tasks, False if v1 else reading.all_tasks)


def resolve_runs(apis: "Apis", words: Sequence[str],
                 more: Optional[Callable[[], "Apis"]] = None) -> List[Tuple["JobRef", str]]:
    """The jobs ``words`` name, each with the word that named it. ``more``: makes API families
    for other threads, so that the names are looked up at once."""
    from aomlog.api.family import JobRef

    names = list(dict.fromkeys(word for word in words if family_of(word) is None))
    found = dict(zip(names, _at_once([functools.partial(_resolve, more or (lambda: apis), name)
                                      for name in names])))
    refs = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        number = following.isascii() and following.isdigit()
        if family_of(word) == "v1" and number:
            refs.append((apis.resolve(word, following), word))
            i += 2
            continue
        ref = found[word] if word in found else apis.resolve(word)
        i += 1
        if family_of(word) is None and ref.api == "v1" and number:  # a v1 job's name, then its version
            ref = JobRef("v1", ref.job_id, following)
            i += 1
        refs.append((ref, word))
    return refs


def _resolve(apis: Callable[[], "Apis"], name: str) -> "JobRef":
    return apis().resolve(name)


def _state(apis: Callable[[], "Apis"], ref: "JobRef") -> object:
    return apis().of(ref).state(ref)


def _at_once(calls: List[Callable[[], T]]) -> List[T]:
    """What each call returns, the calls made side by side (each in a thread of its own, but the
    first); the first error, in the order of the calls, raised."""
    from aomlog.threads import Background

    if len(calls) < 2:
        return [call() for call in calls]
    others = [Background(call, "aomlog-resolve") for call in calls[1:]]
    first = calls[0]()
    return [first] + [other.result() for other in others]


def labels(refs: List["JobRef"], typed: List[str]) -> List[str]:
    """What each job is called in charts and rows: its name (as typed, or as 'aomlog jobs' listed
    it), else its id; its id where names repeat (and its version where ids do)."""
    from aomlog.settings import cache

    listed = {(job, version): name for job, version, name in cache.listed_jobs() if name}
    listed.update({(job, None): name for job, _, name in cache.listed_jobs() if name})
    names = [word if family_of(word) is None else listed.get((ref.job_id, ref.version),
                                                            listed.get((ref.job_id, None), ref.job_id))
             for ref, word in zip(refs, typed)]
    ids = [ref.job_id for ref in refs]
    shown = []
    for ref, name in zip(refs, names):
        if names.count(name) > 1:
            name = ref.job_id if ids.count(ref.job_id) == 1 else f"{ref.job_id} v{ref.version}"
        shown.append(name)
    return shown
