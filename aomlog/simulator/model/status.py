"""Job states: the v1 status codes and the v2 phases they show as.

A job keeps one state internally, a v1 code (docs/api-v1.md lists them); a v2
job's detail translates it to ``status.phase`` / ``status.secondary_phase``
(docs/api-v2.md), so both families share one life cycle.
"""

from __future__ import annotations

from typing import Dict, Tuple

UNKNOWN = 0
INIT = 1
IMAGE_CREATING = 2
IMAGE_FAILED = 3
SUBMIT_TRYING = 4
SUBMIT_FAILED = 5
DELETE_FAILED = 6
WAITING = 7
RUNNING = 8
KILLING = 9
COMPLETED = 10
FAILED = 11
KILLED = 12
CANCELED = 13
LOST = 14
SCALING = 15
SUBMIT_MODEL_FAILED = 16
DEPLOY_SERVICE_FAILED = 17
CHECK_INIT = 18
CHECK_RUNNING = 19
CHECK_RUNNING_COMPLETED = 20
CHECK_FAILED = 21
MOUNT_FAILED = 22

SUCCESS = frozenset({COMPLETED, CHECK_RUNNING_COMPLETED})

# (phase, secondary_phase) per v1 code. The secondary phase is informational
# only (docs/api-v2.md): the values are plausible, not documented.
_PHASES: Dict[int, Tuple[str, str]] = {
    UNKNOWN: ("Abnormal", "Unknown"),
    INIT: ("Creating", "Creating"),
    IMAGE_CREATING: ("Creating", "ImageCreating"),
    IMAGE_FAILED: ("Failed", "ImageFailed"),
    SUBMIT_TRYING: ("Creating", "Submitting"),
    SUBMIT_FAILED: ("Failed", "CreateFailed"),
    DELETE_FAILED: ("Failed", "DeleteFailed"),
    WAITING: ("Pending", "Queuing"),
    RUNNING: ("Running", "Running"),
    KILLING: ("Terminating", "Terminating"),
    COMPLETED: ("Completed", "Completed"),
    FAILED: ("Failed", "Failed"),
    KILLED: ("Terminated", "Terminated"),
    CANCELED: ("Terminated", "Canceled"),
    LOST: ("Abnormal", "Lost"),
    SCALING: ("Running", "Scaling"),
    SUBMIT_MODEL_FAILED: ("Failed", "SubmitModelFailed"),
    DEPLOY_SERVICE_FAILED: ("Failed", "DeployServiceFailed"),
    CHECK_INIT: ("Pending", "CheckInit"),
    CHECK_RUNNING: ("Running", "CheckRunning"),
    CHECK_RUNNING_COMPLETED: ("Completed", "CheckCompleted"),
    CHECK_FAILED: ("Failed", "CheckFailed"),
    MOUNT_FAILED: ("Failed", "MountFailed"),
}

PHASES = ("Creating", "Pending", "Running", "Failed", "Completed", "Terminating", "Terminated", "Abnormal")

# The code a phase name stands for, for Job(end_phase=...).
_BY_PHASE = {"Creating": INIT, "Pending": WAITING, "Running": RUNNING, "Terminating": KILLING,
             "Completed": COMPLETED, "Failed": FAILED, "Terminated": KILLED, "Abnormal": LOST}


def phase_of(code: int) -> Tuple[str, str]:
    """(phase, secondary_phase) of a v1 status code."""
    return _PHASES.get(code, ("Abnormal", "Unknown"))


def code_of_phase(phase: str) -> int:
    try:
        return _BY_PHASE[phase]
    except KeyError:
        raise ValueError("unknown phase %r; known: %s" % (phase, ", ".join(PHASES))) from None
