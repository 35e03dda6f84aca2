"""What ``tail`` and ``metrics`` share: the job and its streams, where to start, following,
catching up; the options for them and the engine they make."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, Optional, Tuple

import click

from aomlog.cli import completion
from aomlog.cli.errors import StatusLine, notice, safe
from aomlog.cli.params import Since, count, seconds
from aomlog.errors import ExitStatus, UsageError
from aomlog.transport.observer import Observer

if TYPE_CHECKING:  # the names of types only: completing on TAB imports this module
    from aomlog.api.family import JobApi, JobRef, JobState
    from aomlog.cli.env import Environment
    from aomlog.engine.keeper import Keeper
    from aomlog.engine.outcome import Outcome
    from aomlog.engine.settings import Collaborators, TailSettings
    from aomlog.engine.start import Start
    from aomlog.engine.streams import Streams
    from aomlog.engine.tail import Tail
    from aomlog.output.progress import CatchUpProgress
    from aomlog.transport.client import Client


class LinesType(click.ParamType):
    """GNU tail's -n: ``N`` for the newest N lines, ``+N`` for everything from line N on."""

    name = "N|+N"

    def convert(self, value, param, ctx):
        from aomlog.engine.start import Start

        if isinstance(value, Start):
            return value
        text = str(value).strip()
        from_line = text.startswith("+")
        digits = text[1:] if from_line else text
        if not (digits.isascii() and digits.isdigit()):
            self.fail(f"{value!r} is not a line count: use N (the newest N lines) or +N "
                      f"(from line N on)", param, ctx)
        return Start.from_line(int(digits)) if from_line else Start.last(int(digits))


def job_arguments(command):
    command = click.argument("version", required=False, shell_complete=completion.recent_version_ids)(command)
    return click.argument("job", shell_complete=completion.job_ids)(command)


def stream_options(command):
    """--task/--all-tasks (v2 jobs) and --file/--all-files (v1 jobs), v2's first in --help."""
    command = click.option("--all-files", is_flag=True,
                           help="v1 jobs: read every log file of the version (one per worker).")(command)
    command = click.option("--file", "files", metavar="NAME", multiple=True, shell_complete=completion.stream_names,
                           help="v1 jobs: the log file to read (see 'aomlog files'); repeat for several. "
                                "Needed when the version has several.")(command)
    command = click.option("--all-tasks", is_flag=True,
                           help="v2 jobs: read every task (one per worker).")(command)
    return click.option("--task", "tasks", metavar="NAME", multiple=True, shell_complete=completion.stream_names,
                        help="v2 jobs: the task to read, e.g. worker-0 (see 'aomlog files'); repeat for "
                             "several. Needed when the job has several.")(command)


def start_options(newest: str):
    """-n, --from-start, --base-line and --since; ``newest``: what happens without them."""

    def decorate(command):
        command = click.option("--since", type=Since(), metavar="DURATION|TIME",
                               help="From the first line written at or after this time: 10m, 2h, 1d ago, or "
                                    "2026-11-27T10:00 (local time unless a zone is given, e.g. Z or "
                                    "+08:00).")(command)
        command = click.option("--base-line", metavar="POS",
                               help="Everything after position POS (an end_line from earlier).")(command)
        command = click.option("--from-start", is_flag=True,
                               help="The whole log from its first line (same as -n +1).")(command)
        return click.option("-n", "--lines", "lines", type=LinesType(), default=None,
                            help=f"The newest N lines ({newest}), or +N for everything from line N on.")(command)

    return decorate


def follow_options(doing: str):
    """-f, --interval, --max-interval and --cursor-file; ``doing``: what -f keeps doing."""

    def decorate(command):
        command = click.option("--cursor-file", metavar="PATH", type=click.Path(dir_okay=False),
                               help="Start after the position stored in PATH, and store the newest position "
                                    "there after each page, so a restarted follower goes on with no line lost "
                                    "or repeated.")(command)
        command = click.option("--max-interval", type=seconds(0.05, 3600), default=5.0, show_default=True,
                               metavar="SECONDS",
                               help="With -f: the longest wait between polls while the log is idle.")(command)
        command = click.option("--interval", type=seconds(0.05, 3600), default=0.5, show_default=True,
                               metavar="SECONDS",
                               help="With -f: the wait between polls while lines are arriving.")(command)
        return click.option("-f", "--follow", is_flag=True,
                            help=f"Keep {doing} until the job ends (waiting for it to start if it has not); "
                                 "exit 0 if it completed, 5 if it failed.")(command)

    return decorate


def catch_up_options(command):
    """--parallel and --no-progress: how the lines up to the log's current end are read."""
    command = click.option("--no-progress", is_flag=True,
                           help="No progress line on stderr while catching up.")(command)
    return click.option("--parallel", type=count(1, 32), default=8, show_default=True, metavar="N",
                        help="Requests in flight: tasks, files and parts of a long log are read side by "
                             "side, and followed tasks too (fewer after the API throttles).")(command)


