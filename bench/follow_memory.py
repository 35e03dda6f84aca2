"""Memory of a long follow: does `tail -f` stay flat over hours?

    python bench/follow_memory.py [--hours 3] [--rate 50]

The follower runs in-process against the simulator with a manual clock that its
sleep advances, so hours of a busy job pass in a minute or two. Python's own
allocations (tracemalloc) are sampled after 10 simulated minutes and at the end;
flat means the two are about equal however long it runs.
"""

import argparse
import collections
import gc
import sys
import time
import tracemalloc

from aomlog.api import Apis, JobRef
from aomlog.cli.tail import write_pages
from aomlog.transport.client import Client
from aomlog.simulator import Job, ManualClock, Simulator
from aomlog.engine import Collaborators, Start, Streams, Tail, TailSettings


def follower_memory():
    """Bytes allocated and still held after a collection."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args()

    clock = ManualClock()
    job = Job(10, 10, files=["log1.log"], seed=1, initial_lines=0, lines_per_second=args.rate,
              burst=20, duration_s=args.hours * 3600)
    sim = Simulator([job], clock=clock)
    sim.request_log = collections.deque(maxlen=1)  # the simulator's bookkeeping is not the follower's
    sim.start(port=0)
    sink = open("/dev/null", "wb")  # the log goes nowhere; we measure the follower
    started = clock.now()
    samples = {}

    def sleep(seconds):
        clock.advance(seconds)
        elapsed = clock.now() - started
        if "10 min" not in samples and elapsed >= 600:
            samples["10 min"] = follower_memory()

    tracemalloc.start()
    wall = time.perf_counter()
    ref = JobRef("v1", "10", "10")
    engine = Tail(Apis(Client(sim.url, "p", retries=0)).of(ref),
                  TailSettings(ref, Streams(("log1.log",)), Start.last(0), follow=True),
                  Collaborators(clock=clock.now, sleep=sleep))
    status = write_pages(engine, out=sink)
    samples["end"] = follower_memory()
    tracemalloc.stop()
    sim.stop()
    lines = job.visible(clock.now())
    print(f"followed {args.hours:g} simulated hours, {lines:,} lines, exit {status}, "
          f"in {time.perf_counter() - wall:.0f} s of wall time")
    print(f"traced memory: {samples['10 min'] / 1024:.0f} KiB after 10 min, {samples['end'] / 1024:.0f} KiB at the end "
          f"(ratio {samples['end'] / samples['10 min']:.2f}; flat ~ 1)")


if __name__ == "__main__":
    sys.exit(main())
