"""``aomlog tail`` and ``aomlog files``."""

from __future__ import annotations

import sys
from typing import List, Optional, Sequence, Tuple, Union

import click

from aomlog.cli import completion
from aomlog.cli.display import display_options
from aomlog.cli.errors import notice
from aomlog.cli.options import connection_options, make_client
from aomlog.errors import ExitStatus, NotFoundError, UsageError


class LinesType(click.ParamType):
    """GNU tail's -n: ``N`` for the newest N lines, ``+N`` for everything from line N on."""

    name = "N|+N"

    def convert(self, value, param, ctx) -> Tuple[str, int]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip()
        from_line = text.startswith("+")
        digits = text[1:] if from_line else text
        if not digits.isdigit():
            self.fail(f"{value!r} is not a line count: use N (the newest N lines) or +N "
                      f"(from line N on)", param, ctx)
        if from_line:  # as in GNU tail, +0 is the first line too
            return ("from", max(1, int(digits)))
        return ("last", int(digits))


@click.command()
@click.argument("job_id", shell_complete=completion.recent_job_ids)
@click.argument("version_id", shell_complete=completion.recent_version_ids)
@click.option("--file", "log_files", metavar="NAME", multiple=True, shell_complete=completion.log_file_names,
              help="Log file to read (see 'aomlog files'); repeat for several. Needed when the version has several.")
@click.option("--all-files", is_flag=True,
              help="Read every log file of the version (one per worker in a distributed job).")
@click.option("-n", "--lines", "lines", type=LinesType(), default=None,
              help="The newest N lines (default 50), or +N for everything from line N on.")
@click.option("--from-start", is_flag=True, help="The whole log from its first line (same as -n +1).")
@click.option("--base-line", metavar="POS", help="Everything after position POS (an end_line from earlier).")
@click.option("-f", "--follow", is_flag=True,
              help="Keep printing new lines until the job ends; exit 0 if it completed, 5 if it failed.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=0.5, show_default=True, metavar="SECONDS",
              help="With -f: the wait between polls while lines are arriving.")
@click.option("--max-interval", type=click.FloatRange(min=0.05), default=5.0, show_default=True,
              metavar="SECONDS", help="With -f: the longest wait between polls while the log is idle.")
@click.option("--cursor-file", metavar="PATH", type=click.Path(dir_okay=False),
              help="Start after the position stored in PATH, and store the newest position there "
                   "after each page, so a restarted follower goes on with no line lost or repeated.")
@display_options
@connection_options
def tail(job_id: str, version_id: str, log_files: Tuple[str, ...], all_files: bool, lines, from_start: bool,
         base_line: Optional[str], follow: bool, interval: float, max_interval: float,
         cursor_file: Optional[str], display, conn: dict) -> int:
    """Print the log of a training job version.

    \b
    Examples:
      aomlog tail 10 10 --file log1.log            the newest 50 lines
      aomlog tail 10 10 --file log1.log -n 2000    the newest 2000 lines
      aomlog tail 10 10 --file log1.log -n +1      the whole log, oldest first
      aomlog tail 10 10 --file log1.log -f         follow until the job ends
      aomlog tail 10 10 --file log1.log -f | grep -i loss
      aomlog tail 10 10 --all-files -f --grep 'loss|ERROR'   every worker's file
      aomlog tail 10 10 --file log1.log -o json | jq -r .text

    \b
    On a terminal each line starts with a coloured marker of its kind:
      E error or traceback, W warning, I info, D debug, P progress bar, M epoch or metric summary.
    Escape sequences in the log are shown as ^[ (never sent to the terminal), and a progress
    bar redrawn with \\r shows its last state. In a pipe the log's bytes pass unchanged.
    """
    start = _start(lines, from_start, base_line)
    _check_ids(job_id, version_id)
    if cursor_file is not None and not cursor_file.strip():
        raise UsageError("--cursor-file needs a path", "Pass a file path, e.g. --cursor-file ~/.job10.cursor.")
    if all_files and log_files:
        raise UsageError("--file and --all-files cannot be used together",
                         "Name the files with --file (repeat it), or take them all with --all-files.")
    # With -f an outage is ridden out from the first request on, the file-names call included.
    client = make_client(conn, **({"retries": float("inf")} if follow else {}))
    client.on_answer = _remember_job(job_id, version_id)
    if all_files:
        names = _all_files(client, job_id, version_id)
    else:
        names = list(dict.fromkeys(log_files)) or [_only_file(client, job_id, version_id)]
        if len(names) > 1:  # check them all before printing any, not after the first file's lines
            known = _all_files(client, job_id, version_id)
            unknown = [name for name in names if name not in known]
            if unknown:
                raise NotFoundError(f"job {job_id} version {version_id} has no log file {', '.join(unknown)}",
                                    f"Its files: {', '.join(known)}.")
    if base_line is not None and len(names) > 1:
        raise UsageError("--base-line takes a position in one log file, and several are chosen",
                         "Use --base-line with a single --file, or --cursor-file for several files.")
    return run_tail(client, job_id, version_id, names, start, follow=follow,
                    timing_args={"interval": interval, "max_interval": max(interval, max_interval)},
                    cursor_path=cursor_file, display=display,
                    start_given=lines is not None or from_start or base_line is not None)


