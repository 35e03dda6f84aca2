"""How soon `aomlog tail --all-tasks -f` exits after the job it follows ends, by the number of tasks,
with and without the faults a long follow meets.

    python bench/follow_end.py [--runs 3] [--active 10] [--tasks 4,16,64] [--give-up 120] [--ended]
                               [--latency 0.05]

A job writes lines on every task for --active seconds and then COMPLETES, as jobs usually do:
right after their last line. aomlog runs as a real process; the delay is from the job's end on
the simulator's clock to aomlog's exit. It includes the 2 s aomlog waits after the end for late
lines. "faults" is 5% 5xx, 3% 429 (Retry-After: 1 s) and 2% dropped connections on every call.
Goal: about 5 s plus the grace without faults, and within 20 s with them, for any number of tasks.
A follow still going --give-up seconds after the end is stopped and shown as "> N s".

--ended: the job has already ended (300 lines a task) when aomlog starts: the time is
aomlog's whole run, the newest 50 lines of every task and the end.
"""

import argparse
import statistics
import subprocess
import sys
import time

from aomlog.simulator import Job, Simulator

GRACE = 2.0
UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
FAULTS = {"500": 0.025, "503": 0.025, "429": 0.03, "drop": 0.02}


def one_run(tasks: int, faults: bool, active: float, give_up: float, ended: bool, latency: float) -> float:
    start = time.time() + 1.0
    names = [f"worker-{i}" for i in range(tasks)]
    if ended:
        job = Job(UUID, None, files=names, seed=1, total_lines=300)
    else:
        job = Job(UUID, None, files=names, seed=1, initial_lines=0, lines_per_second=10, burst=5,
                  duration_s=active, start_time=start)
    sim = Simulator([job])
    sim.faults.latency = latency
    if faults:
        sim.faults.set_rates(**FAULTS)
    url = sim.start(port=0)
    try:
        started = time.time()
        proc = subprocess.Popen([sys.executable, "-m", "aomlog", "tail", UUID, "--all-tasks", "-f",
                                 "--endpoint", url, "--project-id", "p"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=give_up if ended else max(1.0, job.end_ms / 1000 + give_up - time.time()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return float("inf")
        exited = time.time()
    finally:
        sim.stop()
    return exited - (started if ended else job.end_ms / 1000)


def shown(delay: float, give_up: float) -> str:
    return f"> {give_up:g} s" if delay == float("inf") else f"{delay:.1f} s"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--active", type=float, default=10.0)
    parser.add_argument("--tasks", default="4,16,64", help="numbers of tasks, comma-separated")
    parser.add_argument("--give-up", type=float, default=120.0, help="seconds after the end")
    parser.add_argument("--ended", action="store_true", help="a job that ended before aomlog started")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the simulator takes to answer")
    args = parser.parse_args()
    what = "start-to-exit time of a job that has ended" if args.ended else "end-to-exit delay"
    print(f"{what}, {args.runs} runs each (of which {GRACE:g} s is the grace for late lines)"
          + (f", {args.latency * 1000:g} ms a request" if args.latency else ""))
    print("| tasks | faults | median | max | runs |")
    print("|---|---|---|---|---|")
    for tasks in [int(n) for n in args.tasks.split(",")]:
        for faults in (False, True):
            delays = [one_run(tasks, faults, args.active, args.give_up, args.ended, args.latency) for _ in range(args.runs)]
            print(f"| {tasks} | {'5% 5xx, 3% 429, 2% drops' if faults else 'none'} | "
                  f"{shown(statistics.median(delays), args.give_up)} | {shown(max(delays), args.give_up)} | "
                  f"{', '.join(shown(d, args.give_up)[:-2] for d in delays)} |", flush=True)


if __name__ == "__main__":
    main()
