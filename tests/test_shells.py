"""The checked-in completion scripts in the real bash, zsh and fish.

Each test loads a script the way the README installs it, has the shell complete a
command line, and reads back the candidates the shell would offer. A shell that is not
installed skips its tests, saying so; .ci/run installs all three and sets
AOMLOG_REQUIRE_SHELLS, which makes a missing one a failure there.
"""

import os
import pty
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from aomlog.simulator import Job

COMPLETIONS = ROOT / "completions"

# bash: an interactive bash on a terminal of its own, so that bash itself splits the
# line into COMP_WORDS, COMP_LINE and COMP_POINT (at ":" and "=" too) as it does for a
# user. The function `complete` registered for aomlog is wrapped to write what it offers,
# and a key bound with `bind -x` writes the command line as TAB left it (each file is
# written under another name first, so that it is whole once it has its own).
BASH_RC = r"""
source {script}
function=$(complete -p aomlog | sed -E 's/.* -F ([^ ]+) .*/\1/')
eval "original_$(declare -f "$function")"
eval "$function() {{ original_$function \"\$@\"; offered; }}"
offered() {{
    if (( ${{#COMPREPLY[@]}} )); then printf '%s\n' "${{COMPREPLY[@]}}"; fi > {out}/part && mv {out}/part {out}/offered
}}
bind -x '"\C-x\C-l": printf "%s" "$READLINE_LINE" > {out}/part && mv {out}/part {out}/line'
PS1='$ '
: > {out}/ready
"""

# zsh: autoload _aomlog from fpath as compinit would, and stand in for the two
# builtins that only work inside a completion widget, printing what they are given.
ZSH = """
fpath=({directory} $fpath)
autoload -Uz _aomlog
compadd() {{ print -rl -- "${{(@P)${{@[-1]}}}}" }}
_describe() {{ local item; for item in "${{(@P)3}}"; do print -r -- "${{item%%:*}}"; done }}
words=({words}); CURRENT={current}
_aomlog
"""

# fish: its own non-interactive completion of a command line.
FISH = """
source {script}
complete -C {line}
"""


def shell(name):
    path = shutil.which(name)
    if path is None:
        why = f"{name} is not installed: it is needed to test its completion (apt-get install {name})"
        if os.environ.get("AOMLOG_REQUIRE_SHELLS"):
            pytest.fail(why)
        pytest.skip(why)
    return path


def complete_in(name, line, env):
    """The candidates ``name`` offers for ``line``, the cursor at its end."""
    if name == "bash":
        return tab_in_bash(line, env)[0]
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    quoted = " ".join(shlex.quote(w) for w in words)
    if name == "zsh":
        command = [shell("zsh"), "-f", "-c", ZSH.format(directory=COMPLETIONS, words=quoted, current=len(words))]
    else:
        command = [shell("fish"), "--no-config", "-c",
                   FISH.format(script=COMPLETIONS / "aomlog.fish", line=shlex.quote(line))]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    return [row.split("\t")[0] for row in done.stdout.splitlines() if row]


def tab_in_bash(line, env, after=""):
    """Type ``line`` and then ``after`` in an interactive bash, move the cursor back to the end
    of ``line``, press TAB once: (the candidates bash got, the command line as TAB left it)."""
    out = Path(env["HOME"]) / "bash-tab"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    (out / "rc").write_text(BASH_RC.format(script=shlex.quote(str(COMPLETIONS / "aomlog.bash")),
                                           out=shlex.quote(str(out))))
    terminal, bash_side = pty.openpty()
    bash = subprocess.Popen([shell("bash"), "--noprofile", "--rcfile", str(out / "rc"), "-i"],
                            stdin=bash_side, stdout=bash_side, stderr=bash_side, start_new_session=True,
                            env=dict(env, TERM="dumb", INPUTRC="/dev/null", HISTFILE="/dev/null"))
    os.close(bash_side)
    screen = bytearray()

    def wait_for(name):
        deadline = time.monotonic() + 30
        while not (out / name).exists():
            assert time.monotonic() < deadline and bash.poll() is None, (
                f"bash wrote no {name}; its terminal: {bytes(screen)!r}")
            if select.select([terminal], [], [], 0.02)[0]:
                screen.extend(os.read(terminal, 4096))
        return (out / name).read_text()

    try:
        wait_for("ready")
        os.write(terminal, (line + after + "\x02" * len(after) + "\t").encode())  # C-b: a character back
        offered = wait_for("offered").splitlines()
        os.write(terminal, b"\x18\x0c")  # C-x C-l, bound above
        after_tab = wait_for("line")
        os.write(terminal, b"\x15exit\n")  # C-u: empty the line
        bash.wait(timeout=30)
    finally:
        if bash.poll() is None:
            bash.kill()
            bash.wait()
        os.close(terminal)
    return offered, after_tab


@pytest.fixture
def served(simulator):
    """(environment, URL): PATH finds this aomlog first; the simulator at URL serves job 10
    version 10 with two log files, and job 20 version 1 with names that hold a colon."""
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "aomlog").exists(), f"aomlog is not installed in {bin_dir}: pip install -e ."
    sim = simulator([Job(10, 10, ["worker-0.log", "worker-1.log"], total_lines=5),
                     Job(20, 1, ["node:0.log", "node:1.log", "other.log"], total_lines=5),
                     Job(30, 1, ["job test.0", "job test.1"], total_lines=5)])
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                HUAWEICLOUD_SDK_PROJECT_ID="p0123"), sim.url


