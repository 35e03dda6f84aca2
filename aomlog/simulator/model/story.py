"""What a v2 job tells besides its log (docs/api-v2-job.md), as functions of its life.

A job's ``Story`` says what happens to it: why it queues, which faults a run meets and
how each is recovered, which task ends a failed job and how, what hardware it uses, and
how chatty its events are. Everything below is computed from the job's times (created,
submitted, preparing, started, ended) and the clock's now, so a client that polls sees
the story unfold: the events, the stages of each run (``running_records``), where each
task runs, each task's exit, and one usage value a minute per metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from ..hashes import stable_key
from .status import phase_of

# A model.jobs.Job, which holds its Story: not imported, as jobs.py imports this module.
Job = Any

QUEUE_REASON = "Waiting for resources: 0/8 nodes in pool pool-gpu-a100 have 8 free GPUs (queue position 3)."
OOM_MESSAGE = "OOMKilled: the container exceeded its memory limit (64 GiB)."
ACCELERATORS = ("gpu", "npu", "cpu")
MINUTE_MS = 60000


@dataclass(frozen=True)
class Fault:
    """A fault in a run: ``at_s`` seconds after the job started, in ``task``; recovered
    ``recover_s`` later by ``recover`` (``result`` is the recovery's result)."""

    at_s: float
    task: str = "worker-0"
    scenario: str = "chip_fault"
    recover: str = "pod_reschedule"
    reason: str = "GPU 3 reported an uncorrectable ECC error."
    recover_s: float = 5.0
    result: str = "success"


@dataclass(frozen=True)
class Story:
    """What happens to a v2 job besides its log.

    Args:
        queue_reason: why it waits in the queue (the newest sub-stage's message meanwhile).
        faults: faults of its runs, each recovered (the job stays Running).
        failed_task: for a job that ends Failed, the task whose exit ended it (default its last);
            the others are stopped with 143.
        exit_code, exit_message: that task's exit.
        accelerator: "gpu", "npu" or "cpu": which usage metrics the tasks have.
        idle_task: a task whose accelerator stays nearly idle while the others work.
        chatter_s: an Info event every this many seconds of the run (None: none).
    """

    queue_reason: str = QUEUE_REASON
    faults: Tuple[Fault, ...] = ()
    failed_task: Optional[str] = None
    exit_code: int = 137
    exit_message: str = OOM_MESSAGE
    accelerator: str = "gpu"
    idle_task: Optional[str] = None
    chatter_s: Optional[float] = None

    def __post_init__(self) -> None:
        if self.accelerator not in ACCELERATORS:
            raise ValueError("accelerator must be one of %s" % ", ".join(ACCELERATORS))


class Life(NamedTuple):
    """A job's times in epoch ms: created, submitted to the queue, preparing, started, ended
    (None while it runs or has no end)."""

    created: int
    submitted: int
    preparing: int
    started: int
    ended: Optional[int]


class Event(NamedTuple):
    time: int  # epoch ms
    level: str
    source: str
    message: str


def life(job: Job) -> Life:
    if job.growing:
        start = job.start_ms
        end = job.end_ms
    else:
        start, end = job.hist_base_ms, job.start_ms
    created = min(job.create_time, start)
    if job.added_at is not None and job.start_delay is not None:
        submitted = created + int(1000 * min(job.creating_s, job.start_delay))
    else:
        submitted = created + (start - created) // 4
    preparing = start - (start - submitted) // 3
    return Life(created, submitted, preparing, start, end)


def _end_phase(job: Job) -> str:
    return phase_of(job.end_status if job.growing else job.static_status)[0]


def faults_by(job: Job, now_ms: int) -> List[Tuple[Fault, int]]:
    """The faults that have happened by now, with when (epoch ms)."""
    times = life(job)
    out = []
    for fault in job.story.faults:
        at = times.started + int(fault.at_s * 1000)
        if at <= now_ms and (times.ended is None or at < times.ended):
            out.append((fault, at))
    return out


def failed_task(job: Job) -> str:
    return job.story.failed_task or job.files[-1]


def task_ends(job: Job) -> List[Tuple[str, int, str]]:
    """(task, exit code, message) of each task of an ended job."""
    phase = _end_phase(job)
    if phase == "Completed":
        return [(t, 0, "") for t in job.files]
    if phase == "Failed":
        culprit = failed_task(job)
        return [(t, job.story.exit_code, job.story.exit_message) if t == culprit
                else (t, 143, "Terminated: %s failed." % culprit) for t in job.files]
    if phase == "Terminated":
        return [(t, 137, "Terminated by the user.") for t in job.files]
    return [(t, -1, "The node was lost.") for t in job.files]


def _end_events(job: Job, at: int) -> List[Event]:
    phase = _end_phase(job)
    if phase == "Completed":
        return [Event(at, "Info", "Job", "Job completed.")]
    if phase == "Failed":
        culprit = failed_task(job)
        return [Event(at - 1, "Error", "Task", "%s exited with code %d: %s" % (culprit, job.story.exit_code,
                                                                           job.story.exit_message)),
                Event(at, "Error", "Job", "Job failed: task %s exited abnormally." % culprit)]
    if phase == "Terminated":
        return [Event(at, "Warning", "Job", "Job terminated by the user.")]
    return [Event(at, "Error", "Job", "Job abnormal: the node running it was lost.")]


def events(job: Job, now: float) -> List[Event]:
    """The events that have happened by now, oldest first."""
    now_ms = int(now * 1000)
    t = life(job)
    story = job.story
    out = [Event(t.created, "Info", "Job", "Job created."),
           Event(t.submitted, "Warning", "K8S", story.queue_reason),
           Event(t.preparing, "Info", "Job", "Scheduled to %d node(s); pulling the image." % len(job.files)),
           Event(t.started, "Info", "Job", "Job started.")]
    if story.chatter_s:
        stop = t.ended if t.ended is not None else now_ms
        step, k = int(story.chatter_s * 1000), 1
        while t.started + k * step < stop and t.started + k * step <= now_ms:
            out.append(Event(t.started + k * step, "Info", "Task", "worker-0: checkpoint %d saved." % k))
            k += 1
    for fault, at in faults_by(job, now_ms):
        out.append(Event(at, "Warning", "Job", "Fault in %s (%s): %s Recovering by %s."
                         % (fault.task, fault.scenario, fault.reason, fault.recover)))
        done = at + int(fault.recover_s * 1000)
        if t.ended is None or done < t.ended:
            out.append(Event(done, "Info", "Job", "Job restarted: %s recovered by %s (%s)."
                             % (fault.task, fault.recover, fault.result)))
    if t.ended is not None:
        out.extend(_end_events(job, t.ended))
    return sorted((e for e in out if e.time <= now_ms), key=lambda e: e.time)


def running_records(job: Job, now: float) -> List[dict]:
    """``status.running_records``: one per run; a fault ends a run and its recovery starts the next."""
    now_ms = int(now * 1000)
    t = life(job)
    if t.started > now_ms:
        return []
    records = []
    start, start_type = t.started, "init_or_rescheduled"
    for fault, at in faults_by(job, now_ms):
        done = at + int(fault.recover_s * 1000)
        records.append({"start_at": start // 1000, "end_at": at // 1000, "start_type": start_type,
                        "end_reason": fault.scenario, "end_related_task": fault.task, "end_recover": fault.recover,
                        "recover_records": [{"recover_start_at": at // 1000, "recover_end_at": done // 1000,
                                             "recover": fault.recover, "fault_scenario": fault.scenario,
                                             "reason": fault.reason, "related_task": fault.task,
                                             "recover_result": fault.result if done <= now_ms else "recovering"}]})
        start, start_type = done, "restarted"
    last: dict = {"start_at": start // 1000, "start_type": start_type}
    if t.ended is not None and t.ended <= now_ms:
        last.update(end_at=t.ended // 1000, end_reason=_end_phase(job))
    records.append(last)
    return records


def task_statuses(job: Job, now: float) -> List[dict]:
    t = life(job)
    if t.ended is None or t.ended > now * 1000:
        return []
    return [{"task": task, "exit_code": code, "message": message} for task, code, message in task_ends(job)]


def places(job: Job, now: float) -> List[dict]:
    """ListTrainingJobTasks: where each task ran, per scheduling round (a rescheduled task moves)."""
    now_ms = int(now * 1000)
    if life(job).preparing > now_ms:
        return []
    out = []
    moved: Dict[str, int] = {}
    for fault, _ in faults_by(job, now_ms):
        if fault.recover in ("pod_reschedule", "job_reschedule", "job_reschedule_with_taint"):
            moved[fault.task] = moved.get(fault.task, 0) + 1
    for rank, task in enumerate(job.files):
        for round_ in range(1, moved.get(task, 0) + 2):
            host = (rank + 7 * (round_ - 1)) % 250 + 1
            out.append({"task": task, "ip": "172.16.%d.%d" % (round_ - 1, rank + 2),
                        "host_ip": "192.168.0.%d" % host, "schedule_count": round_})
    return out


def _stage(name: str, order: int, begin: int, end: Optional[int], subs: List[Tuple[str, str, int]],
           time_of: Callable[[int], object]) -> dict:
    shown = [{"name": sub, "en_message": text, "zh_message": text, "create_time": time_of(at)}
             for sub, text, at in subs]
    stage = {"name": name, "stage_order": order, "start_time": time_of(begin), "en_message": subs[-1][1],
             "zh_message": subs[-1][1], "sub_stages": shown}
    if end is not None:
        stage["end_time"] = time_of(end)
    return stage


def _runs(job: Job, now_ms: int) -> List[Tuple[int, int, int, str, Optional[int]]]:
    """(queued, preparing, started, why it queued, ended) of each run that has begun."""
    t = life(job)
    runs = [(t.submitted, t.preparing, t.started, job.story.queue_reason)]
    for fault, at in faults_by(job, now_ms):
        done = at + int(fault.recover_s * 1000)
        runs.append((at, at + (done - at) // 2, done, "Rescheduling %s after a %s." % (fault.task, fault.scenario)))
    ends = [r[0] for r in runs[1:]] + [t.ended]
    return [run + (end,) for run, end in zip(runs, ends)]


def stages(job: Job, now: float, time_of: Callable[[int], object]) -> List[dict]:
    """ListTrainingJobStages' ``running_records``: each run's stages and sub-stages that have begun by now."""
    now_ms = int(now * 1000)
    n = len(job.files)
    records = []
    for order, (queued, prep, started, why, end) in enumerate(_runs(job, now_ms), 1):
        marks = [("scheduling", queued, [("Queuing", why, queued)]),
                 ("preparing", prep, [("ImagePulling", "Pulling image swr.cn-north-4.myhuaweicloud.com/"
                                       "train/pytorch:1.11 (3.2 GB).", prep),
                                      ("CodeDownloading", "Downloading the code and %d dataset shard(s) "
                                       "from OBS." % n, (prep + started) // 2)]),
                 ("running", started, [("Running", "Training on %d node(s)." % n, started)])]
        if end is not None:
            marks.append(("end", end, [("End", "Run ended.", end)]))
        marks = [(name, begin, [s for s in subs if s[2] <= now_ms]) for name, begin, subs in marks if begin <= now_ms]
        shown = [_stage(name, i + 1, begin, marks[i + 1][1] if i + 1 < len(marks) else None, subs, time_of)
                 for i, (name, begin, subs) in enumerate(marks)]
        if shown:
            records.append({"record_order": order, "stages": shown})
    return records


METRICS = {"gpu": ("cpuUsage", "memUsage", "gpuUtil", "gpuMemUsage"),
           "npu": ("cpuUsage", "memUsage", "npuUtil", "npuMemUsage"),
           "cpu": ("cpuUsage", "memUsage")}
_LEVELS = {"cpuUsage": (15.0, 45.0), "memUsage": (10.0, 55.0), "gpuUtil": (3.0, 88.0), "gpuMemUsage": (2.0, 71.0),
           "npuUtil": (3.0, 86.0), "npuMemUsage": (2.0, 64.0)}


def usage(job: Job, task: str, now: float) -> List[Tuple[str, List[float]]]:
    """(metric, one value a minute, oldest first, in percent) for ``task``: low in the first
    minute (loading data), high once training runs; an ``idle_task``'s accelerator stays low."""
    start, duration = job.run_ms(now)
    if start is None:
        return []
    minutes = int(duration // MINUTE_MS) + 1
    out = []
    for metric in METRICS[job.story.accelerator]:
        low, high = _LEVELS[metric]
        if task == job.story.idle_task and metric in ("gpuUtil", "npuUtil"):
            high = 6.0
        values = []
        for m in range(minutes):
            noise = stable_key("usage", job.seed, task, metric, m) % 700 / 100.0 - 3.5
            values.append(round(max(0.0, min(100.0, (low if m == 0 else high) + noise)), 1))
        out.append((metric, values))
    return out
