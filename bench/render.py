"""How fast aomlog turns pages into output, from pages already in memory.

Run by hand (never part of the tests): ``python bench/render.py [--lines N]``.

1. Terminal: aomlog's coloured output (TerminalRenderer) against rich printing
   the same lines one by one with ``Console.print``, each with its kind's style
   (classified beforehand, outside rich's timing), both written to a
   pseudo-terminal whose other end a thread drains, as a terminal would.
   Goal: aomlog at least 20 times rich's lines per second.
2. Pipe: aomlog's plain output (PlainRenderer) to /dev/null against a bare
   ``sys.stdout.write`` of each joined page (and a flush) to /dev/null.
   Goal: aomlog within 1.5 times the bare write's time.
Each timing is the best of a few runs, so that a stray pause does not decide.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import threading
import time

from aomlog.api import Page
from aomlog.output.render import KIND_STYLES, PlainRenderer, TerminalRenderer
from aomlog.output.linekinds import Classifier
from aomlog.simulator import Job

PAGE = 500
FILE = "worker-0.log"


def make_pages(n_lines: int):
    job = Job(10, 10, files=[FILE], total_lines=n_lines, seed=1)
    lines = list(job.iter_lines(FILE, time.time() + 10**9))
    pages = []
    for i in range(0, len(lines), PAGE):
        chunk = lines[i:i + PAGE]
        pages.append(Page("".join(line + "\n" for line in chunk), len(chunk), None, str(i + len(chunk))))
    return lines, pages


class Pty:
    """A pseudo-terminal whose master side is read (and dropped) by a thread."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self):
        while True:
            try:
                if not os.read(self.master, 1 << 16):
                    return
            except OSError:
                return

    def binary(self):
        return open(self.slave, "wb", closefd=False)

    def text(self):
        return open(self.slave, "w", encoding="utf-8", closefd=False)


def best(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_terminal(lines, pages, rich_lines: int):
    from rich.console import Console
    from rich.style import Style

    os.environ.setdefault("COLORTERM", "truecolor")
    pty = Pty()
    stream = pty.binary()

    def aomlog_run():
        out = TerminalRenderer(stream, [FILE], color=True)
        for page in pages:
            out.page(FILE, page)

    ours = best(3, aomlog_run) / len(lines)

    sample = lines[:rich_lines]
    kinds = Classifier().kinds(sample)
    styles = {kind: Style(**text_style) for kind, (_, _, text_style) in KIND_STYLES.items()}
    console = Console(file=pty.text(), force_terminal=True, color_system="truecolor", width=200)

    def rich_run():
        for kind, line in zip(kinds, sample):
            console.print(line, style=styles[kind], markup=False, emoji=False, highlight=False, soft_wrap=True)

    theirs = best(3, rich_run) / len(sample)
    return ours, theirs


def bench_pipe(lines, pages):
    null = open(os.devnull, "wb")
    out = PlainRenderer(null, [FILE])

    def aomlog_run():
        for page in pages:
            out.page(FILE, page)

    bare_stdout = io.TextIOWrapper(open(os.devnull, "wb"), encoding="utf-8")

    def bare_run():
        saved, sys.stdout = sys.stdout, bare_stdout
        try:
            for page in pages:
                sys.stdout.write(page.text)
                sys.stdout.flush()
        finally:
            sys.stdout = saved

    return best(5, aomlog_run), best(5, bare_run)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200_000, help="lines rendered by aomlog")
    parser.add_argument("--rich-lines", type=int, default=5_000, help="lines printed by rich (it is slow)")
    args = parser.parse_args()
    lines, pages = make_pages(args.lines)
    print(f"{len(lines)} lines in {len(pages)} pages of {PAGE}, {sum(len(p.text) for p in pages) / 1e6:.1f} MB")

    ours, theirs = bench_terminal(lines, pages, min(args.rich_lines, len(lines)))
    ratio = theirs / ours
    print(f"terminal  aomlog coloured   {1 / ours:12,.0f} lines/s")
    print(f"terminal  rich line by line {1 / theirs:12,.0f} lines/s")
    print(f"          aomlog is {ratio:.1f}x rich (goal >= 20x): {'ok' if ratio >= 20 else 'MISSED'}")

    plain, bare = bench_pipe(lines, pages)
    ratio = plain / bare
    print(f"pipe      aomlog plain      {plain * 1e3:9.1f} ms  ({len(lines) / plain:,.0f} lines/s)")
    print(f"pipe      bare stdout.write {bare * 1e3:9.1f} ms  ({len(lines) / bare:,.0f} lines/s)")
    print(f"          aomlog takes {ratio:.2f}x the bare write's time (goal <= 1.5x): "
          f"{'ok' if ratio <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
