"""Catching up from far away: `aomlog tail -n +1` against the simplest sequential loop, in one run.

    python bench/distance.py [--latency 0.05] [--rounds 2]

The simulator runs in its own process and adds --latency to every answer (50 ms: a
laptop to its region). The loop asks for one 500-line page after another, onward
from the position the last one ended at, and writes each page: what any client
does. Cases: one task of 100,000 lines; a job of 8 tasks of 20,000 lines (the loop
reads them one after the other). Then the same without latency. Last, aomlog's
peak memory for 100,000 and 500,000 lines (flat: about the same).

Goals: at 50 ms, each case at least 4x the loop's speed; without latency at least 1.0x.
"""

import argparse
import statistics
import sys

from _sim import peak_rss, start_simulator, timed

JOB = "3faf5c03-aaa1-4cbe-879d-24b05d997347"  # the job `aomlog simulate` serves

LOOP = r"""
import sys, requests
url, tasks = sys.argv[1], sys.argv[2:]
s = requests.Session()
out = open("/dev/null", "w", encoding="utf-8")
job = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
for task in tasks:
    base = "0"
    while True:
        body = s.get(f"{url}/v2/p/training-jobs/{job}/logs/{task}",
                     params={"base_line": base, "lines": 500, "order": "asc"}).json()
        if body["content"]:
            out.write(body["content"] + "\n")
        if int(body["lines"]) < 500:
            break
        base = body["end_line"]
"""


def compare(name, sim_args, tasks, rounds):
    sim, url = start_simulator(*sim_args)
    try:
        # By id, as the loop knows it (a name costs a lookup in the job lists first).
        aomlog = [sys.executable, "-m", "aomlog", "tail", JOB, "-n", "+1", "--no-progress",
                  "--endpoint", url, "--project-id", "p"] + (["--all-tasks"] if len(tasks) > 1 else ["--task", tasks[0]])
        loop = [sys.executable, "-c", LOOP, url, *tasks]
        times = {"loop": [], "aomlog": []}
        for _ in range(rounds):  # alternate, so drift on a noisy machine hits both
            times["loop"].append(timed(loop))
            times["aomlog"].append(timed(aomlog))
    finally:
        sim.terminate()
    # Medians: on this noisy 2-core machine one lucky run says little.
    mid = {k: statistics.median(v) for k, v in times.items()}
    print(f"{name}: loop {mid['loop']:.2f} s, aomlog {mid['aomlog']:.2f} s (medians) -> "
          f"{mid['loop'] / mid['aomlog']:.2f}x  (runs: loop {', '.join(f'{t:.2f}' for t in times['loop'])}; "
          f"aomlog {', '.join(f'{t:.2f}' for t in times['aomlog'])})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    one = ["--lines", "100000"]
    eight = ["--tasks", "8", "--lines", "20000"]
    workers = [f"worker-{i}" for i in range(8)]
    lat = ["--latency", str(args.latency)]
    compare(f"1 task x 100,000 lines, {args.latency * 1000:.0f} ms", one + lat, ["worker-0"], args.rounds)
    compare(f"8 tasks x 20,000 lines, {args.latency * 1000:.0f} ms", eight + lat, workers, args.rounds)
    compare("1 task x 100,000 lines, no latency", one, ["worker-0"], args.rounds * 3)
    compare("8 tasks x 20,000 lines, no latency", eight, workers, args.rounds * 3)
    rss = {}
    for lines in (100_000, 500_000):
        sim, url = start_simulator("--lines", lines)
        try:
            rss[lines] = peak_rss([sys.executable, "-m", "aomlog", "tail", "resnet50-train", "-n", "+1",
                                   "--endpoint", url, "--project-id", "p"])
        finally:
            sim.terminate()
    print(f"peak RSS: {rss[100_000] / 1024:.1f} MiB for 100,000 lines, {rss[500_000] / 1024:.1f} MiB for "
          f"500,000 lines (ratio {rss[500_000] / rss[100_000]:.2f}; flat ~ 1)")


if __name__ == "__main__":
    main()
