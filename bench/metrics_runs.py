"""`aomlog metrics` of two runs side by side against one run alone, in one run of the benchmark.

    python bench/metrics_runs.py [--lines 20000] [--latency 0.05] [--rounds 3]

The simulator (its own process) serves two runs of one job (`simulate --runs 2`), each
answer ``--latency`` seconds late, as a region far away does. The jobs are read side by
side, each in a thread of its own with its own readers, so two should take about the time
of one. Goal: two runs within 1.3x of one run's time.
"""

import argparse
import sys

from _sim import alternated, listed, start_simulator


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sim, url = start_simulator("--runs", 2, "--lines", args.lines, "--latency", args.latency)
    try:
        common = ["--endpoint", url, "--project-id", "p", "--no-progress", "-o", "csv"]
        one = [sys.executable, "-m", "aomlog", "metrics", "resnet50-train-lr1", *common]
        two = [sys.executable, "-m", "aomlog", "metrics", "resnet50-train-lr1", "resnet50-train-lr2", *common]
        times, best = alternated({"one": one, "two": two}, args.rounds)
    finally:
        sim.terminate()
    print(f"{args.lines:,} lines a run, {args.latency * 1000:.0f} ms latency: one run {best['one']:.2f} s, "
          f"two runs {best['two']:.2f} s -> {best['two'] / best['one']:.2f}x (goal <= 1.3x; runs: {listed(times)})")

if __name__ == "__main__":
    main()
