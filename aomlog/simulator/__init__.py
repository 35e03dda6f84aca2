"""A local stand-in for the ModelArts training API (stdlib only): v1 jobs
(aom-log pages by file), v2 jobs (log pages by task), job lists and IAM's
project lookup.

It is the second, independent reading of the API that the client is tested
against, so it never imports aomlog.transport.client or requests.

    from aomlog.simulator import Simulator, Job, ManualClock
    with Simulator([Job(10, 10, total_lines=1234, seed=1),
                    Job("3faf5c03-aaa1-4cbe-879d-24b05d997347", None, files=["worker-0", "worker-1"])]) as sim:
        ...  # talk HTTP to sim.url; compare with sim.log_text(10, 10) or sim.log_text(uuid, None, "worker-1")
"""

from .api import DEFAULT_LINES, MAX_LINES, REQUEST_KINDS
from .clock import Clock, ManualClock
from .faults import KINDS as FAULT_KINDS
from .faults import Faults
from .jobs import DEMO_V2_ID, Job, demo_job, demo_job_v2, style_jobs
from .logs import STYLES
from .projects import DEFAULT_PROJECT_ID
from .server import Simulator, default_jobs
from .status import (CANCELED, COMPLETED, FAILED, INIT, KILLED, LOST, PHASES, RUNNING, WAITING, code_of_phase,
                     phase_of)

__all__ = [
    "Simulator", "Job", "Clock", "ManualClock", "Faults", "FAULT_KINDS", "REQUEST_KINDS", "demo_job", "demo_job_v2",
    "default_jobs", "style_jobs", "STYLES", "DEMO_V2_ID", "DEFAULT_PROJECT_ID", "DEFAULT_LINES", "MAX_LINES",
    "INIT", "WAITING", "RUNNING", "COMPLETED", "FAILED", "KILLED", "CANCELED", "LOST", "PHASES",
    "phase_of", "code_of_phase",
]
