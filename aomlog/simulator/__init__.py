"""A local stand-in for the ModelArts training API (stdlib only): v1 jobs
(aom-log pages by file), v2 jobs (log pages by task), job lists and IAM's
project lookup.

It is the second, independent reading of the API that the client is tested
against, so it never imports aomlog.transport.client or requests.

Three layers, imports pointing down: http/ (the server, routes, faults, IAM)
-> model/ (jobs, details, pages, clock) -> styles/ (log text) -> hashes.py.

    from aomlog.simulator import Simulator, Job, ManualClock
    with Simulator([Job(10, 10, total_lines=1234, seed=1),
                    Job("3faf5c03-aaa1-4cbe-879d-24b05d997347", None, files=["worker-0", "worker-1"])]) as sim:
        ...  # talk HTTP to sim.url; compare with sim.log_text(10, 10) or sim.log_text(uuid, None, "worker-1")
"""

from .http import DEFAULT_PROJECT_ID, FAULT_KINDS, REQUEST_KINDS, Faults, Simulator
from .model import (CANCELED, COMPLETED, DEFAULT_LINES, DEMO_V2_ID, FAILED, INIT, KILLED, LOST, MAX_LINES, PHASES,
                    RUNNING, WAITING, Clock, Job, ManualClock, code_of_phase, default_jobs, demo_job, demo_job_v2,
                    phase_of, style_jobs, sweep_jobs, sweep_run)
from .styles import STYLES

__all__ = [
    "Simulator", "Job", "Clock", "ManualClock", "Faults", "FAULT_KINDS", "REQUEST_KINDS", "demo_job", "demo_job_v2",
    "default_jobs", "style_jobs", "sweep_jobs", "sweep_run", "STYLES", "DEMO_V2_ID", "DEFAULT_PROJECT_ID", "DEFAULT_LINES", "MAX_LINES",
    "INIT", "WAITING", "RUNNING", "COMPLETED", "FAILED", "KILLED", "CANCELED", "LOST", "PHASES",
    "phase_of", "code_of_phase",
]
