"""The v2 job whose story the tests of status, events, usage and tail -f read: it is created,
queues 20 s with a reason, runs 300 s with a GPU fault in worker-1 at 100 s (recovered 5 s
later), then fails: worker-1 exits 137 (out of memory), worker-0 is stopped with 143."""

from aomlog.simulator import Job
from aomlog.simulator.model.story import Fault, Story

UUID = "4b1c2d3e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
TASKS = ["worker-0", "worker-1"]


def failing_job(seed=0, **story):
    return Job(UUID, None, files=TASKS, lines_per_second=2, duration_s=300, start_delay=20, end_phase="Failed",
               name="llama-finetune", seed=seed, story=Story(faults=(Fault(at_s=100, task="worker-1"),), **story))
