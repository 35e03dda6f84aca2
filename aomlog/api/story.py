"""What a v2 job tells besides its log, as values: its events, its current stage, where and
how its tasks ended, its fault recoveries, and its tasks' resource use (docs/api-v2-job.md).

Values only, importing nothing of aomlog (output/ shows them, and ``family.py``, which holds
``JobStory``, imports them); ``api/storyfields.py`` reads them from the API's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

LEVELS = ("Info", "Warning", "Error")


@dataclass(frozen=True)
class Event:
    """One event: ``time_ms`` when its time could be read (ISO 8601 or epoch ms), and its
    ``time_text`` as the API gave it."""

    time_ms: Optional[int]
    time_text: str
    level: str
    source: str
    message: str

    @property
    def key(self) -> Tuple[str, str, str, str]:
        """What tells two events apart: there is no id (the same time and message is the same event)."""
        return (self.time_text, self.level, self.source, self.message)


@dataclass(frozen=True)
class Stage:
    """Where the job's current run is: ``name`` (scheduling, preparing, running, end) and the
    newest sub-stage's message, the best answer to "why is it not running yet"."""

    name: str
    message: str
    run: int  # the run's record_order: above 1 after a fault rescheduled the job


@dataclass(frozen=True)
class TaskEnd:
    """A task's exit, once it has one."""

    task: str
    exit_code: Optional[int]
    message: str


@dataclass(frozen=True)
class TaskPlace:
    """Where a task runs (its newest scheduling round)."""

    task: str
    ip: str
    host_ip: str
    rounds: int


@dataclass(frozen=True)
class Recovery:
    """A fault in a run and how it was recovered (times in epoch ms)."""

    start_ms: Optional[int]
    end_ms: Optional[int]
    task: str
    scenario: str
    recover: str
    reason: str
    result: str


# metric -> one value a minute, oldest first, as the API gave them (percent or fraction)
Usage = Dict[str, List[float]]

# What a metric is called where it is shown, in the order shown.
METRIC_NAMES = {"gpuUtil": "GPU", "gpuMemUsage": "GPU memory", "npuUtil": "NPU", "npuMemUsage": "NPU memory",
                "cpuUsage": "CPU", "memUsage": "memory"}
ACCELERATOR_METRICS = ("gpuUtil", "npuUtil")


def in_percent(usages: Dict[str, Usage]) -> Tuple[Dict[str, Usage], bool]:
    """Each task's usage in percent, and whether the API's rates were read as fractions of 1:
    whether they run to 100 or to 1 is not documented, so when every value is at most 1 they
    are taken as fractions (and multiplied by 100)."""
    values = [v for usage in usages.values() for series in usage.values() for v in series]
    if not values or max(values) > 1:
        return usages, False
    return {task: {metric: [round(v * 100, 4) for v in series] for metric, series in usage.items()}
            for task, usage in usages.items()}, True


def metric_order(names: Iterable[str]) -> List[str]:
    """Metrics in the order they are shown: accelerators first, unknown ones last."""
    known = list(METRIC_NAMES)
    return sorted(set(names), key=lambda n: (known.index(n) if n in known else len(known), n))
