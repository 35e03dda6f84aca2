"""Follow latency and idle request rate of `aomlog tail -f`, against the simulator.

    python bench/follow_latency.py [--active 20] [--idle 60]

A job writes lines in bursts for --active seconds, then stays RUNNING and silent for
--idle seconds. aomlog runs as a real process; each line's latency is the time from
the simulator making it visible to aomlog's stdout delivering it here.
Goals: median latency <= 1.0 s while active; after 30 s of idleness at most one
request every 4 s.
"""

import argparse
import statistics
import subprocess
import sys
import threading
import time

from aomlog.simulator import RUNNING, Job, Simulator


def appearance_time(job, index, lo, hi):
    """The earliest time at which line ``index`` is visible (visibility is a function of time)."""
    while hi - lo > 0.0005:
        mid = (lo + hi) / 2
        if job.visible(mid) > index:
            hi = mid
        else:
            lo = mid
    return hi


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--active", type=float, default=20.0)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=30.0, help="lines per second while active")
    args = parser.parse_args()

    start = time.time() + 2.0
    # end_status RUNNING: when the output stops, the job goes on running, silent.
    # No initial lines, and aomlog starts before the job: every line is new, index = arrival order.
    job = Job(10, 10, files=["log1.log"], seed=1, initial_lines=0, lines_per_second=args.rate,
              burst=5, duration_s=args.active, end_status=RUNNING, start_time=start)
    sim = Simulator([job])
    url = sim.start(port=0)
    proc = subprocess.Popen([sys.executable, "-m", "aomlog", "tail", "10", "10", "--file", "log1.log", "-f",
                             "-n", "0", "--endpoint", url, "--project-id", "p"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    arrivals = []

    def read():
        for _ in iter(proc.stdout.readline, b""):
            arrivals.append(time.time())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    end_active = start + args.active
    time.sleep(max(0.0, end_active + args.idle - time.time()))
    proc.terminate()
    proc.wait()
    reader.join(5)
    sim.stop()

    appeared = [appearance_time(job, i, start - 1, end_active + 1) for i in range(len(arrivals))]
    latencies = sorted(a - b for a, b in zip(arrivals, appeared))
    idle_from = end_active + 30
    idle_requests = [r for r in sim.request_log if idle_from <= r.time <= end_active + args.idle]
    idle_span = end_active + args.idle - idle_from
    expected = job.visible(end_active + 1)
    print(f"lines delivered: {len(arrivals)} of {expected}")
    print(f"latency while active: median {statistics.median(latencies):.3f} s, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.3f} s, max {latencies[-1]:.3f} s (goal: median <= 1.0 s)")
    print(f"idle (after 30 s of silence, {idle_span:.0f} s window): {len(idle_requests)} requests, "
          f"one every {idle_span / max(1, len(idle_requests)):.1f} s (goal: >= 4 s)")


if __name__ == "__main__":
    main()
