"""The cache directory behind completion: where it is, how much it keeps, how long."""

import json

from conftest import conn_args

from aomlog.settings import cache, config
from aomlog.simulator import Job


def test_the_cache_is_in_the_users_cache_directory(clean_env, monkeypatch):
    assert config.cache_dir() == clean_env / ".cache" / "aomlog"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert config.cache_dir() == clean_env / ".cache" / "aomlog"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # XDG: a relative path is ignored
    assert config.cache_dir() == clean_env / ".cache" / "aomlog"
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/tmp/xdg")
    assert config.cache_dir() == config.Path("/var/tmp/xdg/aomlog")


def test_tail_and_files_remember_the_jobs_they_read(aomlog, simulator):
    sim = simulator([Job(10, 10, ["log1.log"], total_lines=5), Job(10, 3, ["log1.log"], total_lines=5),
                     Job(77, 1, ["a.log"], total_lines=5)])
    assert aomlog("tail", "10", "10", *conn_args(sim)).status == 0
    assert aomlog("files", "77", "1", *conn_args(sim)).status == 0
    assert aomlog("tail", "10", "3", "--file", "log1.log", *conn_args(sim)).status == 0
    assert aomlog("tail", "99", "1", "--file", "log1.log", *conn_args(sim)).status == 4  # a typo: not kept
    assert cache.recent_jobs() == [("10", "3"), ("77", "1"), ("10", "10")]  # the most recent first


def test_recent_jobs_are_newest_first_without_repeats_and_bounded():
    for n in range(cache.MAX_JOBS + 5):
        cache.remember_job(n, 1)
    cache.remember_job(10, 1)
    jobs = cache.recent_jobs()
    assert len(jobs) == cache.MAX_JOBS
    assert jobs[:3] == [("10", "1"), (str(cache.MAX_JOBS + 4), "1"), (str(cache.MAX_JOBS + 3), "1")]
    assert jobs.count(("10", "1")) == 1


def test_the_files_are_private_and_hold_no_temporary_leftovers():
    cache.remember_job(1, 2)
    cache.store_file_names("k", ["a.log"], now=100.0)
    directory = config.cache_dir()
    assert sorted(p.name for p in directory.iterdir()) == ["file-names.json", "recent-jobs.json"]
    assert directory.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in directory.iterdir())


def test_file_names_last_a_minute():
    cache.store_file_names("k", ["a.log", "b.log"], now=1000.0)
    assert cache.cached_file_names("k", now=1000.0 + cache.NAMES_TTL - 1) == ["a.log", "b.log"]
    assert cache.cached_file_names("k", now=1000.0 + cache.NAMES_TTL) is None
    assert cache.cached_file_names("k", now=999.0) is None  # the clock went back: not to be trusted
    assert cache.cached_file_names("other", now=1000.0) is None


def test_file_names_keep_few_entries():
    for n in range(cache.MAX_NAME_ENTRIES + 5):
        cache.store_file_names(f"k{n}", ["a.log"], now=1000.0 + n)
    now = 1000.0 + cache.MAX_NAME_ENTRIES + 5
    assert cache.cached_file_names("k0", now=now) is None
    assert cache.cached_file_names(f"k{cache.MAX_NAME_ENTRIES + 4}", now=now) == ["a.log"]
    stored = json.loads((config.cache_dir() / "file-names.json").read_text())
    assert len(stored["entries"]) == cache.MAX_NAME_ENTRIES


def test_unreadable_or_foreign_files_read_as_empty():
    directory = config.cache_dir()
    directory.mkdir(parents=True)
    for content in (b"", b"not json", b"\xff\xfe", b"[]", b'{"format": 99, "jobs": []}',
                    b'{"format": 1, "jobs": {"job": "1"}, "entries": [], "projects": null}',
                    b'{"format": 1, "jobs": null, "entries": null, "projects": ["k"]}'):
        for name in ("recent-jobs.json", "job-list.json", "file-names.json", "project-ids.json"):
            (directory / name).write_bytes(content)
        assert cache.recent_jobs() == [] and cache.listed_jobs() == []
        assert cache.cached_file_names("k", now=0.0) is None
        assert cache.project_id("k") is None
        cache.store_project_id("k", "p1")  # a corrupt file is replaced, not a crash
        assert cache.project_id("k") == "p1"


def test_an_unwritable_cache_is_skipped_quietly(clean_env, capsys):
    (clean_env / ".cache").write_text("a file where the directory should be")
    cache.remember_job(1, 2)
    cache.store_file_names("k", ["a.log"])
    assert cache.recent_jobs() == []
    assert capsys.readouterr() == ("", "")
