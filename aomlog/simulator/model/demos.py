"""The jobs the simulator ships with: the demos `aomlog demo` follows, a job of
each log style, and the set `python -m aomlog.simulator` serves."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple, Union

from ..hashes import stable_key

from .jobs import STATIC_START, Job
from .status import COMPLETED
from .story import Fault, Story

# The demo's name in each log style.
DEMO_NAMES = {"pytorch": "resnet50-demo", "huggingface": "bert-demo", "keras": "mnist-demo",
              "mindspore": "resnet50-ms-demo"}


def demo_job(start_time: Optional[float] = None, style: str = "pytorch") -> Job:
    """The job `aomlog demo` follows: ~30 s of bursty output at a readable pace, then COMPLETED.
    ``style`` picks the framework its log imitates (``styles.STYLES``)."""
    return Job(1024, 1, files=["log1.log"], seed=2026, initial_lines=30,
               lines_per_second=25, burst=6, duration_s=30, end_status=COMPLETED,
               start_time=start_time, name=DEMO_NAMES.get(style, "resnet50-demo"), style=style)


DEMO_V2_ID = "5e0c7a1d-2b3f-4c8e-9d6a-7f1e2d3c4b5a"


def demo_job_v2(start_time: Optional[float] = None, start_delay: Optional[float] = 5.0,
                style: str = "pytorch") -> Job:
    """demo_job's v2 twin: two tasks that start after ~5 s (Creating, queuing for free GPUs,
    pulling the image), ~30 s of bursty output with a GPU fault in worker-1 recovered by a
    restart at 12 s, then Completed. ``start_time`` replaces the delay; ``style`` picks the
    framework its log imitates (``styles.STYLES``)."""
    return Job(DEMO_V2_ID, None, files=["worker-0", "worker-1"], seed=2027, initial_lines=30,
               lines_per_second=25, burst=6, duration_s=30, end_phase="Completed",
               start_time=start_time, start_delay=None if start_time is not None else start_delay, creating_s=1.0,
               name=DEMO_NAMES.get(style, "resnet50-demo"), style=style,
               story=Story(faults=(Fault(at_s=12, task="worker-1", recover="gpu_proc_restart", recover_s=2),)))


def style_jobs() -> List[Job]:
    """One static v2 job per style other than PyTorch's, with metrics in that
    framework's forms (for ``default_jobs``): "bert-finetune" (huggingface, two
    workers), "mnist-keras" (keras) and "resnet-mindspore" (mindspore, Failed)."""
    return [
        Job("8d2f4b6a-1c3e-4a5b-9f7d-2e4c6a8b0d1f", None, files=["worker-0", "worker-1"], total_lines=3000,
            seed=41, name="bert-finetune", style="huggingface"),
        Job("c4a6e8f0-2b4d-4f6a-8c0e-1a3b5c7d9e2f", None, total_lines=3000, seed=42, name="mnist-keras",
            style="keras"),
        Job("e1f3a5c7-9b2d-4e6f-8a0c-3b5d7f9a1c4e", None, total_lines=2500, seed=43, name="resnet-mindspore",
            style="mindspore", end_phase="Failed"),
    ]


SWEEP_PACES = (1.0, 1.6, 0.6, 2.4)  # how fast each run of a sweep learns: runs side by side differ


def sweep_jobs(runs: int = 2, name: str = "sweep", job_id: Union[int, str, None] = None,
               **options: Any) -> List[Job]:
    """``runs`` runs of one training script that learn at different paces (``SWEEP_PACES``),
    named NAME-lr1, NAME-lr2, ...: what ``aomlog metrics RUN RUN ...`` compares. ``job_id``: a
    v1 id for the first run (the others count on from it, version 1 each); else v2 jobs with
    ids of their own. ``options`` go to each ``Job`` (files, total_lines, ...)."""
    jobs = []
    for i in range(runs):
        ids, run_name, pace = sweep_run(i, name, job_id)
        jobs.append(Job(*ids, **dict({"seed": 100 + i}, **options), pace=pace, name=run_name))
    return jobs


def sweep_run(i: int, name: str, job_id: Union[int, str, None] = None
              ) -> Tuple[Tuple[Union[int, str], Optional[int]], str, float]:
    """The ids (job, v1 version), name and pace of run ``i`` (from 0) of a sweep (``sweep_jobs``)."""
    pace = SWEEP_PACES[i % len(SWEEP_PACES)] * (1 + i // len(SWEEP_PACES))
    ids: Tuple[Union[int, str], Optional[int]]
    if job_id is None:
        ids = ("5a1e%04x-0000-4000-8000-%012x" % (i, stable_key("sweep", i, name) % (1 << 48)), None)
    else:
        ids = (int(job_id) + i, 1)
    return ids, "%s-lr%d" % (name, i + 1), pace


def default_jobs() -> List[Job]:
    """The jobs `python -m aomlog.simulator` serves: v1 job 10 version 10 ("log1.log",
    as in the published example), a two-worker v1 job 20 version 1 and the v1 demo;
    a two-task v2 job (the documented example's id), two single-task v2 jobs both
    named "resnet50-train" (the Failed one ran a day earlier), the v2 demo, and a job
    whose log looks like each other framework's (Hugging Face, Keras, MindSpore), and two runs of a
    sweep ("sweep-lr1", "sweep-lr2": different curves, for ``aomlog metrics sweep-lr1 sweep-lr2``)."""
    return [
        Job(10, 10, files=["log1.log"], total_lines=5000, seed=10),
        Job(20, 1, files=["job-20.0", "job-20.1"], total_lines=2000, seed=20),
        demo_job(),
        Job("3faf5c03-aaa1-4cbe-879d-24b05d997347", None, files=["worker-0", "worker-1"], total_lines=3000,
            seed=30, name="trainjob-resnet"),
        Job("b7d41c2e-6f0a-4e39-9a58-0c2d7e1f4a63", None, total_lines=1500, seed=31, name="resnet50-train"),
        Job("0e9a8b7c-1d2e-4f30-8a4b-5c6d7e8f9a0b", None, total_lines=800, seed=32, name="resnet50-train",
            end_phase="Failed", start_time=STATIC_START - 86400),
        demo_job_v2(),
    ] + style_jobs() + sweep_jobs(total_lines=3000)  # each other framework's log style; runs to compare
