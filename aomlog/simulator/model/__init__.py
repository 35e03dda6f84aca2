"""What the simulator serves, free of HTTP: jobs and their life cycle (a growing
log, v1 status codes shown as v2 phases), their details, the page model both API
families read with, the clock everything time-dependent reads, and the jobs it
ships with.

Imports styles/ (a job's log text) and nothing of http/, which answers from it.
"""

from .clock import Clock, ManualClock
from .demos import DEMO_V2_ID, default_jobs, demo_job, demo_job_v2, style_jobs, sweep_jobs, sweep_run
from .details import v1_detail, v1_summary, v2_detail
from .jobs import STATIC_START, Job, LogFile
from .pages import DEFAULT_LINES, MAX_LINES, BadArgument, Page
from .status import (CANCELED, COMPLETED, FAILED, INIT, KILLED, LOST, PHASES, RUNNING, WAITING, code_of_phase,
                     phase_of)

__all__ = [
    "Clock", "ManualClock", "Job", "LogFile", "STATIC_START", "DEMO_V2_ID", "demo_job", "demo_job_v2", "style_jobs",
    "sweep_jobs", "sweep_run", "default_jobs", "v1_detail", "v1_summary", "v2_detail", "Page", "BadArgument", "DEFAULT_LINES", "MAX_LINES",
    "INIT", "WAITING", "RUNNING", "COMPLETED", "FAILED", "KILLED", "CANCELED", "LOST", "PHASES",
    "phase_of", "code_of_phase",
]
