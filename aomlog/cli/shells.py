"""Each shell's completion script, and what aomlog answers it: fixed here, not taken from click.

click's scripts and answers change between its versions (fish's script and answer
format did in 8.4), so a script installed once would stop working after an upgrade
of click, and ``aomlog completion`` would print something else than
``completions/`` holds. The three classes below pin both sides for every click
that ``pyproject.toml`` allows; click still does the parsing and calls the
``shell_complete`` callbacks.

Values may hold spaces (a log file ``job test.0``): zsh's ``compadd`` and fish quote
what they insert; for bash the answer is quoted here, as readline will insert it.
"""

from __future__ import annotations

import os
import re
import shlex
from typing import List, Optional, Tuple

import click
import click.shell_completion
from click.shell_completion import CompletionItem

# The bash script sends the command line up to the cursor, as typed, rather than click's
# COMP_WORDS and COMP_CWORD: bash splits its words at each character of COMP_WORDBREAKS
# (":" and "=" among them), so that "--endpoint http://127.0.0.1:8080" arrived as five
# words and nothing after it completed. It sends COMP_WORDBREAKS too: readline replaces
# only the text after the last of them in the word, and the candidates must fit that.
# Each answer row is TYPE,VALUE; the value is added as it is, never split or globbed.
SOURCE_BASH = """\
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

# zsh: click 8.2's script, which also works when autoloaded from $fpath. Answers are
# three lines each: type, value, help ("_" for none).
SOURCE_ZSH = """\
#compdef %(prog_name)s