class Reading:
    """What to read, as the options of ``tail`` and ``metrics`` say it. (Not a dataclass: making
    one costs start-up time, and completing an option name on TAB imports this module.)"""

    NAMES = ("job", "version", "files", "all_files", "tasks", "all_tasks", "lines", "from_start", "base_line",
             "since", "follow", "interval", "max_interval", "cursor_file", "parallel", "no_progress", "no_events")
    job: str
    version: Optional[str]
    files: Tuple[str, ...] = ()
    all_files: bool = False
    tasks: Tuple[str, ...] = ()
    all_tasks: bool = False
    lines: object = None
    from_start: bool = False
    base_line: Optional[str] = None
    since: Optional[int] = None
    follow: bool = False
    interval: float = 0.5
    max_interval: float = 5.0
    cursor_file: Optional[str] = None
    parallel: int = 8
    no_progress: bool = False
    no_events: bool = False

    def __init__(self, **given) -> None:
        unknown = set(given) - set(self.NAMES)
        if unknown:
            raise TypeError(f"Reading takes no {', '.join(sorted(unknown))}")
        for name, value in given.items():
            setattr(self, name, value)


def reading_arguments(command: Callable) -> Callable:
    """Gathers the options of the decorators above into one ``reading`` argument."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        reading = Reading(**{name: kwargs.pop(name) for name in Reading.NAMES if name in kwargs})
        return command(*args, reading=reading, **kwargs)

    return wrapper


def engine_for(reading: Reading, conn: dict, default_start: "Start", *, progress_always: bool = False,
               printer: Optional[Callable[[str], bool]] = None, keeper: Optional["Keeper"] = None) -> "Tail":
    """The tail engine for ``reading``: the job resolved, its streams and start checked. ``keeper``:
    what the reader of the pages keeps with each position in a cursor file."""
    from aomlog.cli.env import current
    from aomlog.engine.tail import Tail

    env = current()
    start = checked_start(reading)
    check_ids(reading.job, reading.version)
    client, api, ref = job_api(env, conn, reading.job, reading.version, follow=reading.follow)
    streams = streams_for(ref, reading.files, reading.all_files, reading.tasks, reading.all_tasks)
    using = with_story(collaborators(env, reading, client.debug, progress_always, printer, keeper),
                       reading, api, ref, client.debug)
    return Tail(api, tail_settings(reading, ref, streams, start, default_start), using)


def with_story(using: "Collaborators", reading: Reading, api: "JobApi", ref: "JobRef",
               debug: Optional[Callable[[str], None]]) -> "Collaborators":
    """``using`` with the job's story told on stderr while it is followed (why it waits, events,
    fault recoveries, the end's reasons): v2 jobs only, the only ones that have one."""
    if not (reading.follow and ref.api == "v2"):
        return using
    import dataclasses

    from aomlog.engine.storywatch import StoryWatch

    return dataclasses.replace(using, story=StoryWatch(api, ref, using.notify, debug, events=not reading.no_events))


def checked_start(reading: Reading) -> Optional["Start"]:
    """The start asked for (None: the command's default), and the cursor file's path, checked."""
    start = start_from(reading.lines, reading.from_start, reading.base_line, reading.since)
    if reading.cursor_file is not None and not reading.cursor_file.strip():
        raise UsageError("--cursor-file needs a path", "Pass a file path, e.g. --cursor-file ~/.job10.cursor.")
    return start


def tail_settings(reading: Reading, ref: "JobRef", streams: "Streams", start: Optional["Start"],
                  default_start: "Start") -> "TailSettings":
    """What the engine of one job is to read, as the options say."""
    import dataclasses

    from aomlog.cli.env import current
    from aomlog.engine.follow import Timing
    from aomlog.engine.settings import TailSettings

    if reading.base_line is not None and (len(streams.names) > 1 or streams.every):
        raise UsageError("--base-line takes a position in one log, and several are chosen",
                         "Use --base-line with a single --file/--task, or --cursor-file for several.")
    settings = TailSettings(ref, streams, start or default_start, start_given=start is not None,
                            follow=reading.follow, cursor_path=reading.cursor_file, parallel=reading.parallel,
                            timing=Timing(interval=reading.interval,
                                          max_interval=max(reading.interval, reading.max_interval)))
    fast = current().fast_answer
    return settings if fast is None else dataclasses.replace(settings, fast_answer=fast)


def job_api(env: "Environment", conn: dict, job: str, version: Optional[str],
            follow: bool = False) -> Tuple["Client", "JobApi", "JobRef"]:
    """The job named on the command line, and its API over a client made for reading it."""
    client = env.make_client(conn)
    apis = env.make_apis(client)
    ref = apis.resolve(job, version)
    # The client from here on: it adds the job to the recent ones at the API's first answer and,
    # under follow, leaves failures to the engine, which rides them out with one notice.
    api = apis.of(ref).clone(share_session=True, retries=0 if follow else None, observers=[RememberJob(ref)])
    return client, api, ref


