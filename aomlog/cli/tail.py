"""``aomlog tail`` and ``aomlog files``: parse, build the engine, write its pages, map the end to a status."""

from __future__ import annotations

import sys
from typing import Optional, Tuple

import click

from aomlog.cli import completion
from aomlog.cli.display import display_options
from aomlog.cli.errors import StatusLine, notice
from aomlog.cli.options import connection_options, make_client
from aomlog.cli.params import Since, count, seconds
from aomlog.errors import ExitStatus, UsageError


class LinesType(click.ParamType):
    """GNU tail's -n: ``N`` for the newest N lines, ``+N`` for everything from line N on."""

    name = "N|+N"

    def convert(self, value, param, ctx):
        from aomlog.tailing import Start

        if isinstance(value, Start):
            return value
        text = str(value).strip()
        from_line = text.startswith("+")
        digits = text[1:] if from_line else text
        if not (digits.isascii() and digits.isdigit()):
            self.fail(f"{value!r} is not a line count: use N (the newest N lines) or +N "
                      f"(from line N on)", param, ctx)
        return Start.from_line(int(digits)) if from_line else Start.last(int(digits))


def stream_options(command):
    """--file/--all-files (v1 jobs) and --task/--all-tasks (v2 jobs)."""
    command = click.option("--all-tasks", is_flag=True,
                           help="v2 jobs: read every task (one per worker).")(command)
    command = click.option("--task", "tasks", metavar="NAME", multiple=True, shell_complete=completion.stream_names,
                           help="v2 jobs: the task to read, e.g. worker-0 (see 'aomlog files'); repeat for "
                                "several. Needed when the job has several.")(command)
    command = click.option("--all-files", is_flag=True,
                           help="v1 jobs: read every log file of the version (one per worker).")(command)
    command = click.option("--file", "files", metavar="NAME", multiple=True, shell_complete=completion.stream_names,
                           help="v1 jobs: the log file to read (see 'aomlog files'); repeat for several. "
                                "Needed when the version has several.")(command)
    return command


def catch_up_options(command):
    """--parallel and --no-progress: how the lines up to the log's current end are read."""
    command = click.option("--no-progress", is_flag=True,
                           help="No progress line on stderr while catching up into a file or a pipe.")(command)
    return click.option("--parallel", type=count(1, 32), default=8, show_default=True, metavar="N",
                        help="Requests in flight while catching up: tasks, files and parts of a long log "
                             "are read side by side (fewer after the API throttles).")(command)


def job_arguments(command):
    command = click.argument("version", required=False, shell_complete=completion.recent_version_ids)(command)
    return click.argument("job", shell_complete=completion.job_ids)(command)


@click.command()
@job_arguments
@stream_options
@click.option("-n", "--lines", "lines", type=LinesType(), default=None,
              help="The newest N lines (default 50), or +N for everything from line N on.")
@click.option("--from-start", is_flag=True, help="The whole log from its first line (same as -n +1).")
@click.option("--base-line", metavar="POS", help="Everything after position POS (an end_line from earlier).")
@click.option("--since", type=Since(), metavar="DURATION|TIME",
              help="From the first line written at or after this time: 10m, 2h, 1d ago, or "
                   "2026-11-27T10:00 (local time unless a zone is given, e.g. Z or +08:00).")
@click.option("-f", "--follow", is_flag=True,
              help="Keep printing new lines until the job ends (waiting for it to start if it has not); "
                   "exit 0 if it completed, 5 if it failed.")
@click.option("--interval", type=seconds(0.05, 3600), default=0.5, show_default=True, metavar="SECONDS",
              help="With -f: the wait between polls while lines are arriving.")
@click.option("--max-interval", type=seconds(0.05, 3600), default=5.0, show_default=True,
              metavar="SECONDS", help="With -f: the longest wait between polls while the log is idle.")
