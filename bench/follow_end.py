"""How soon `aomlog tail -f` exits after the job it follows ends.

    python bench/follow_end.py [--runs 3] [--active 10]

A job writes lines for --active seconds and then COMPLETES, as jobs usually do: right
after their last line. aomlog runs as a real process; the delay is from the job's end
on the simulator's clock to aomlog's exit. It includes the 2 s aomlog waits after the
end for late lines, printed beside it. Goal: about 5 s plus that grace.
"""

import argparse
import statistics
import subprocess
import sys
import time

from aomlog.simulator import Job, Simulator

GRACE = 2.0


def one_run(active: float) -> float:
    start = time.time() + 1.0
    job = Job(10, 10, files=["log1.log"], seed=1, initial_lines=0, lines_per_second=30, burst=5,
              duration_s=active, start_time=start)
    sim = Simulator([job])
    url = sim.start(port=0)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "aomlog", "tail", "10", "10", "-f", "--endpoint", url,
                                 "--project-id", "p"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.wait(timeout=active + 120)
        exited = time.time()
    finally:
        sim.stop()
    return exited - job.end_ms / 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--active", type=float, default=10.0)
    args = parser.parse_args()
    delays = [one_run(args.active) for _ in range(args.runs)]
    print(f"end-to-exit delay: median {statistics.median(delays):.2f} s, max {max(delays):.2f} s "
          f"(runs: {', '.join(f'{d:.2f}' for d in delays)}); of which {GRACE:g} s is the grace for late lines "
          f"(goal: about 5 s plus the grace)")


if __name__ == "__main__":
    main()