def run_tail(client, job_id, version_id, log_files: Union[str, Sequence[str]], start, *, follow: bool = False,
             timing_args: Optional[dict] = None, cursor_path: Optional[str] = None, display=None,
             clock=None, sleep=None, start_given: bool = False) -> int:
    """Print the chosen start of each log file; with ``follow``, go on until the job ends."""
    from aomlog.paging import LogReader
    from aomlog.render import Display, make_renderer

    names = [log_files] if isinstance(log_files, str) else list(log_files)
    stream = binary_stdout()
    out = make_renderer(display or Display(), stream, job_id, version_id, names)
    readers = [LogReader(client, job_id, version_id, name) for name in names]
    starts = dict.fromkeys(names, start)
    cursor = None
    if cursor_path:
        from aomlog.cursorfile import CursorFile

        cursor = CursorFile(cursor_path, job_id, version_id)
        for name, stored in cursor.load().items():
            if name in starts and stored:
                starts[name] = ("after", stored)
                if start_given:
                    notice(f"aomlog: {name}: going on from the position in {cursor_path}; "
                           f"the start asked for applies only to a file it has no position for")

    # `-n +N` leaves out the first N-1 lines of the log, even when fewer exist yet and
    # the rest arrive while following.
    to_skip = {name: (kind_value[1] - 1 if kind_value[0] == "from" else 0) for name, kind_value in starts.items()}

    def emit(reader, page, save: bool = True) -> None:
        skip = to_skip[reader.log_file]
        if skip:
            to_skip[reader.log_file] = max(0, skip - page.count)
            page = _without_first(page, skip)
        if page.count:
            out.page(reader.log_file, page)
        if cursor and save:
            cursor.save(reader.log_file, reader.cursor)

    if follow:  # while following, failures are ridden out from the first request on
        client.retries = float("inf")
    for reader in readers:  # file after file: each file's lines stay in order and together
        start_of_file = starts[reader.log_file]
        # The newest N lines are all read before the first is printed, so the reader's
        # cursor is already at the log's end: store it only once they are all out.
        streamed = start_of_file[0] != "last"
        for page in _initial_pages(reader, start_of_file):
            emit(reader, page, save=streamed)
        if cursor:
            cursor.save(reader.log_file, reader.cursor)
    if not follow:
        return ExitStatus.OK
    return _follow(client, job_id, version_id, readers, emit, stream, timing_args or {}, clock, sleep)


