"""`aomlog metrics -o csv` of a whole log against `aomlog tail -n +1` of the same log, in one run.

    python bench/metrics_csv.py [--lines 300000] [--rounds 3]

Both read the same simulator (its own process, no latency) into /dev/null; metrics also
finds every value in every line (most of the simulator's lines hold three) and writes
a CSV row for each. Goal: metrics within 1.5x of tail's time.
"""

import argparse
import sys

from _sim import alternated, listed, start_simulator

JOB = "3faf5c03-aaa1-4cbe-879d-24b05d997347"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sim, url = start_simulator("--lines", args.lines)
    try:
        common = [JOB, "--endpoint", url, "--project-id", "p", "--no-progress"]
        tail = [sys.executable, "-m", "aomlog", "tail", *common, "-n", "+1"]
        metrics = [sys.executable, "-m", "aomlog", "metrics", *common, "-o", "csv"]
        times, best = alternated({"tail": tail, "metrics": metrics}, args.rounds)
    finally:
        sim.terminate()
    print(f"{args.lines:,} lines: tail -n +1 {best['tail']:.2f} s, metrics -o csv {best['metrics']:.2f} s -> "
          f"{best['metrics'] / best['tail']:.2f}x (goal <= 1.5x; runs: {listed(times)})")

if __name__ == "__main__":
    main()
