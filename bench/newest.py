"""The newest N lines of a long log from far away: `tail -n 200000` of a 300,000-line log against
`tail -n +100001` (the same lines, read onward in chunks side by side), in one run.

    python bench/newest.py [--latency 0.05] [--rounds 2] [--lines 300000] [--newest 200000]

The simulator runs in its own process and adds --latency to every answer. `-n N` finds the
start of the last N lines from the newest page's line rate (a little before it), reads from
there onward in chunks side by side and leaves out the lines before the last N; a server that
refuses made-up positions (--strict-positions) is read back one page after another, shown last
for comparison. Also: `-n N` with --parallel 1 (the sequential read-back).

Goal: `-n 200000` within 1.5x of `-n +100001` at 50 ms.
"""

import argparse
import sys

from _sim import alternated, listed, start_simulator

JOB = "3faf5c03-aaa1-4cbe-879d-24b05d997347"  # the job `aomlog simulate` serves


def tail(url, *args):
    return [sys.executable, "-m", "aomlog", "tail", JOB, "--task", "worker-0", "--no-progress",
            "--endpoint", url, "--project-id", "p", *map(str, args)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--newest", type=int, default=200_000)
    args = parser.parse_args()
    sim_args = ["--lines", args.lines, "--latency", args.latency]
    skip = args.lines - args.newest + 1
    sim, url = start_simulator(*sim_args)
    try:
        times, best = alternated({f"-n +{skip}": tail(url, "-n", f"+{skip}"),
                                  f"-n {args.newest}": tail(url, "-n", args.newest)}, args.rounds)
        seq_times, seq_best = alternated({"-n N --parallel 1": tail(url, "-n", args.newest, "--parallel", 1)}, 1)
    finally:
        sim.terminate()
    strict, strict_url = start_simulator(*sim_args, "--strict-positions")
    try:
        strict_times, strict_best = alternated({"-n N, strict positions": tail(strict_url, "-n", args.newest)}, 1)
    finally:
        strict.terminate()
    ratio = best[f"-n {args.newest}"] / best[f"-n +{skip}"]
    print(f"{args.lines:,} lines at {args.latency * 1000:.0f} ms: -n {args.newest} {best[f'-n {args.newest}']:.2f} s, "
          f"-n +{skip} {best[f'-n +{skip}']:.2f} s (best of {args.rounds}) -> {ratio:.2f}x (goal <= 1.5x)")
    print(f"  sequential read-back (--parallel 1) {seq_best['-n N --parallel 1']:.2f} s; "
          f"strict positions {strict_best['-n N, strict positions']:.2f} s")
    print(f"  runs: {listed(times)}")


if __name__ == "__main__":
    main()