def collaborators(env: "Environment", reading: Reading, debug: Optional[Callable[[str], None]],
                  progress_always: bool, printer: Optional[Callable[[str], bool]],
                  keeper: Optional["Keeper"]) -> "Collaborators":
    """What the engine works with: the environment's time and stop guard, notices on stderr."""
    from aomlog.engine.keeper import KeepsNothing
    from aomlog.engine.settings import Collaborators

    status = StatusLine()
    progress = env.progress(reading.no_progress, progress_always)
    clock, sleep = env.follow_time(reading.follow)
    return Collaborators(clock=clock, sleep=sleep, notify=notices(status, progress, printer), status=status.show,
                         debug=debug, progress=progress, stop=env.stop, keeper=keeper or KeepsNothing())


def ended(outcome: "Outcome") -> int:
    """With follow, say how the job ended and give its exit status."""
    end = outcome.end
    if end is None:
        return ExitStatus.OK
    return job_ended(outcome.job, end, ", before writing a line" if outcome.silent else "")


def job_ended(job: "JobRef", end: "JobState", quiet: str = "") -> int:
    """Say how a followed job ended; its exit status (0 if it succeeded, 5 if not)."""
    from aomlog.timefmt import duration

    notice(f"aomlog: {job} {end.shown} after {duration(end.duration_ms)}{quiet}")
    return ExitStatus.OK if end.phase.value == "succeeded" else ExitStatus.JOB_FAILED


def notices(status: StatusLine, progress: Optional["CatchUpProgress"],
            printer: Optional[Callable[[str], bool]] = None) -> Callable[[str], None]:
    """Notices above what is drawn on the terminal: ``printer`` (a live view), the progress line,
    else the status line. Each printer says whether it printed."""
    printers = [p for p in (printer, progress.print if progress is not None else None) if p is not None]
    if not printers:
        return status.notice

    def notify(text: str) -> None:
        shown = safe(text.rstrip("\n"))
        if not any(p(shown) for p in printers):
            status.notice(text)

    return notify


def streams_for(ref: "JobRef", files: Tuple[str, ...], all_files: bool, tasks: Tuple[str, ...],
                all_tasks: bool) -> "Streams":
    """The streams asked for, in the words of the job's family."""
    from aomlog.engine.streams import Streams

    if files and all_files or tasks and all_tasks:
        both = "--file and --all-files" if files and all_files else "--task and --all-tasks"
        raise UsageError(f"{both} cannot be used together",
                         "Name them (repeat the option), or take them all.")
    if ref.api == "v2" and (files or all_files):
        raise UsageError(f"{ref} is a v2 job: its logs are per task, not per file",
                         "Use --task NAME (repeatable) or --all-tasks; 'aomlog files JOB' lists the tasks.")
    if ref.api == "v1" and (tasks or all_tasks):
        raise UsageError(f"{ref} is a v1 job: its logs are per file, not per task",
                         "Use --file NAME (repeatable) or --all-files; 'aomlog files JOB VERSION' lists the files.")
    names = tuple(dict.fromkeys(files or tasks))
    return Streams(names=names, every=all_files or all_tasks)


def check_ids(job: str, version: Optional[str]) -> None:
    # An empty id would make another path of the API and be blamed on the endpoint.
    if not job.strip() or "/" in job:
        raise UsageError(f"JOB {job!r} is not a job id or name",
                         "Use an id or name shown by 'aomlog jobs', e.g. 'aomlog tail resnet50-train'.")
    if version is not None and not (version.isascii() and version.isdigit()):
        raise UsageError(f"VERSION {version!r} is not a version id",
                         "A v1 version id is an integer, e.g. 'aomlog tail 10 10'; v2 jobs have no versions.")


def start_from(lines, from_start: bool, base_line: Optional[str], since: Optional[int] = None):
    """The start asked for, or None for the default."""
    from aomlog.engine.start import LAST, Start

    # -n N with --since is the newest N of the lines since then (kubectl's --since --tail).
    newest = lines.value if since is not None and lines is not None and lines.kind == LAST else None
    chosen = [name for name, given in (("-n", lines is not None and newest is None), ("--from-start", from_start),
                                       ("--base-line", base_line is not None), ("--since", since is not None))
              if given]
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)} cannot be used together",
                         "Choose one place to start: -n N, -n +N, --from-start, --since (with -n N: the newest "
                         "N since then) or --base-line POS.")
    if since is not None:
        return Start.since(since, newest)
    if base_line is not None:
        position = base_line.strip()
        if not (position.isascii() and position.isdigit()):
            raise UsageError(f"--base-line {base_line!r} is not a position",
                             "Use an end_line value, e.g. from 'aomlog tail ... -o json' or a --cursor-file.")
        return Start.after(position)
    if from_start:
        return Start.from_line(1)
    return lines


class RememberJob(Observer):
    """Adds the job to the recent jobs that shell completion offers, at the API's first answer
    (so a mistyped id is not remembered); once, not at every page of a follow."""

    def __init__(self, ref) -> None:
        import threading

        self.ref = ref
        self.first = threading.Lock()  # the readers' threads answer at once: one of them writes

    def answered(self) -> None:
        if self.first.acquire(blocking=False):
            from aomlog.settings import cache

            cache.remember_job(self.ref.job_id, self.ref.version)

