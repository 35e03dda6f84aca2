"""The checked-in completion scripts in the real bash, zsh and fish, run non-interactively.

Each test loads a script the way the README installs it, has the shell complete a
command line, and reads back the candidates the shell would offer. A missing shell
fails the test rather than skipping it: .ci/run installs all three.
"""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from aomlog.simulator import Job

COMPLETIONS = ROOT / "completions"

# bash: find the function `complete` registered for aomlog and call it as bash
# would, with the words and the cursor's word, then print what it offers.
BASH = """
source {script}
COMP_WORDS=({words}); COMP_CWORD={cword}
function=$(complete -p aomlog | sed -E 's/.* -F ([^ ]+) .*/\\1/')
"$function" aomlog "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
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
        pytest.fail(f"{name} is not installed: it is needed to test its completion (apt-get install {name})")
    return path


def complete_in(name, line, env):
    """The candidates ``name`` offers for ``line``, the cursor at its end."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    quoted = " ".join(shlex.quote(w) for w in words)
    if name == "bash":
        command = [shell("bash"), "--norc", "--noprofile", "-c",
                   BASH.format(script=COMPLETIONS / "aomlog.bash", words=quoted, cword=len(words) - 1)]
    elif name == "zsh":
        command = [shell("zsh"), "-f", "-c", ZSH.format(directory=COMPLETIONS, words=quoted, current=len(words))]
    else:
        command = [shell("fish"), "--no-config", "-c",
                   FISH.format(script=COMPLETIONS / "aomlog.fish", line=shlex.quote(line))]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    return [row.split("\t")[0] for row in done.stdout.splitlines() if row]


@pytest.fixture
def shell_env(simulator):
    """PATH finds this aomlog first; the simulator serves job 10 version 10 with two log files."""
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "aomlog").exists(), f"aomlog is not installed in {bin_dir}: pip install -e ."
    sim = simulator([Job(10, 10, ["worker-0.log", "worker-1.log"], total_lines=5)])
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
                AOMLOG_ENDPOINT=sim.url, HUAWEICLOUD_SDK_PROJECT_ID="p0123")


CASES = [
    ("aomlog ta", ["tail"]),
    ("aomlog tail --fi", ["--file"]),
    ("aomlog tail 10 10 --color ", ["always", "auto", "never"]),
    ("aomlog tail 10 10 --file ", ["worker-0.log", "worker-1.log"]),
    ("aomlog tail 10 10 --file worker-1.log --file w", ["worker-0.log"]),
]


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("line, expected", CASES, ids=[line for line, _ in CASES])
def test_the_shell_completes(name, line, expected, shell_env):
    assert sorted(complete_in(name, line, shell_env)) == expected


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_the_shell_completes_profiles_from_the_config_file(name, shell_env, clean_env):
    config = clean_env / ".config" / "aomlog" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[profiles.default]\n[profiles.staging]\n")
    assert sorted(complete_in(name, "aomlog files 10 10 --profile ", shell_env)) == ["default", "staging"]
