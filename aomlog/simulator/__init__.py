"""A local stand-in for the ModelArts v1 training-log API (stdlib only).

It is the second, independent reading of the API that the client is tested
against, so it never imports aomlog.client or requests.

    from aomlog.simulator import Simulator, Job, ManualClock
    with Simulator([Job(10, 10, total_lines=1234, seed=1)]) as sim:
        ...  # talk HTTP to sim.url; compare with sim.log_text(10, 10)
"""

from .api import DEFAULT_LINES, MAX_LINES
from .clock import Clock, ManualClock
from .faults import KINDS as FAULT_KINDS
from .faults import Faults
from .jobs import COMPLETED, FAILED, RUNNING, WAITING, Job, demo_job
from .server import Simulator, default_jobs

__all__ = [
    "Simulator", "Job", "Clock", "ManualClock", "Faults", "FAULT_KINDS", "demo_job", "default_jobs",
    "DEFAULT_LINES", "MAX_LINES", "WAITING", "RUNNING", "COMPLETED", "FAILED",
]