def _follow(client, job_id, version_id, readers, emit, stream, timing_args, clock, sleep) -> int:
    import time

    from aomlog.follow import Follower, Timing, format_duration
    from aomlog.pipewatch import watching_sleep

    client.retries = 0  # the follower rides out failures itself, with one notice
    follower = Follower(
        readers, emit, lambda: client.version(job_id, version_id),
        timing=Timing(**timing_args),
        clock=clock or time.monotonic,
        sleep=sleep or watching_sleep(stream.fileno()),
        notify=notice,
    )
    end = follower.run()
    notice(f"aomlog: job {job_id} version {version_id} {end.name} after {format_duration(end.duration_ms)}")
    return ExitStatus.OK if end.succeeded else ExitStatus.JOB_FAILED


def _initial_pages(reader, start):
    kind, value = start
    if kind == "last":
        return reader.newest(value)
    if kind == "after":
        return reader.onward(value)
    return reader.from_start()


def _check_ids(job_id: str, version_id: str) -> None:
    # An empty id would make another path of the API and be blamed on the endpoint.
    for name, value in (("JOB_ID", job_id), ("VERSION_ID", version_id)):
        if not value.strip() or "/" in value:
            raise UsageError(f"{name} {value!r} is not an id",
                             "Use the ids shown in the ModelArts console, e.g. 'aomlog tail 10 10'.")


def _start(lines, from_start: bool, base_line: Optional[str]):
    chosen = [name for name, given in (("-n", lines is not None), ("--from-start", from_start),
                                       ("--base-line", base_line is not None)) if given]
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)} cannot be used together",
                         "Choose one place to start: -n N, -n +N, --from-start or --base-line POS.")
    if base_line is not None:
        if not base_line.strip().isdigit():
            raise UsageError(f"--base-line {base_line!r} is not a position",
                             "Use an end_line value, e.g. from 'aomlog tail ... -o json' or a --cursor-file.")
        return ("after", base_line.strip())
    if from_start:
        return ("from", 1)
    return lines or ("last", 50)


def _without_first(page, skip: int):
    """The page less its first ``skip`` lines."""
    from aomlog.client import Page

    if skip >= page.count:
        return Page("", 0, None, page.end_line)
    kept = page.lines[skip:]
    return Page("\n".join(kept) + "\n", len(kept), None, page.end_line)


def _remember_job(job_id: str, version_id: str):
    """A hook adding the job to the recent jobs that shell completion offers, at the API's first answer
    (so a mistyped id is not remembered); once, not at every page of a follow."""
    remembered = []

    def hook() -> None:
        if not remembered:
            remembered.append(True)
            from aomlog import cache

            cache.remember_job(job_id, version_id)

    return hook


def binary_stdout():
    return sys.stdout.buffer


def _all_files(client, job_id: str, version_id: str) -> List[str]:
    names = list(dict.fromkeys(client.file_names(job_id, version_id)))
    if not names:
        raise NotFoundError(f"job {job_id} version {version_id} has no log files yet",
                            "The job may still be starting; try again in a moment.")
    return names


def _only_file(client, job_id: str, version_id: str) -> str:
    names = _all_files(client, job_id, version_id)
    if len(names) == 1:
        return names[0]
    raise UsageError(f"job {job_id} version {version_id} has {len(names)} log files: {', '.join(names)}",
                     f"Pass --file NAME (repeat it for several), e.g. --file {names[0]}, or --all-files.")


@click.command()
@click.argument("job_id", shell_complete=completion.recent_job_ids)
@click.argument("version_id", shell_complete=completion.recent_version_ids)
@connection_options
def files(job_id: str, version_id: str, conn: dict) -> None:
    """List the log files of a training job version, one per line.

    \b
    Example:
      aomlog files 10 10
    """
    client = make_client(conn)
    client.on_answer = _remember_job(job_id, version_id)
    names = client.file_names(job_id, version_id)
    out = binary_stdout()
    if out.isatty():  # names are the server's text: never let them drive the terminal
        from aomlog.safetext import visible

        names = [visible(name) for name in names]
    out.write("".join(name + "\n" for name in names).encode("utf-8", "replace"))
    out.flush()
