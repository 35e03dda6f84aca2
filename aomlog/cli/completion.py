"""Shell completion: ``aomlog completion bash|zsh|fish`` and the values offered on TAB.

click does the work: its shell script runs aomlog again with ``_AOMLOG_COMPLETE`` set,
and click answers with the commands, options and choices, and with what the
``shell_complete`` callbacks below return. Whatever a callback prints lands in the
user's prompt, and whatever it waits for keeps the prompt waiting: so each one
catches everything, and the one that calls the API gives up after FETCH_BUDGET seconds.
Nothing heavy is imported here, so that completing an option name starts fast.
"""

from __future__ import annotations

import functools
from typing import Callable, Iterable, List, Optional

import click

COMPLETE_VAR = "_AOMLOG_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
FETCH_BUDGET = 0.8  # seconds for the whole file-names lookup: settings, connect, answer


@click.command()
@click.argument("shell", type=click.Choice(SHELLS), metavar="SHELL")
def completion(shell: str) -> None:
    """Print the shell completion script for bash, zsh or fish.

    The scripts are also in the source tree's completions/ directory. To load
    completion in every new shell, add one line to the shell's start-up file:

    \b
      eval "$(aomlog completion bash)"    ~/.bashrc
      eval "$(aomlog completion zsh)"     ~/.zshrc, after compinit
      aomlog completion fish | source     ~/.config/fish/config.fish

    TAB then completes commands, options and their choices, --profile from the
    config file, JOB_ID and VERSION_ID from the jobs tail and files read lately,
    and --file from the API (at most about a second's wait, cached for a minute).
    """
    click.echo(script(click.get_current_context().find_root().command, shell), nl=False)


def script(command: click.Command, shell: str) -> str:
    """The script click prints for ``_AOMLOG_COMPLETE=<shell>_source aomlog``."""
    from click.shell_completion import get_completion_class

    return get_completion_class(shell)(command, {}, "aomlog", COMPLETE_VAR).source()


def _candidates(values: Callable[[click.Context], Iterable[str]]):
    """A ``shell_complete`` callback offering those of ``values(ctx)`` that start with what is typed,
    and nothing at all when anything goes wrong."""

    @functools.wraps(values)
    def callback(ctx: click.Context, param: click.Parameter, incomplete: str) -> List[str]:
        try:
            return [v for v in dict.fromkeys(values(ctx)) if v.startswith(incomplete) and _insertable(v)]
        except Exception:
            return []

    return callback


def _insertable(value: str) -> bool:
    # The shells insert a candidate as it is: a space or a control character in it
    # would break the command line rather than complete it.
    return bool(value) and value.isprintable() and not any(ch.isspace() for ch in value)


@_candidates
def profile_names(ctx: click.Context) -> List[str]:
    from aomlog import config

    path = config.config_path()
    return sorted(config.profiles_of(config.load_toml(path), path))


@_candidates
def recent_job_ids(ctx: click.Context) -> List[str]:
    from aomlog import cache

    return [job for job, _ in cache.recent_jobs()]


@_candidates
def recent_version_ids(ctx: click.Context) -> List[str]:
    from aomlog import cache

    return [version for job, version in cache.recent_jobs() if job == ctx.params.get("job_id")]


@_candidates
def log_file_names(ctx: click.Context) -> List[str]:
    """The version's log files, from a cache of a minute or the API, less those already named."""
    import time

    from aomlog import cache, config

    deadline = time.monotonic() + FETCH_BUDGET
    job, version = _typed_ids(ctx)
    if not job or not version:
        return []
    settings = config.resolve({name: ctx.params.get(name) for name in ("endpoint", "region", "project_id", "profile")})
    key = " ".join((settings.endpoint, settings.project_id, job, version))
    names = cache.cached_file_names(key)
    if names is None:
        from aomlog.client import Client

        client = Client(settings.endpoint, settings.project_id, config.make_auth(settings),
                        timeout=FETCH_BUDGET, retries=0)
        names = _within(deadline - time.monotonic(), lambda: client.file_names(job, version))
        if names is None:
            return []
        cache.store_file_names(key, names)
    chosen = ctx.params.get("log_files") or ()
    return [name for name in names if name not in chosen]


def _typed_ids(ctx: click.Context):
    """JOB_ID and VERSION_ID as typed before the option being completed.

    An option left without its value (``--file <TAB>``) stops click's parsing before
    the arguments get their values: the words it had set aside for them are then in ctx.args.
    """
    if ctx.params.get("version_id") is not None:
        return ctx.params.get("job_id"), ctx.params["version_id"]
    words = list(ctx.args[:2]) + [None, None]
    return words[0], words[1]


def _within(seconds: float, work: Callable[[], List[str]]) -> Optional[List[str]]:
    """What ``work()`` returns if it returns within ``seconds``, else None.

    The socket timeout alone is no bound: a server that trickles bytes resets it
    with each one. A thread still waiting when we give up is a daemon, so the
    process exits without it.
    """
    import threading

    result: List[List[str]] = []

    def run() -> None:
        try:
            result.append(work())
        except Exception:  # in a thread, an exception would print a traceback into the prompt
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(max(0.0, seconds))
    return result[0] if result else None
