"""The command line: the only part of aomlog that knows click.

Heavy modules (requests, rich, the simulator) are imported inside the commands,
so that ``--help`` and shell completion start fast.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional

import click

from aomlog import __version__
from aomlog.cli import completion
from aomlog.cli.errors import report_error, report_unexpected
from aomlog.errors import AomlogError, ExitStatus

__all__ = ["cli", "main", "run"]

if TYPE_CHECKING:
    from aomlog.cli.env import Environment

CONTEXT_SETTINGS: Dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Stop(Exception):
    """Carries Ctrl-C or a closed stdout past click, which would turn them into
    exit 1 (EPIPE) or an extra blank line on stderr (Abort)."""

    def __init__(self, status: ExitStatus):
        super().__init__(status)
        self.status = status


# Each command's module is imported when that command is used (or listed): completing
# `aomlog tail --fo` on TAB should not pay for the modules of metrics, jobs and the rest.
COMMANDS = {
    "tail": "aomlog.cli.tail:tail",
    "files": "aomlog.cli.tail:files",
    "jobs": "aomlog.cli.jobs:jobs",
    "metrics": "aomlog.cli.metrics:metrics",
    "status": "aomlog.cli.status:status",
    "events": "aomlog.cli.events:events",
    "usage": "aomlog.cli.usage:usage",
    "configure": "aomlog.cli.configure:configure",
    "simulate": "aomlog.cli.simulate:simulate",
    "demo": "aomlog.cli.simulate:demo",
    "completion": "aomlog.cli.completion:completion",
}

# Each command's line in `aomlog --help`, short enough never to be cut: the list is written from
# here, without importing a command's module. A command missing here is imported for its own.
SUMMARIES = {
    "tail": "Print a job's log, or follow it to the end.",
    "files": "List a job's tasks (v2) or log files (v1).",
    "jobs": "List the newest training jobs of both APIs.",
    "metrics": "Chart or export the metrics in a job's log.",
    "status": "Show a v2 job's phase, tasks, exits, faults.",
    "events": "Show a v2 job's events, or follow them.",
    "usage": "Chart each task's GPU/NPU, CPU and memory.",
    "configure": "Store a key pair, region and project id.",
    "simulate": "Serve a simulated ModelArts API locally.",
    "demo": "Follow a simulated job: no account needed.",
    "completion": "Print the shell completion script.",
}


class AomlogGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        where = COMMANDS.get(name)
        if where is None:
            return None
        import importlib

        module, attribute = where.split(":")
        command = getattr(importlib.import_module(module), attribute)
        if command.short_help is None and name in SUMMARIES:  # the same words where shells show them
            command.short_help = SUMMARIES[name]
        return command

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            summary = SUMMARIES.get(name)
            if summary is None:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(formatter.width - 6 - len(name)) if command else ""
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise _Stop(_interrupted(exc)) from None
        except BrokenPipeError:
            raise _Stop(ExitStatus.PIPE_CLOSED) from None


def _interrupted(exc: KeyboardInterrupt) -> ExitStatus:
    """The status of Ctrl-C or SIGTERM."""
    return getattr(exc, "status", ExitStatus.INTERRUPTED)


@click.group(cls=AomlogGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="aomlog")
def cli() -> None:
    """Tail the logs of Huawei Cloud ModelArts training jobs.

    \b
    Examples:
      aomlog jobs                          your newest training jobs
      aomlog tail resnet50-train -f        wait for it to start, follow its log
      aomlog tail resnet50-train -n 1000   the newest 1000 lines
      aomlog metrics resnet50-train        its curves: loss, accuracy, ... by step
      aomlog status resnet50-train         why it waits or failed, what it uses
      aomlog files resnet50-train          the job's tasks (v1: the log files)
      aomlog configure                     store an access key pair and region
      aomlog demo                          try it against the built-in simulator
    """


def run(argv: Optional[List[str]] = None, env: Optional["Environment"] = None) -> int:
    """Run the CLI and return its exit status; no exception escapes. ``env``: what the commands
    take from the world around them (``aomlog.cli.env``); by default the process's own."""
    if os.environ.get(completion.COMPLETE_VAR):
        return _complete()
    args = argv if argv is not None else sys.argv[1:]
    if not args:  # `aomlog` alone: the help on stdout and status 0, as git and kubectl do
        sys.stdout.write(cli.get_help(click.Context(cli, info_name="aomlog", **CONTEXT_SETTINGS)) + "\n")
        return ExitStatus.OK
    debug = "--debug" in args
    try:
        rv = cli.main(args=argv, prog_name="aomlog", standalone_mode=False, obj=env)
        return rv if isinstance(rv, int) else ExitStatus.OK
    except _Stop as stop:
        if stop.status == ExitStatus.PIPE_CLOSED:
            silence_stdout()
        return stop.status
    except click.exceptions.Abort:
        return ExitStatus.INTERRUPTED
    except click.ClickException as exc:
        return report_error(exc.format_message(), _usage_hint(exc), exc.exit_code)
    except AomlogError as exc:
        from aomlog.cli.hints import worded

        return report_error(*worded(exc), int(exc.status))
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except BrokenPipeError:
        silence_stdout()
        return ExitStatus.PIPE_CLOSED
    except Exception as exc:  # the last line of defence: a message, never a bare traceback
        return report_unexpected(exc, debug)


