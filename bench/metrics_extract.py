"""How fast aomlog.metrics.extract finds the metrics of pages already in memory.

Run by hand (never part of the tests): ``python bench/metrics_extract.py [--lines N] [--rounds R]``.

The simulator's log (most lines metric lines) in 500-line pages, as a client
holds them: the page's text and its lines. Each round times, on the same
pages, the baseline (``text.split("\\n")``: the least any client does with a
page) and ``Extractor.page``; rounds alternate the two, so that drift on a
noisy machine hits both, and the median is reported (and the best). The first
extraction round starts with no plans cached (every line shape parsed once);
the last figure is the worst case, a log whose every line has a new shape
(nothing cached).

Goal: ``aomlog metrics -o csv`` within 1.5 times ``aomlog tail -n +1``. tail
runs at ~170,000 lines/s here (~5.9 us a line), so extraction must stay well
under ~2.9 us a line.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from aomlog.metrics import extract as metrics
from aomlog.metrics.extract import Extractor
from aomlog.simulator import Job, Simulator

PAGE = 500
TAIL_US_PER_LINE = 1e6 / 170_000


def make_pages(n_lines: int):
    lines = Simulator([Job(10, 10, total_lines=n_lines, seed=7)]).log_lines(10, 10)
    pages = []
    for i in range(0, len(lines), PAGE):
        chunk = lines[i:i + PAGE]
        pages.append((chunk, "".join(line + "\n" for line in chunk)))
    return len(lines), pages


def split_pages(pages) -> int:
    n = 0
    for _, text in pages:
        n += len(text.split("\n"))
    return n


def extract_pages(pages) -> int:
    extractor = Extractor()
    n = 0
    for lines, text in pages:
        n += len(extractor.page(lines, text))
    return n


def timed(fn, pages):
    started = time.perf_counter()
    result = fn(pages)
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--unique-lines", type=int, default=20_000,
                        help="lines for the worst case (no line shape seen before)")
    args = parser.parse_args()

    started = time.perf_counter()
    n, pages = make_pages(args.lines)
    # A real run holds one page at a time: keep the 300,000 lines held here out
    # of the garbage collector's full collections, which would walk them all.
    gc.collect()
    gc.freeze()
    print(f"{n:,} simulator lines in {len(pages)} pages of {PAGE} (made in {time.perf_counter() - started:.1f} s)")

    metrics._plans.clear()
    cold, samples = timed(extract_pages, pages)
    base, extract = [], []
    for _ in range(args.rounds):
        base.append(timed(split_pages, pages)[0])
        extract.append(timed(extract_pages, pages)[0])

    def us(seconds):
        return seconds / n * 1e6

    b, e = statistics.median(base), statistics.median(extract)
    print(f"baseline text.split:  {us(b):5.2f} us/line (best {us(min(base)):.2f})  {n / b:12,.0f} lines/s")
    print(f"Extractor.page:       {us(e):5.2f} us/line (best {us(min(extract)):.2f})  {n / e:12,.0f} lines/s  "
          f"{samples / n:.2f} samples/line, {len(metrics._plans)} line shapes cached")
    print(f"  first round (no plans cached yet): {us(cold):.2f} us/line")
    print(f"  ratio to the baseline: {e / b:.1f}x;  extraction = {us(e) / TAIL_US_PER_LINE:.0%} of tail's "
          f"~{TAIL_US_PER_LINE:.1f} us/line (budget for metrics: 50%)")

    subset = pages[:max(1, args.unique_lines // PAGE)]
    m = sum(len(lines) for lines, _ in subset)
    saved = metrics._MAX_KEY
    metrics._MAX_KEY = -1  # keep no plan: every line parsed by the rules
    metrics._plans.clear()
    try:
        worst = min(timed(extract_pages, subset)[0] for _ in range(3))
    finally:
        metrics._MAX_KEY = saved
    print(f"worst case, every line a new shape ({m:,} lines): {worst / m * 1e6:.2f} us/line")


if __name__ == "__main__":
    main()
