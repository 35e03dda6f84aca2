"""How fast aomlog answers a completion that needs no network.

Run by hand (never part of the tests): ``python bench/completion.py [--runs N]``.

Times, as fresh processes, what the bash script runs when TAB is pressed after
``aomlog tail --fo`` (``_AOMLOG_COMPLETE=bash_complete``) against
``python -c "import click"``, the start-up that any click tool pays.
Goal: aomlog at most 1.5 times the floor. The two are interleaved, so that a
change of machine load falls on both; the median and the best of each are shown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def aomlog_command():
    """The console script next to this Python, as a user runs it; else ``python -m aomlog``."""
    script = Path(sys.executable).parent / "aomlog"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aomlog"]


def timed(command, env) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    runs = parser.parse_args().runs
    env = dict(os.environ)
    completing = dict(env, _AOMLOG_COMPLETE="bash_complete", COMP_WORDS="aomlog tail --fo", COMP_CWORD="2")
    floor_cmd = [sys.executable, "-c", "import click"]
    aomlog_cmd = aomlog_command()
    answer = subprocess.run(aomlog_cmd, env=completing, capture_output=True, text=True).stdout.split()
    if answer != ["plain,--follow"]:
        raise SystemExit(f"unexpected completion: {answer!r}")
    for _ in range(3):  # warm the page cache and .pyc files for both
        timed(floor_cmd, env), timed(aomlog_cmd, completing)
    floor, aomlog = [], []
    for _ in range(runs):
        floor.append(timed(floor_cmd, env))
        aomlog.append(timed(aomlog_cmd, completing))
    print(f"{runs} runs each, interleaved; {sys.version.split()[0]} at {shutil.which(sys.executable) or sys.executable}")
    for name, times in (('python -c "import click"', floor), ("aomlog completing 'tail --fo'", aomlog)):
        print(f"  {name:<32} median {statistics.median(times) * 1000:6.1f} ms   best {min(times) * 1000:6.1f} ms")
    ratio = statistics.median(aomlog) / statistics.median(floor)
    print(f"ratio of medians {ratio:.2f} (goal: at most 1.5), of bests {min(aomlog) / min(floor):.2f}")


if __name__ == "__main__":
    main()
