"""How long `aomlog status` takes for a job of 64 tasks when every answer takes 50 ms.

    python bench/status.py [--runs 3] [--tasks 64] [--latency 0.05]

The simulator runs in a process of its own with --latency; aomlog runs as a real process
(its start-up included) and, apart, in this one (the calls alone, one after the other and
side by side). status makes 4 + one call per task (detail, stages, tasks, events, usage):
one after the other that is 68 x 50 ms = 3.4 s. Goal: within 2 s, the calls side by side.
"""

import argparse
import statistics
import sys
import time

from _sim import start_simulator, timed

from aomlog.api.apis import Apis
from aomlog.api.family import JobRef
from aomlog.engine.jobstatus import job_report
from aomlog.transport.client import Client

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"  # the job `aomlog simulate` serves


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    proc, url = start_simulator("--tasks", args.tasks, "--latency", args.latency)
    try:
        cmd = [sys.executable, "-m", "aomlog", "status", UUID, "--endpoint", url, "--project-id", "p"]
        walls = [timed(cmd) for _ in range(args.runs)]
        api = Apis(Client(url, "p")).v2
        calls = {}
        for workers in (1, 8):
            started = time.perf_counter()
            job_report(api, JobRef("v2", UUID), workers=workers)
            calls[workers] = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait()
    print(f"status of a {args.tasks}-task job at {args.latency * 1000:g} ms per answer "
          f"({args.tasks + 4} calls):")
    print(f"  aomlog status, a process of its own: median {statistics.median(walls):.2f} s "
          f"(runs: {', '.join(f'{w:.2f}' for w in walls)}; goal: within 2 s)")
    print(f"  the calls one after the other: {calls[1]:.2f} s; side by side (8 at a time): {calls[8]:.2f} s")


if __name__ == "__main__":
    main()
