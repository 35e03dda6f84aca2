"""What aomlog keeps in the user's cache directory, for shell completion.

- ``recent-jobs.json``: the jobs (and v1 versions) ``tail`` and ``files`` read lately, newest
  first, at most MAX_JOBS of them, offered for JOB and VERSION;
- ``job-list.json``: the ids and names of the jobs ``aomlog jobs`` listed last, offered for JOB;
- ``project-ids.json``: project ids looked up from IAM, per IAM endpoint, access key and region
  (the SDK caches them too; they do not change);
- ``file-names.json``: each version's log-file names as the API listed them, kept for
  NAMES_TTL seconds, so that pressing TAB again does not call the API again;
- ``metric-names.json``: the names of the metrics ``metrics`` found in each job's log (and the
  job's name), the last time it read the job, for MAX_JOBS jobs, offered for ``--metric``;
- ``key-pairs.json``: whether each access key pair (by a hash of its access key id) was last
  accepted or rejected, and when (``key_pairs.py``: the gateway locks a pair after 5 failures
  in a row).

All of it may be lost at any time: a missing, unreadable or corrupt file reads as
empty, and one that cannot be written is left alone, never an error. Files are
replaced atomically, so two aomlog processes at once leave one version or the other.
"""

from __future__ import annotations

import json
import time
from typing import Dict, List, Optional, Tuple

from aomlog.settings import config

FORMAT = 1
MAX_JOBS = 20
MAX_LISTED = 200
MAX_PROJECTS = 50
NAMES_TTL = 60.0
MAX_NAME_ENTRIES = 20
MAX_NAMES = 1000
MAX_METRICS = 200
MAX_FILE_BYTES = 1 << 20  # more than any file written here can hold: anything bigger is not ours


def remember_job(job_id, version_id=None) -> None:
    """Put the job (and its v1 version) first in the recent jobs."""
    entry = (str(job_id), None if version_id is None else str(version_id))
    jobs = [entry] + [job for job in recent_jobs() if job != entry]
    _write("recent-jobs.json", {"format": FORMAT,
                                "jobs": [{"job": job, "version": version} for job, version in jobs[:MAX_JOBS]]})


def recent_jobs() -> List[Tuple[str, Optional[str]]]:
    """(job id, v1 version id or None) pairs, most recently read first."""
    jobs = _read("recent-jobs.json").get("jobs")
    if not isinstance(jobs, list):
        return []
    return [(e["job"], e.get("version")) for e in jobs
            if isinstance(e, dict) and isinstance(e.get("job"), str)
            and (e.get("version") is None or isinstance(e.get("version"), str))][:MAX_JOBS]


def store_job_list(jobs: List[Tuple[str, Optional[str], str]]) -> None:
    """The (id, v1 version or None, name) of the jobs just listed, newest first."""
    _write("job-list.json", {"format": FORMAT, "jobs": [{"job": job, "version": version, "name": name}
                                                        for job, version, name in jobs[:MAX_LISTED]]})


def listed_jobs() -> List[Tuple[str, Optional[str], str]]:
    jobs = _read("job-list.json").get("jobs")
    if not isinstance(jobs, list):
        return []
    return [(e["job"], e.get("version"), e.get("name") or "") for e in jobs
            if isinstance(e, dict) and isinstance(e.get("job"), str) and isinstance(e.get("name", ""), str)
            and (e.get("version") is None or isinstance(e.get("version"), str))][:MAX_LISTED]


def project_id(key: str) -> Optional[str]:
    """The project id IAM gave for ``key`` (IAM endpoint, AK, region), if it was asked before."""
    found = _projects().get(key)
    return found if isinstance(found, str) and found else None


def store_project_id(key: str, value: str) -> None:
    projects = _projects()
    projects.pop(key, None)
    projects[key] = value
    _write("project-ids.json", {"format": FORMAT, "projects": dict(list(projects.items())[-MAX_PROJECTS:])})


def _projects() -> dict:
    projects = _read("project-ids.json").get("projects")
    return dict(projects) if isinstance(projects, dict) else {}


