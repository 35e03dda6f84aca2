"""Shell completion: ``aomlog completion bash|zsh|fish`` and the values offered on TAB.

click does the work: its shell script runs aomlog again with ``_AOMLOG_COMPLETE`` set,
and click answers with the commands, options and choices, and with what the
``shell_complete`` callbacks below return. Whatever a callback prints lands in the
user's prompt, and whatever it waits for keeps the prompt waiting: so each one
catches everything, and the one that calls the API gives up after FETCH_BUDGET seconds.
Nothing heavy is imported here, so that completing an option name starts fast.
Each shell's script and the answers it reads are in shells.py.
"""

from __future__ import annotations

import functools
from typing import Callable, Iterable, List, Optional, Tuple

import click
import click.shell_completion

from aomlog.cli import shells  # noqa: F401  (registers each shell's pinned script and answers)

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
    config file, JOB from the jobs tail and files read lately and the ids and names
    'aomlog jobs' listed, VERSION from those, and --file and --task from the API (at
    most about a second's wait, cached for a minute).
    """
    click.echo(script(click.get_current_context().find_root().command, shell), nl=False)


def script(command: click.Command, shell: str) -> str:
    """The script click prints for ``_AOMLOG_COMPLETE=<shell>_source aomlog``."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None, shell  # SHELLS are the shells click knows
    return completer(command, {}, "aomlog", COMPLETE_VAR).source()


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


def spelt_as(names: Iterable[str]):
    """A ``shell_complete`` callback offering ``names`` as spelt (Warning, gpuUtil) to what is typed in
    any case; click would offer a case-insensitive choice in lower case."""
    names = list(names)

    def callback(ctx: click.Context, param: click.Parameter, incomplete: str) -> List[str]:
        return [name for name in names if name.lower().startswith(incomplete.lower())]

    return callback


def _insertable(value: str) -> bool:
    # A newline or another control character cannot travel in the scripts' answers, one a line;
    # spaces can (the shells quote what they insert, see shells.py).
    return bool(value) and all(ch.isprintable() or ch == " " for ch in value)


@_candidates
def profile_names(ctx: click.Context) -> List[str]:
    from aomlog.settings import config

    path = config.config_path()
    return sorted(config.profiles_of(config.load_toml(path), path))


def _jobs(ctx: click.Context) -> List[str]:
    """Jobs read lately, then the ids and names of the jobs 'aomlog jobs' listed last."""
    from aomlog.settings import cache

    listed = cache.listed_jobs()
    return ([job for job, _ in cache.recent_jobs()] + [job for job, _, _ in listed]
            + [name for _, _, name in listed if name])


job_ids = _candidates(_jobs)


@_candidates
def recent_version_ids(ctx: click.Context) -> List[str]:
    return _versions_of(ctx.params.get("job"))


def _versions_of(job: Optional[str]) -> List[str]:
    from aomlog.settings import cache

    known = [(j, v) for j, v in cache.recent_jobs()] + [(j, v) for j, v, _ in cache.listed_jobs()]
    known += [(name, v) for _, v, name in cache.listed_jobs() if name]
    return [version for j, version in known if j == job and version is not None]


@_candidates
def run_ids(ctx: click.Context) -> List[str]:
    """For each JOB [VERSION] of ``metrics``: after a v1 job, its versions; the jobs, as for JOB."""
    runs = split_runs(list(ctx.params.get("runs") or ()))
    last = runs[-1] if runs else None
    versions = _versions_of(last[0]) if last is not None and last[1] is None else []
    return versions + _jobs(ctx)


def split_runs(words: List[str]) -> List[Tuple[str, Optional[str]]]:
    """JOB [VERSION] ... as typed: a number right after a v1 job's id is its version. (A v1 job's
    name followed by a number is told apart from two jobs only by the API: not here.)"""
    runs: List[Tuple[str, Optional[str]]] = []
    for word in words:
        if runs and runs[-1][1] is None and _number(runs[-1][0]) and _number(word):
            runs[-1] = (runs[-1][0], word)
        else:
            runs.append((word, None))
    return runs


def _number(word: str) -> bool:
    return word.isascii() and word.isdigit()


@_candidates
def metric_names(ctx: click.Context) -> List[str]:
    """The metrics found the last time the jobs typed were read (a cache: no request at TAB)."""
    from aomlog.settings import cache

    jobs = [job for job, _ in split_runs(list(ctx.params.get("runs") or ()))] or list(ctx.args)
    names: List[str] = []
    for job in jobs:
        names += cache.metric_names(job)
    return names


@_candidates
def stream_names(ctx: click.Context) -> List[str]:
    """The job's log files or tasks, from a cache of a minute or the API, less those already named."""
    import time

    from aomlog.settings import cache, config, key_pairs
    from aomlog.settings.connect import cached_project, connect

    deadline = time.monotonic() + FETCH_BUDGET
    job, version = _typed_ids(ctx)
    if not job:
        return []
    from aomlog.cli.hints import FLAG_NAMES

    settings = config.resolve({name: ctx.params.get(name) for name in ("endpoint", "region", "project_id", "profile")},
                              flag_names=FLAG_NAMES)
    if settings.can_look_up_project():
        cached_project(settings)  # a project id IAM gave before; asking IAM is left to lookup()

    def key() -> str:
        return " ".join((settings.endpoint, settings.get("project_id") or "", job, version or ""))

    names = cache.cached_file_names(key())
    if names is None:
        from aomlog.cli.apis import apis_over

        if not settings.get("token") and key_pairs.rejected_lately(settings.get("ak")):
            return []  # a TAB must not bring a rejected key pair nearer its lockout (nor ask IAM)

        def lookup() -> List[str]:
            client = connect(settings, timeout=FETCH_BUDGET, retries=0)
            apis = apis_over(client)
            ref = apis.resolve(job, version)
            return apis.of(ref).streams(ref)

        names = _within(deadline - time.monotonic(), lookup)
        if names is None:
            return []
        cache.store_file_names(key(), names)  # the project id may have come from IAM meanwhile
    chosen = set(ctx.params.get("files") or ()) | set(ctx.params.get("tasks") or ())
    return [name for name in names if name not in chosen]


def _typed_ids(ctx: click.Context):
    """JOB and VERSION as typed before the option being completed.

    An option left without its value (``--file <TAB>``) stops click's parsing before
    the arguments get their values: the words it had set aside for them are then in ctx.args.
    """
    if ctx.params.get("job") is not None:
        return ctx.params.get("job"), ctx.params.get("version")
    if ctx.params.get("runs"):  # metrics: its first job
        return split_runs(list(ctx.params["runs"]))[0]
    words = list(ctx.args[:2]) + [None, None]
    return words[0], words[1]


def _within(seconds: float, work: Callable[[], List[str]]) -> Optional[List[str]]:
    """What ``work()`` returns if it returns within ``seconds``, else None.

    The socket timeout alone is no bound: a server that trickles bytes resets it
    with each one. A call still running when we give up is in a daemon thread, so
    the process exits without it.
    """
    from aomlog.threads import Background

    try:
        return Background(work, "aomlog-complete").result(max(0.0, seconds))
    except Exception:  # nothing to offer; a traceback would land in the user's prompt
        return None
