"""What the benchmarks share: the simulator in a process of its own (so that it does not share
the client's GIL), and a command's wall time and peak memory measured from outside."""

import os
import re
import subprocess
import sys
import time


def start_simulator(*args):
    proc = subprocess.Popen([sys.executable, "-m", "aomlog", "simulate", "--port", "0", *map(str, args)],
                            stdout=subprocess.PIPE, text=True)
    url = None
    while url is None:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the simulator did not start")
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        url = match.group(0) if match else None
    return proc, url


def timed(cmd):
    """Wall time of one child process, its output to /dev/null."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        subprocess.run(cmd, stdout=devnull, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def alternated(commands, rounds):
    """The wall times of each named command, ``rounds`` of each, taken in turn so that drift on a
    noisy machine hits all; and the best of each."""
    times = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            times[name].append(timed(cmd))
    return times, {name: min(taken) for name, taken in times.items()}


def listed(times):
    """Each command's times, as the benchmarks print them."""
    return "; ".join(f"{name} {', '.join(f'{t:.2f}' for t in taken)}" for name, taken in times.items())


def peak_rss(cmd):
    """Peak RSS (KiB) of ``cmd``, measured from a fresh parent so that no other child counts."""
    probe = ("import resource, subprocess, sys;"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True);"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    return int(out.stdout)
