"""A job's detail as each family's detail call answers it.

v1 follows docs/api-v1.md (flat, ``is_success``, integer ``status``); v2 follows
the documented ShowTrainingJobDetails shape of docs/api-v2.md (``kind``,
``metadata``, ``status.phase``, ``status.tasks``, ...). The fields beyond those
documented are plausible filler, so a client that reads them learns nothing.
"""

from __future__ import annotations

from ..hashes import stable_key
from .jobs import Job
from .status import phase_of
from .story import running_records, task_statuses


def v1_detail(job: Job, now: float) -> dict:
    _, duration = job.run_ms(now)
    assert job.version_id is not None  # only v1 jobs (which have a version) get here
    return {
        "is_success": True,
        "job_id": job.job_id,
        "job_name": job.name,
        "version_id": job.version_id,
        "version_name": "V%04d" % job.version_id,
        "status": job.status(now),
        "duration": duration,
        "create_time": job.create_time,
        "engine_type": 1,
        "engine_name": "PyTorch",
        "engine_version": "PyTorch-1.11.0-python3.9",
        "worker_server_num": len(job.files),
        "log_file_count": len(job.files),
    }


def v1_summary(job: Job, now: float) -> dict:
    """A version as the versions list shows it."""
    _, duration = job.run_ms(now)
    assert job.version_id is not None  # only v1 jobs (which have a version) get here
    return {"version_id": job.version_id, "version_name": "V%04d" % job.version_id,
            "status": job.status(now), "create_time": job.create_time, "duration": duration}


def v2_detail(job: Job, now: float) -> dict:
    phase, secondary = phase_of(job.status(now))
    start, duration = job.run_ms(now)
    # The task list appears once the job is scheduled (Pending); task statuses once it ended
    # (model/story.py), running records once it started.
    tasks = [] if phase == "Creating" else list(job.files)
    status = {"phase": phase, "secondary_phase": secondary, "duration": duration}
    if start is not None:
        status["start_time"] = start  # absent until the job starts
    status["tasks"] = tasks
    status["task_statuses"] = task_statuses(job, now)
    status["running_records"] = running_records(job, now)
    bucket = "bucket-%04d" % (stable_key("bucket", job.seed) % 10000)
    return {
        "kind": "job",
        "metadata": {"id": job.job_id, "name": job.name, "description": "", "create_time": job.create_time,
                     "workspace_id": "0"},
        "status": status,
        "algorithm": {
            "code_dir": "/%s/code/" % bucket,
            "boot_file": "/%s/code/train.py" % bucket,
            "parameters": [{"name": "epochs", "value": "100"}, {"name": "lr", "value": "0.001"}],
            "engine": {"engine_name": "PyTorch",
                       "engine_version": "pytorch_1.11.0-cuda_11.3-py_3.9-ubuntu_18.04-x86_64"},
        },
        "spec": {"resource": {"flavor_id": "modelarts.p3.large.public", "node_count": len(job.files)}},
    }
