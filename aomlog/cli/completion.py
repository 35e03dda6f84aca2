"""Shell completion: ``aomlog completion bash|zsh|fish`` and the values offered on TAB.

click does the work: its shell script runs aomlog again with ``_AOMLOG_COMPLETE`` set,
and click answers with the commands, options and choices, and with what the
``shell_complete`` callbacks below return. Whatever a callback prints lands in the
user's prompt, and whatever it waits for keeps the prompt waiting: so each one
catches everything, and the one that calls the API gives up after FETCH_BUDGET seconds.
Nothing heavy is imported here, so that completing an option name starts fast.
bash gets a script and an answer of its own: see BashComplete.
"""

from __future__ import annotations

import functools
import os
from typing import Callable, Iterable, List, Optional

import click
import click.shell_completion

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


# The bash script sends the command line up to the cursor, as typed, rather than click's
# COMP_WORDS and COMP_CWORD: bash splits its words at each character of COMP_WORDBREAKS
# (":" and "=" among them), so that "--endpoint http://127.0.0.1:8080" arrived as five
# words and nothing after it completed. It sends COMP_WORDBREAKS too: readline replaces
# only the text after the last of them in the word, and the candidates must fit that.
# Each answer row is TYPE,VALUE; the value is added as it is, never split or globbed.
_SOURCE_BASH = """\
%(complete_func)s() {
    local response completion

    response=$(env COMP_LINE="${COMP_LINE:0:COMP_POINT}" COMP_WORDBREAKS="$COMP_WORDBREAKS" \\
%(complete_var)s=bash_complete "$1")

    while IFS= read -r completion; do
        case ${completion%%%%,*} in
            dir) COMPREPLY=(); compopt -o dirnames ;;
            file) COMPREPLY=(); compopt -o default ;;
            plain) COMPREPLY+=("${completion#*,}") ;;
        esac
    done <<< "$response"

    return 0
}

%(complete_func)s_setup() {
    complete -o nosort -F %(complete_func)s %(prog_name)s
}

%(complete_func)s_setup;
"""

BASH_WORDBREAKS = " \t\n\"'><=;|&(:"  # bash's COMP_WORDBREAKS unless the user changes it


class BashComplete(click.shell_completion.BashComplete):
    """bash completion from the command line as typed (COMP_LINE), split as click will parse it.

    click's own script (and bench/completion.py) sends COMP_WORDS and COMP_CWORD instead:
    answered as click answers it.
    """

    source_template = _SOURCE_BASH
    replaced: Optional[str] = None  # the end of the word being typed that readline replaces

    def get_completion_args(self):
        line = os.environ.get("COMP_LINE")
        if line is None:
            return super().get_completion_args()
        words = split_line(line)
        self.replaced = replaced_text(line, os.environ.get("COMP_WORDBREAKS", BASH_WORDBREAKS))
        return words[1:-1], words[-1]

    def get_completions(self, args, incomplete):
        items = super().get_completions(args, incomplete)
        if self.replaced is None:
            return items
        return [item for item in (fit_to_readline(item, incomplete, self.replaced) for item in items) if item]


click.shell_completion.add_completion_class(BashComplete)


def fit_to_readline(item, typed: str, replaced: str):
    """The candidate as readline must insert it in place of ``replaced``, the end of the word
    ``typed``; None if it cannot be inserted there. Like bash-completion's __ltrim_colon_completions.

    click completes the value after "--option=" (as it does, "=" alone is nothing typed);
    readline replaces only what follows the word's last COMP_WORDBREAKS character.
    """
    if item.type != "plain" or not typed.endswith(replaced):
        return item
    value = typed.partition("=")[2] if typed.startswith("-") and "=" in typed else "" if typed == "=" else typed
    whole = typed[:len(typed) - len(value)] + item.value  # the word as the candidate completes it
    kept = typed[:len(typed) - len(replaced)]
    if not whole.startswith(kept):
        return None
    return click.shell_completion.CompletionItem(whole[len(kept):], item.type, item.help)


def split_line(line: str) -> List[str]:
    """The words of a command line that ends at the cursor, unquoted as the shell will; the
    last is the word being typed, "" after a blank. An unclosed quote or a final backslash is no error."""
    import shlex

    lexer = shlex.shlex(line + "_", posix=True)  # the "_" makes a word at the cursor, even an empty one
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: List[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an unclosed quote: the word so far
        words.append(lexer.token)
    words[-1] = words[-1][:-1]
    return words


def replaced_text(line: str, breaks: str) -> str:
    """The end of ``line`` that readline replaces with a candidate, unquoted: from just after the
    last blank or ``breaks`` character that is not quoted, or from just inside a quote left open."""
    start, quote, opened, i = 0, "", 0, 0
    while i < len(line):
        ch = line[i]
        if quote == "'":
            quote = "" if ch == "'" else quote
        elif ch == "\\":
            i += 1  # the next character is quoted
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote, opened = ch, i + 1
        elif ch.isspace() or ch in breaks:
            start = i + 1
        i += 1
    return split_line(quote + line[opened:] if quote else line[start:])[-1]


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
def job_ids(ctx: click.Context) -> List[str]:
    """Jobs read lately, then the ids and names of the jobs 'aomlog jobs' listed last."""
    from aomlog import cache

    listed = cache.listed_jobs()
    return ([job for job, _ in cache.recent_jobs()] + [job for job, _, _ in listed]
            + [name for _, _, name in listed if name])


@_candidates
def recent_version_ids(ctx: click.Context) -> List[str]:
    from aomlog import cache

    job = ctx.params.get("job")
    known = [(j, v) for j, v in cache.recent_jobs()] + [(j, v) for j, v, _ in cache.listed_jobs()]
    return [version for j, version in known if j == job and version is not None]


@_candidates
def stream_names(ctx: click.Context) -> List[str]:
    """The job's log files or tasks, from a cache of a minute or the API, less those already named."""
    import time

    from aomlog import cache, config

    deadline = time.monotonic() + FETCH_BUDGET
    job, version = _typed_ids(ctx)
    if not job:
        return []
    settings = config.resolve({name: ctx.params.get(name) for name in ("endpoint", "region", "project_id", "profile")})
    key = " ".join((settings.endpoint, settings.project_id, job, version or ""))
    names = cache.cached_file_names(key)
    if names is None:
        from aomlog.api import Apis
        from aomlog.connect import connect

        apis = Apis(connect(settings, timeout=FETCH_BUDGET, retries=0))

        def lookup() -> List[str]:
            ref = apis.resolve(job, version)
            return apis.of(ref).streams(ref)

        names = _within(deadline - time.monotonic(), lookup)
        if names is None:
            return []
        cache.store_file_names(key, names)
    chosen = set(ctx.params.get("files") or ()) | set(ctx.params.get("tasks") or ())
    return [name for name in names if name not in chosen]


def _typed_ids(ctx: click.Context):
    """JOB and VERSION as typed before the option being completed.

    An option left without its value (``--file <TAB>``) stops click's parsing before
    the arguments get their values: the words it had set aside for them are then in ctx.args.
    """
    if ctx.params.get("job") is not None:
        return ctx.params.get("job"), ctx.params.get("version")
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
