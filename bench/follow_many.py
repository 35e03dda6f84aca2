"""Following many tasks far from the API: line latency while they write, requests while idle.

    python bench/follow_many.py [--tasks 32] [--rate 1] [--latency 0.05] [--active 20]
                                [--idle-tasks 64] [--idle 60] [--runs 1] [--before DIR]

Latency: a job writes --rate lines a second on each of --tasks tasks for --active seconds
(every task at once, as the ranks of a training job do); `aomlog tail --all-tasks -f -n 0`
starts as a real process a second after the job, and each line's latency is the time from
the simulator making it visible to aomlog's stdout delivering it here: every line measured
is one the follow brought (a job that has not started is looked at every 3 s, a wait of
its own). Goal at 32 tasks, 1 line/s, 50 ms a
request: median <= 0.6 s, p95 <= 1.5 s.

Idle: a job of --idle-tasks tasks writes for 5 s and then runs on, silent, for --idle s;
the requests of aomlog from 30 s into the silence on, per second. Goal: <= 4 for 64 tasks.

--before DIR: the same runs, taken in turn, with the aomlog package found in DIR (for
instance an unpacked `git archive` of an earlier commit): the figures side by side.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time

from aomlog.simulator import RUNNING, Job, Simulator

from follow_latency import appearance_time  # the time a line appears (on every task at once)

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"


def follow(job, latency, seconds, code):
    """aomlog following ``job`` for ``seconds``: (each line's (task, arrival time), the simulator)."""
    sim = Simulator([job])
    sim.faults.latency = latency
    url = sim.start(port=0)
    env = dict(os.environ, PYTHONPATH=code)
    proc = subprocess.Popen([sys.executable, "-m", "aomlog", "tail", UUID, "--all-tasks", "-f", "-n", "0",
                             "--endpoint", url, "--project-id", "p"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=code)
    arrivals = []

    def read():
        for line in iter(proc.stdout.readline, b""):
            task, text = line.rstrip(b"\n").split(b"] ", 1)
            arrivals.append((task, time.time(), text.decode()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(seconds)
    proc.terminate()
    proc.wait()
    reader.join(5)
    sim.stop()
    return arrivals, sim


def latencies(tasks, rate, latency, active, code):
    """Each followed line's latency: the job runs when aomlog starts (`-n 0`: only new lines),
    so that every line measured is one the follow brought, not the wait for the job's start."""
    start = time.time() - 1.0
    names = [f"worker-{i}" for i in range(tasks)]
    job = Job(UUID, None, files=names, seed=1, initial_lines=0, lines_per_second=rate, burst=1,
              duration_s=active + 1, end_status=RUNNING, start_time=start)
    arrivals, sim = follow(job, latency, start + active + 3 - time.time(), code)
    logs = {f"[{name}".encode(): sim.log_lines(UUID, None, name) for name in names}
    at = {}
    taken = []
    for task, when, text in arrivals:
        # A task's first line is found by its text; each after it is the next of that task.
        index = at[task] = at[task] + 1 if task in at else logs[task].index(text)
        assert logs[task][index] == text
        taken.append(when - appearance_time(job, index, start - 1, start + active + 2))
    return sorted(taken), len(arrivals), job.visible(start + active + 2) * tasks


def idle_rate(tasks, latency, idle, code):
    start = time.time() + 2.0
    names = [f"worker-{i}" for i in range(tasks)]
    job = Job(UUID, None, files=names, seed=1, initial_lines=0, lines_per_second=2, burst=1,
              duration_s=5, end_status=RUNNING, start_time=start)
    quiet = start + 5
    _, sim = follow(job, latency, quiet + idle - time.time(), code)
    counted = [r for r in sim.request_log if quiet + 30 <= r.time <= quiet + idle]
    return len(counted) / (idle - 30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=32)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--active", type=float, default=20.0)
    parser.add_argument("--idle-tasks", type=int, default=64)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--before", help="a directory holding another aomlog package, run in turn")
    args = parser.parse_args()
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    codes = {"this": here, **({"before": os.path.abspath(args.before)} if args.before else {})}
    for run in range(args.runs):
        for name, code in codes.items():
            taken, got, expected = latencies(args.tasks, args.rate, args.latency, args.active, code)
            print(f"[{name} run {run + 1}] {args.tasks} tasks x {args.rate:g} line/s at {args.latency * 1000:.0f} ms: "
                  f"{got} lines followed of {expected}; latency median {statistics.median(taken):.2f} s, "
                  f"p95 {taken[int(len(taken) * 0.95) - 1]:.2f} s, max {taken[-1]:.2f} s", flush=True)
        for name, code in codes.items():
            rate = idle_rate(args.idle_tasks, args.latency, args.idle, code)
            print(f"[{name} run {run + 1}] {args.idle_tasks} idle tasks: {rate:.2f} requests/s", flush=True)


if __name__ == "__main__":
    main()