def key_pair_state(key: str) -> Optional[Tuple[bool, float]]:
    """(accepted, when) the key pair ``key`` was last answered, if it was."""
    return _pair_state(_pairs(), _hashed(key))


def store_key_pair_state(key: str, accepted: bool, now: Optional[float] = None) -> None:
    pairs, hashed = _pairs(), _hashed(key)
    known = _pair_state(pairs, hashed)
    if accepted and known is not None and known[0]:
        return  # accepted before: not worth a write per command
    pairs.pop(hashed, None)
    pairs[hashed] = {"ok": accepted, "at": time.time() if now is None else now}
    _write("key-pairs.json", {"format": FORMAT, "pairs": dict(list(pairs.items())[-MAX_PROJECTS:])})


def _pair_state(pairs: dict, hashed: str) -> Optional[Tuple[bool, float]]:
    entry = pairs.get(hashed)
    if isinstance(entry, dict) and isinstance(entry.get("ok"), bool) and isinstance(entry.get("at"), (int, float)):
        return entry["ok"], float(entry["at"])
    return None


def _pairs() -> dict:
    pairs = _read("key-pairs.json").get("pairs")
    return dict(pairs) if isinstance(pairs, dict) else {}


def _hashed(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def store_metric_names(job_id, version_id, name: Optional[str], metrics: List[str]) -> None:
    """The metrics found in a job's log (and the job's name, if known), for completing ``--metric``."""
    entry = {"job": str(job_id), "version": None if version_id is None else str(version_id), "name": name or "",
             "metrics": sorted(str(m) for m in metrics)[:MAX_METRICS]}
    same = (entry["job"], entry["version"])
    jobs = [entry] + [e for e in _metric_entries() if (e["job"], e.get("version")) != same]
    _write("metric-names.json", {"format": FORMAT, "jobs": jobs[:MAX_JOBS]})


def metric_names(job: str) -> List[str]:
    """The metrics found the last time the job ``job`` (an id or a name) was read."""
    names: List[str] = []
    for e in _metric_entries():
        if job in (e["job"], e.get("name")):
            names += [m for m in e["metrics"] if m not in names]
    return names


def _metric_entries() -> List[dict]:
    jobs = _read("metric-names.json").get("jobs")
    if not isinstance(jobs, list):
        return []
    return [e for e in jobs if isinstance(e, dict) and isinstance(e.get("job"), str)
            and isinstance(e.get("name", ""), str) and isinstance(e.get("metrics"), list)
            and all(isinstance(m, str) for m in e["metrics"])]


def path(name: str):
    return config.cache_dir() / name


def cached_file_names(key: str, now: Optional[float] = None) -> Optional[List[str]]:
    """The names stored under ``key`` less than NAMES_TTL seconds ago, else None."""
    entry = _name_entries(time.time() if now is None else now).get(key)
    return list(entry["names"]) if entry else None


def store_file_names(key: str, names: List[str], now: Optional[float] = None) -> None:
    now = time.time() if now is None else now
    entries = _name_entries(now)
    entries.pop(key, None)
    entries[key] = {"at": now, "names": [str(n) for n in names][:MAX_NAMES]}
    newest = sorted(entries.items(), key=lambda item: item[1]["at"])[-MAX_NAME_ENTRIES:]
    _write("file-names.json", {"format": FORMAT, "entries": dict(newest)})


def _name_entries(now: float) -> Dict[str, dict]:
    """The entries still fresh at ``now``; one from the future (a clock set back) is stale too."""
    entries = _read("file-names.json").get("entries")
    if not isinstance(entries, dict):
        return {}
    return {key: e for key, e in entries.items()
            if isinstance(e, dict) and isinstance(e.get("at"), (int, float)) and 0 <= now - e["at"] < NAMES_TTL
            and isinstance(e.get("names"), list) and all(isinstance(n, str) for n in e["names"])}


def _read(name: str) -> dict:
    file = path(name)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            return {}
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8 or not JSON: nothing cached
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def _write(name: str, data: dict) -> None:
    from aomlog.settings.config_edit import write_private

    try:
        write_private(path(name), json.dumps(data))
    except Exception:  # a cache that cannot be written is only a slower completion
        pass
