"""Catch-up speed: `aomlog tail -n +1` of a 1,000,000-line log to /dev/null, against a
minimal requests loop (fetch a page, write its content) on the same simulator, in one run.

    python bench/catchup.py [--lines 1000000] [--rounds 3]

Goal: aomlog at >= 90% of the minimal loop's throughput, with peak memory flat (the
1,000,000-line run uses about as much memory as a 100,000-line run).
"""

import argparse
import sys

from _sim import peak_rss, start_simulator, timed

MINIMAL_LOOP = r"""
import sys, requests
url, n = sys.argv[1], 0
s = requests.Session()
out = open("/dev/null", "w", encoding="utf-8")
base = "0"
while True:
    body = s.get(url + "/v1/p/training-jobs/10/versions/10/aom-log",
                 params={"log_file": "log1.log", "base_line": base, "lines": 500, "order": "desc"}).json()
    if body["content"]:
        out.write(body["content"] + "\n")
    n += int(body["lines"])
    if int(body["lines"]) < 500:
        break
    base = body["end_line"]
print(n, file=sys.stderr)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    sim, url = start_simulator("--api", "v1", "--lines", args.lines)
    small, small_url = start_simulator("--api", "v1", "--lines", args.lines // 10)
    try:
        tail = [sys.executable, "-m", "aomlog", "tail", "10", "10", "--file", "log1.log", "-n", "+1",
                "--endpoint", url, "--project-id", "p"]
        loop = [sys.executable, "-c", MINIMAL_LOOP, url]
        times = {"aomlog": [], "minimal": []}
        for _ in range(args.rounds):  # alternate, so drift on a noisy machine hits both
            times["minimal"].append(timed(loop))
            times["aomlog"].append(timed(tail))
        best = {k: min(v) for k, v in times.items()}
        rss_big = peak_rss(tail)
        rss_small = peak_rss(tail[:-4] + ["--endpoint", small_url, "--project-id", "p"])
    finally:
        sim.terminate()
        small.terminate()

    for name in ("minimal", "aomlog"):
        print(f"{name:8s} best {best[name]:.2f} s  ({args.lines / best[name]:,.0f} lines/s)  "
              f"runs: {', '.join(f'{t:.2f}' for t in times[name])}")
    print(f"aomlog throughput = {best['minimal'] / best['aomlog']:.1%} of the minimal loop (goal >= 90%)")
    print(f"peak RSS: {rss_big / 1024:.1f} MiB for {args.lines:,} lines, "
          f"{rss_small / 1024:.1f} MiB for {args.lines // 10:,} lines (ratio {rss_big / rss_small:.2f}; flat ~ 1)")


if __name__ == "__main__":
    main()
