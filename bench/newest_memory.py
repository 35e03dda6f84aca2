"""Memory of `aomlog tail -n N` for an N larger than the log, against `tail -n +1` of the same log.

    python bench/newest_memory.py [--lines 300000]

`-n N` reads the log backwards and prints it forwards, so its pages must be kept
until the oldest is in: past a few they go to a temporary file. Goal: peak RSS
within 15 MB of `-n +1` (which holds one page at a time).
"""

import argparse
import sys

from _sim import peak_rss, start_simulator


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=300_000)
    args = parser.parse_args()
    sim, url = start_simulator("--api", "v1", "--lines", args.lines)
    try:
        base = [sys.executable, "-m", "aomlog", "tail", "10", "10", "--endpoint", url, "--project-id", "p", "-n"]
        whole = peak_rss(base + ["+1"])
        newest = peak_rss(base + ["10000000"])
    finally:
        sim.terminate()
    print(f"peak RSS for {args.lines:,} lines: -n +1 {whole / 1024:.1f} MiB, -n 10000000 {newest / 1024:.1f} MiB "
          f"(+{(newest - whole) / 1024:.1f} MiB; goal: within 15 MB)")


if __name__ == "__main__":
    main()