@click.option("--cursor-file", metavar="PATH", type=click.Path(dir_okay=False),
              help="Start after the position stored in PATH, and store the newest position there "
                   "after each page, so a restarted follower goes on with no line lost or repeated.")
@catch_up_options
@display_options
@connection_options
def tail(job: str, version: Optional[str], files: Tuple[str, ...], all_files: bool, tasks: Tuple[str, ...],
         all_tasks: bool, lines, from_start: bool, base_line: Optional[str], since: Optional[int], follow: bool,
         interval: float, max_interval: float, cursor_file: Optional[str], parallel: int, no_progress: bool,
         display, conn: dict) -> int:
    """Print the log of a training job: JOB is a v2 job's id (a UUID), a v1 job's id
    (an integer, then VERSION, by default its newest) or a job's name.

    \b
    Examples:
      aomlog tail resnet50-train -f             wait for the job to start, follow it to its end
      aomlog tail 3faf5c03-aaa1-4cbe-879d-24b05d997347 --all-tasks -f   every worker's log
      aomlog tail resnet50-train -n 2000        the newest 2000 lines
      aomlog tail resnet50-train -n +1          the whole log, oldest first
      aomlog tail resnet50-train -f | grep -i loss
      aomlog tail 10 10 --file log1.log         a v1 job's version and log file
      aomlog tail resnet50-train -o json | jq -r .text

    \b
    On a terminal each line starts with a coloured marker of its kind:
      E error or traceback, W warning, I info, D debug, P progress bar, M epoch or metric summary.
    Escape sequences in the log are shown as ^[ (never sent to the terminal), and a progress
    bar redrawn with \\r shows its last state. In a pipe the log's bytes pass unchanged.
    """
    from aomlog.follow import Timing
    from aomlog.tailing import Tail

    start = _start(lines, from_start, base_line, since)
    _check_ids(job, version)
    if cursor_file is not None and not cursor_file.strip():
        raise UsageError("--cursor-file needs a path", "Pass a file path, e.g. --cursor-file ~/.job10.cursor.")
    client = make_client(conn)
    apis = _apis(client)
    ref = apis.resolve(job, version)
    streams = _streams(ref, files, all_files, tasks, all_tasks)
    if base_line is not None and (len(streams.names) > 1 or streams.every):
        raise UsageError("--base-line takes a position in one log, and several are chosen",
                         "Use --base-line with a single --file/--task, or --cursor-file for several.")
    client.on_answer = _remember_job(ref)
    status = StatusLine()
    progress = _progress(no_progress)
    engine = Tail(apis.of(ref), ref, streams, start or _default_start(), follow=follow, cursor_path=cursor_file,
                  start_given=start is not None,
                  timing=Timing(interval=interval, max_interval=max(interval, max_interval)),
                  notify=_notices(status, progress), status=status.show, debug=client.debug, parallel=parallel,
                  progress=progress, **_follow_io(follow))
    if follow:
        client.retries = 0  # from here on the engine rides out failures itself, with one notice
    return write_pages(engine, display)


def _progress(no_progress: bool):
    """A progress line while catching up, when stdout is a file or a pipe and stderr a terminal."""
    if no_progress or binary_stdout().isatty() or not _isatty(sys.stderr):
        return None
    from aomlog.progress import CatchUpProgress

    return CatchUpProgress(sys.stderr)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _notices(status, progress):
    """Notices above the progress line while it is shown, else above the status line."""
    if progress is None:
        return status.notice

    def notify(text: str) -> None:
        if not progress.print(text):
            status.notice(text)

    return notify


def _follow_io(follow: bool) -> dict:
    """With -f, sleep on a watch of stdout, so that `| head` ends an idle follower at once."""
    if not follow:
        return {}
    import io

    from aomlog.pipewatch import watching_sleep

    try:
        return {"sleep": watching_sleep(binary_stdout().fileno())}
    except (OSError, ValueError, io.UnsupportedOperation):  # no file behind stdout: sleep plainly
        return {}