%(complete_func)s() {
    local -a completions
    local -a completions_with_descriptions
    local -a response
    (( ! $+commands[%(prog_name)s] )) && return 1

    response=("${(@f)$(env COMP_WORDS="${words[*]}" COMP_CWORD=$((CURRENT-1)) \
%(complete_var)s=zsh_complete %(prog_name)s)}")

    for type key descr in ${response}; do
        if [[ "$type" == "plain" ]]; then
            if [[ "$descr" == "_" ]]; then
                completions+=("$key")
            else
                completions_with_descriptions+=("$key":"$descr")
            fi
        elif [[ "$type" == "dir" ]]; then
            _path_files -/
        elif [[ "$type" == "file" ]]; then
            _path_files -f
        fi
    done

    if [ -n "$completions_with_descriptions" ]; then
        _describe -V unsorted completions_with_descriptions -U
    fi

    if [ -n "$completions" ]; then
        compadd -U -V unsorted -a completions
    fi
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    # autoload from fpath, call function directly
    %(complete_func)s "$@"
else
    # eval/source/. command, register function for later
    compdef %(complete_func)s %(prog_name)s
fi
"""

# fish: answers are TYPE,VALUE a line; only the first comma separates (a value may hold commas).
SOURCE_FISH = """\
function %(complete_func)s;
    set -l response (env %(complete_var)s=fish_complete COMP_WORDS=(commandline -cp) \
COMP_CWORD=(commandline -t) %(prog_name)s);

    for completion in $response;
        set -l metadata (string split -m 1 "," $completion);

        if test $metadata[1] = "dir";
            __fish_complete_directories $metadata[2];
        else if test $metadata[1] = "file";
            __fish_complete_path $metadata[2];
        else if test $metadata[1] = "plain";
            echo $metadata[2];
        end;
    end;
end;

complete --no-files --command %(prog_name)s --arguments "(%(complete_func)s)";
"""

BASH_WORDBREAKS = " \t\n\"'><=;|&(:"  # bash's COMP_WORDBREAKS unless the user changes it
# What bash would read as anything but the character itself, outside quotes.
_BASH_SPECIAL = re.compile(r"([^\w.\-+/:=@%,^])")


def split_line(line: str) -> List[str]:
    """The words of a command line that ends at the cursor, unquoted as the shell will; the
    last is the word being typed, "" after a blank. An unclosed quote or a final backslash is no error."""
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


def replaced_text(line: str, breaks: str) -> Tuple[str, bool]:
    """The end of ``line`` that readline replaces with a candidate, unquoted: from just after the
    last blank or ``breaks`` character that is not quoted, or from just inside a quote left open;
    and whether that quote is open."""
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
    return split_line(quote + line[opened:] if quote else line[start:])[-1], bool(quote)


def fit_to_readline(item: CompletionItem, typed: str, replaced: str, in_quote: bool = False):
    """The candidate as readline must insert it in place of ``replaced``, the end of the word
    ``typed``; None if it cannot be inserted there. Like bash-completion's __ltrim_colon_completions.

    click completes the value after "--option=" (as it does, "=" alone is nothing typed);
    readline replaces only what follows the word's last COMP_WORDBREAKS character. Outside
    a quote, a space or another character special to bash is escaped with a backslash.
    """
    if item.type != "plain" or not typed.endswith(replaced):
        return item
    value = typed.partition("=")[2] if typed.startswith("-") and "=" in typed else "" if typed == "=" else typed
    whole = typed[:len(typed) - len(value)] + item.value  # the word as the candidate completes it
    kept = typed[:len(typed) - len(replaced)]
    if not whole.startswith(kept):
        return None
    inserted = whole[len(kept):]
    if not in_quote:
        inserted = _BASH_SPECIAL.sub(r"\\\1", inserted)
    return CompletionItem(inserted, item.type, item.help)


class BashComplete(click.shell_completion.BashComplete):
    """bash completion from the command line as typed (COMP_LINE), split as click will parse it.

    click's own script (and bench/completion.py) sends COMP_WORDS and COMP_CWORD instead:
    answered as click answers it.
    """

    source_template = SOURCE_BASH
    replaced: Optional[str] = None  # the end of the word being typed that readline replaces
    in_quote = False

    def get_completion_args(self):
        line = os.environ.get("COMP_LINE")
        if line is None:
            return super().get_completion_args()
        words = split_line(line)
        self.replaced, self.in_quote = replaced_text(line, os.environ.get("COMP_WORDBREAKS", BASH_WORDBREAKS))
        return words[1:-1], words[-1]

    def get_completions(self, args, incomplete):
        items = super().get_completions(args, incomplete)
        if self.replaced is None:
            return items
        fitted = (fit_to_readline(item, incomplete, self.replaced, self.in_quote) for item in items)
        return [item for item in fitted if item]


class ZshComplete(click.shell_completion.ZshComplete):
    source_template = SOURCE_ZSH

    def get_completion_args(self):
        words = split_line(os.environ["COMP_WORDS"])
        cword = int(os.environ["COMP_CWORD"])
        return words[1:cword], words[cword] if cword < len(words) else ""

    def format_completion(self, item: CompletionItem) -> str:
        help_ = " ".join((item.help or "").split()) or "_"
        # `_describe` splits a value from its help at the first unescaped colon; `compadd` takes it as is.
        value = item.value.replace(":", r"\:") if help_ != "_" else item.value
        return f"{item.type}\n{value}\n{help_}"


class FishComplete(click.shell_completion.FishComplete):
    source_template = SOURCE_FISH

    def get_completion_args(self):
        words = split_line(os.environ["COMP_WORDS"])
        if words and not words[-1]:  # a blank before the cursor: no word is being typed
            words.pop()
        incomplete = os.environ["COMP_CWORD"]
        if incomplete:
            incomplete = split_line(incomplete)[-1]
        args = words[1:]
        # fish gives the word being typed in both COMP_WORDS and COMP_CWORD.
        if incomplete and args and args[-1] == incomplete:
            args.pop()
        return args, incomplete

    def format_completion(self, item: CompletionItem) -> str:
        return f"{item.type},{item.value}"


for _shell in (BashComplete, ZshComplete, FishComplete):
    click.shell_completion.add_completion_class(_shell)