@pytest.fixture
def shell_env(served):
    env, url = served
    return dict(env, AOMLOG_ENDPOINT=url)


CASES = [
    ("aomlog ta", ["tail"]),
    ("aomlog tail --fi", ["--file"]),
    ("aomlog tail 10 10 --color ", ["always", "auto", "never"]),
    ("aomlog tail 10 10 --file ", ["worker-0.log", "worker-1.log"]),
    ("aomlog tail 10 10 --file worker-1.log --file w", ["worker-0.log"]),
]
SPACES = {  # what each shell offers for names with a space: bash as readline must insert them
    "bash": ["job\\ test.0", "job\\ test.1"], "zsh": ["job test.0", "job test.1"], "fish": ["job test.0", "job test.1"],
}


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line, expected", CASES, ids=[line for line, _ in CASES])
def test_the_shell_completes(name, line, expected, shell_env):
    assert sorted(complete_in(name, line, shell_env)) == expected


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_the_shell_completes_names_with_spaces(name, shell_env):
    assert sorted(complete_in(name, "aomlog tail 30 1 --file job", shell_env)) == SPACES[name]


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_the_shell_completes_profiles_from_the_config_file(name, shell_env, clean_env):
    config = clean_env / ".config" / "aomlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[profiles.default]\n[profiles.staging]\n")
    assert sorted(complete_in(name, "aomlog files 10 10 --profile ", shell_env)) == ["default", "staging"]


# The endpoint typed as `aomlog simulate` prints it, unquoted: bash splits it at ":" and "=".
URL_CASES = [
    "aomlog tail 10 10 --endpoint {url} --file ",
    "aomlog tail 10 10 --endpoint={url} --file ",
    "aomlog tail --endpoint {url} 10 10 --file w",
    "aomlog tail --endpoint={url} --region r 10 10 --project-id p0123 -n 5 --file ",
]


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line", URL_CASES)
def test_the_shell_completes_files_after_an_endpoint_url(name, line, served):
    env, url = served
    assert sorted(complete_in(name, line.format(url=url), env)) == ["worker-0.log", "worker-1.log"]


# bash inserts a candidate in place of the text after the word's last ":" or "=" only:
# (line, text after the cursor, candidates, the line after one TAB).
BASH_INSERTS = [
    ("aomlog tail 10 10 --endpoint {url} --file worker-1", "", ["worker-1.log"],
     "aomlog tail 10 10 --endpoint {url} --file worker-1.log "),
    ("aomlog tail 10 10 --endpoint={url} --col", "", ["--color"], "aomlog tail 10 10 --endpoint={url} --color "),
    ("aomlog tail 10 10 --endpoint={url}", "", [], "aomlog tail 10 10 --endpoint={url}"),
    ("aomlog tail 10 10 --endpoint {url}", "", [], "aomlog tail 10 10 --endpoint {url}"),
    ("aomlog tail 10 10 --color=n", "", ["never"], "aomlog tail 10 10 --color=never "),
    ("aomlog tail 10 10 --color=", "", ["auto", "always", "never"], "aomlog tail 10 10 --color="),
    ("aomlog tail 20 1 --endpoint {url} --file node:1", "", ["1.log"], "aomlog tail 20 1 --endpoint {url} --file node:1.log "),
    ("aomlog tail 20 1 --endpoint {url} --file node:", "", ["0.log", "1.log"], "aomlog tail 20 1 --endpoint {url} --file node:"),
    ("aomlog tail 20 1 --endpoint {url} --file=n", "", ["node:0.log", "node:1.log"], "aomlog tail 20 1 --endpoint {url} --file=node:"),
    ("aomlog tail 20 1 --endpoint {url} --file 'node:1", "", ["node:1.log"],
     "aomlog tail 20 1 --endpoint {url} --file 'node:1.log' "),
    ("aomlog tail 10 10 --endpoint {url} --file worker-", " -n 5", ["worker-0.log", "worker-1.log"],
     "aomlog tail 10 10 --endpoint {url} --file worker- -n 5"),
    ("aomlog tail 20 1 --endpoint {url} --file o", " -n 5", ["other.log"],
     "aomlog tail 20 1 --endpoint {url} --file other.log -n 5"),
    ("aomlog tail 30 1 --endpoint {url} --file job", "", ["job\\ test.0", "job\\ test.1"],
     "aomlog tail 30 1 --endpoint {url} --file job\\ test."),
    ("aomlog tail 30 1 --endpoint {url} --file job\\ test.1", "", ["job\\ test.1"],
     "aomlog tail 30 1 --endpoint {url} --file job\\ test.1 "),
    ("aomlog tail 30 1 --endpoint {url} --file 'job test.1", "", ["job test.1"],
     "aomlog tail 30 1 --endpoint {url} --file 'job test.1' "),
]


@pytest.mark.parametrize("line, after, offered, after_tab", BASH_INSERTS, ids=[c[0] + "|" + c[1] for c in BASH_INSERTS])
def test_bash_inserts_the_candidate_in_place_of_what_is_typed(line, after, offered, after_tab, served):
    env, url = served
    assert tab_in_bash(line.format(url=url), env, after) == (offered, after_tab.format(url=url))