def write_pages(engine, display=None, out=None) -> int:
    """Write the engine's pages; with follow, say how the job ended and exit by it."""
    from aomlog.render import Display, make_renderer
    from aomlog.timefmt import duration

    out = out or binary_stdout()
    renderer = None
    for stream, page in engine.pages():
        if renderer is None:  # the streams are known once the first page is in
            renderer = make_renderer(display or Display(), out, engine.job, engine.streams)
        renderer.page(stream, page)
    if not engine.follow:
        return ExitStatus.OK
    end = engine.end
    if end is None:
        return ExitStatus.OK
    quiet = "" if renderer is not None else ", before writing a line"
    notice(f"aomlog: {engine.job} {end.shown} after {duration(end.duration_ms)}{quiet}")
    return ExitStatus.OK if end.phase.value == "succeeded" else ExitStatus.JOB_FAILED


def _apis(client):
    from aomlog.api import Apis

    return Apis(client)


def _default_start():
    from aomlog.tailing import Start

    return Start.last(50)


def _streams(ref, files, all_files: bool, tasks, all_tasks: bool):
    """The streams asked for, in the words of the job's family."""
    from aomlog.tailing import Streams

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


def _check_ids(job: str, version: Optional[str]) -> None:
    # An empty id would make another path of the API and be blamed on the endpoint.
    if not job.strip() or "/" in job:
        raise UsageError(f"JOB {job!r} is not a job id or name",
                         "Use an id or name shown by 'aomlog jobs', e.g. 'aomlog tail resnet50-train'.")
    if version is not None and not (version.isascii() and version.isdigit()):
        raise UsageError(f"VERSION {version!r} is not a version id",
                         "A v1 version id is an integer, e.g. 'aomlog tail 10 10'; v2 jobs have no versions.")


def _start(lines, from_start: bool, base_line: Optional[str], since: Optional[int] = None):
    """The start asked for, or None for the default."""
    from aomlog.tailing import Start

    chosen = [name for name, given in (("-n", lines is not None), ("--from-start", from_start),
                                       ("--base-line", base_line is not None), ("--since", since is not None))
              if given]
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)} cannot be used together",
                         "Choose one place to start: -n N, -n +N, --from-start, --since or --base-line POS.")
    if since is not None:
        return Start.since(since)
    if base_line is not None:
        position = base_line.strip()
        if not (position.isascii() and position.isdigit()):
            raise UsageError(f"--base-line {base_line!r} is not a position",
                             "Use an end_line value, e.g. from 'aomlog tail ... -o json' or a --cursor-file.")
        return Start.after(position)
    if from_start:
        return Start.from_line(1)
    return lines


def _remember_job(ref):
    """A hook adding the job to the recent jobs that shell completion offers, at the API's first answer
    (so a mistyped id is not remembered); once, not at every page of a follow."""
    remembered = []

    def hook() -> None:
        if not remembered:
            remembered.append(True)
            from aomlog import cache

            cache.remember_job(ref.job_id, ref.version)

    return hook


def binary_stdout():
    return sys.stdout.buffer


@click.command()
@job_arguments
@connection_options
def files(job: str, version: Optional[str], conn: dict) -> None:
    """List a job's log files (v1: of the version) or tasks (v2), one per line.

    \b
    Examples:
      aomlog files resnet50-train
      aomlog files 10 10
    """
    _check_ids(job, version)
    client = make_client(conn)
    apis = _apis(client)
    ref = apis.resolve(job, version)
    client.on_answer = _remember_job(ref)
    names = apis.of(ref).streams(ref)
    out = binary_stdout()
    if out.isatty():  # names are the server's text: never let them drive the terminal
        from aomlog.safetext import visible

        names = [visible(name) for name in names]
    out.write("".join(name + "\n" for name in names).encode("utf-8", "replace"))
    out.flush()
