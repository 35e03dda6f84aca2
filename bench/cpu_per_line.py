"""CPU per line near the server: `aomlog tail -n +1` of a 300,000-line log with no latency, against
the minimal requests loop (fetch a page, write it), in one run.

    python bench/cpu_per_line.py [--lines 300000] [--rounds 5]

Each command runs as a process of its own, its output to /dev/null, in turn with the others so
that a noisy machine hits all; the simulator runs in a process of its own. Printed: each one's
best wall time, its throughput as a ratio of the loop's (goal >= 1.0x), and the client's own
CPU (user + system) per 1,000 lines. `--parallel 1` shows what the reader pool costs or saves
when the answers come back in a few milliseconds.
"""

import argparse
import os
import resource
import subprocess
import sys
import time

from _sim import start_simulator
from catchup import MINIMAL_LOOP  # the same loop: fetch a page, write it



def measured(cmd):
    """(wall seconds, the child's CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        subprocess.run(cmd, stdout=devnull, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sim, url = start_simulator("--api", "v1", "--lines", args.lines)
    tail = [sys.executable, "-m", "aomlog", "tail", "10", "10", "--file", "log1.log", "-n", "+1", "--no-progress",
            "--endpoint", url, "--project-id", "p"]
    commands = {"minimal loop": [sys.executable, "-c", MINIMAL_LOOP, url], "aomlog": tail,
                "aomlog --parallel 1": tail + ["--parallel", "1"]}
    runs = {name: [] for name in commands}
    try:
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                runs[name].append(measured(cmd))
    finally:
        sim.terminate()
    loop_best = min(wall for wall, _ in runs["minimal loop"])
    for name, taken in runs.items():
        best = min(wall for wall, _ in taken)
        cpu = min(c for _, c in taken)
        print(f"{name:20s} best {best:.2f} s  {loop_best / best:.2f}x the loop  "
              f"client CPU {cpu * 1000 / (args.lines / 1000):.1f} ms per 1,000 lines  "
              f"runs: {', '.join(f'{w:.2f}' for w, _ in taken)}")


if __name__ == "__main__":
    main()