def _complete() -> int:
    """Answer the completion script's request (stdout: candidates) with nothing ever on stderr:
    the shell shows it in the middle of the command line being typed."""
    import contextlib
    import io

    with contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main(prog_name="aomlog", complete_var=completion.COMPLETE_VAR)
        except SystemExit as done:  # how click ends a completion
            return done.code if isinstance(done.code, int) else ExitStatus.ERROR
        except BaseException:  # a bug or Ctrl-C: no candidates, and no traceback in the prompt
            return ExitStatus.ERROR
    return ExitStatus.OK


def _usage_hint(exc: click.ClickException) -> Optional[str]:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        return f"See '{ctx.command_path} --help'."
    return "See 'aomlog --help'."


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main() -> None:
    env = guard = None
    if not os.environ.get(completion.COMPLETE_VAR):  # completing on TAB needs neither, and hurries
        from aomlog.cli.env import Environment
        from aomlog.engine.signals import Guard

        guard = Guard(at_once=_leave_at_once)
        guard.install()  # SIGTERM ends a run as quietly as Ctrl-C, and neither cuts a page in two
        env = Environment(stop=guard)
    try:
        try:
            status = run(env=env)
        finally:
            if guard is not None:
                guard.ending()  # a signal from here on leaves at once, never as an exception in the exit
    except KeyboardInterrupt as exc:  # one that landed in run's own error handling, or before ending()
        status = _interrupted(exc)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        status = status or ExitStatus.PIPE_CLOSED
    if guard is not None and status in (ExitStatus.INTERRUPTED, ExitStatus.TERMINATED):
        # Stopped: no atexit callbacks and no interpreter shutdown, where a further signal
        # would find Python's own handlers back (killed by it, with no message and no status).
        _flush_stderr()
        os._exit(int(status))
    sys.exit(int(status))


def _leave_at_once(status: int, mid_page: bool) -> None:
    """A second Ctrl-C or SIGTERM, or one after the run (``Guard.at_once``): say so and leave now,
    whatever is running. Nothing is flushed: a reader that stopped reading must not hold aomlog."""
    words = "aomlog: stopped at once"
    if mid_page:
        words += (", in the middle of a page: the output ends with part of it "
                  "(a restart from a --cursor-file prints that page again)")
    try:
        os.write(2, (("\r\x1b[K" if os.isatty(2) else "") + words + "\n").encode())  # over a status line
    except OSError:
        pass
    os._exit(status)


def _flush_stderr() -> None:
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
