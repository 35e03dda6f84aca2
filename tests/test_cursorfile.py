"""--cursor-file takes regular files only: nothing else is read, hung on or renamed over."""

import json
import os
import stat

import pytest

from aomlog.simulator import Job

from conftest import conn_args, expected_bytes


@pytest.fixture
def sim(simulator):
    return simulator([Job(10, 10, files=["log1.log"], total_lines=100, seed=2)])


def refused(r, kind):
    assert r.status == 2 and r.out == b"", r
    assert r.err.startswith("Error: cursor file ") and kind in r.err.splitlines()[0], r.err
    assert r.err.splitlines()[1].startswith("Hint: ")


def test_a_device_node_is_refused_and_left_as_it_is(sim, aomlog, tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root (the symlink test below covers the check)")
    r = aomlog("tail", 10, 10, "--cursor-file", node, *conn_args(sim))
    refused(r, "is a character device")
    assert stat.S_ISCHR(node.stat().st_mode)
    assert len(sim.request_log) == 0  # refused before any request


def test_a_link_to_dev_null_is_refused_and_dev_null_survives(sim, aomlog, tmp_path):
    link = tmp_path / "cursor"
    link.symlink_to("/dev/null")
    r = aomlog("tail", 10, 10, "-f", "--cursor-file", link, *conn_args(sim))
    refused(r, "is a character device")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and link.is_symlink()


def test_a_fifo_is_refused_without_hanging(sim, aomlog, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    refused(aomlog("tail", 10, 10, "--cursor-file", fifo, *conn_args(sim)), "is a FIFO")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_directory_is_refused(sim, aomlog, tmp_path):
    r = aomlog("tail", 10, 10, "--cursor-file", tmp_path, *conn_args(sim))
    assert r.status == 2 and r.out == b"" and "is a directory" in r.err.splitlines()[0]
    assert tmp_path.is_dir()


def test_a_file_larger_than_a_cursor_is_refused_and_kept(sim, aomlog, tmp_path):
    big = tmp_path / "zeros"
    with open(big, "wb") as f:
        f.truncate(64 << 20)  # like a copy of /dev/zero, without the disk
    refused(aomlog("tail", 10, 10, "--cursor-file", big, *conn_args(sim)), "far larger than a cursor can be")
    assert big.stat().st_size == 64 << 20


def test_tilde_after_an_equals_sign_is_the_home_directory(sim, aomlog, clean_env):
    r = aomlog("tail", 10, 10, "-n", 3, "--cursor-file=~/job.cursor", *conn_args(sim))
    assert r.status == 0 and r.out == expected_bytes(sim.log_lines(10, 10)[-3:])
    assert json.loads((clean_env / "job.cursor").read_text())["job_id"] == "10"


def test_a_link_to_a_cursor_stays_a_link(sim, aomlog, tmp_path):
    real = tmp_path / "real.cursor"
    link = tmp_path / "link.cursor"
    link.symlink_to(real)
    assert aomlog("tail", 10, 10, "-n", 3, "--cursor-file", link, *conn_args(sim)).status == 0
    assert link.is_symlink() and json.loads(real.read_text())["positions"]["log1.log"].isdigit()


@pytest.mark.parametrize("make, hint", [
    (os.mkfifo, "Pass the path of a file aomlog may create and replace, e.g. --cursor-file ~/.job.cursor."),
    (lambda p: p.write_text("{}"), "Delete {path} to start afresh, or pass another --cursor-file."),
    (lambda p: p.write_bytes(b"x" * (2 << 20)), "It is not an aomlog cursor file: pass another --cursor-file."),
])
def test_the_hints_name_the_option(sim, aomlog, tmp_path, make, hint):
    cursor = tmp_path / "x.cursor"
    make(cursor)
    r = aomlog("tail", 10, 10, "--cursor-file", cursor, *conn_args(sim))
    assert r.err.splitlines()[1] == "Hint: " + hint.format(path=cursor)


def test_a_missing_directory_is_named_with_the_option(sim, aomlog, tmp_path):
    r = aomlog("tail", 10, 10, "--cursor-file", tmp_path / "nowhere" / "x.cursor", *conn_args(sim))
    assert r.err.splitlines()[1] == "Hint: Create the directory first, or pass another --cursor-file."


# -- the cursor file itself (aomlog.engine.cursorfile) -------------------------------------

def test_positions_saved_are_loaded_by_the_next_run(tmp_path):
    from aomlog.engine.cursorfile import CursorFile

    path = str(tmp_path / "c.json")
    first = CursorFile(path, "10", "10")
    assert first.load() == {}
    first.save("log1.log", "1005", {"epoch": 3})
    first.save("log2.log", "2001")
    again = CursorFile(path, "10", "10")
    assert again.load() == {"log1.log": "1005", "log2.log": "2001"}
    assert again.carried == {"log1.log": {"epoch": 3}}


def test_a_reader_that_keeps_nothing_drops_what_another_kept_only_as_it_moves_on(tmp_path):
    from aomlog.engine.cursorfile import CursorFile

    path = tmp_path / "c.json"
    CursorFile(str(path), "7", None).save("worker-0", "100", {"epoch": 1})
    tail = CursorFile(str(path), "7", None)
    tail.load()
    tail.save("worker-0", "100")  # where it stood: what metrics kept stays
    assert json.loads(path.read_text())["carried"] == {"worker-0": {"epoch": 1}}
    tail.save("worker-0", "101")
    assert "carried" not in json.loads(path.read_text())


def test_another_jobs_cursor_file_is_refused_with_what_it_is_about(tmp_path):
    from aomlog.engine.cursorfile import CursorFile
    from aomlog.errors import UsageError

    path = tmp_path / "c.json"
    CursorFile(str(path), "7", None).save("worker-0", "100")
    with pytest.raises(UsageError, match="belongs to job 7") as refused:
        CursorFile(str(path), "8", None).load()
    assert refused.value.about == "cursor_file.not_ours" and "--" not in refused.value.hint
    assert refused.value.facts == {"path": str(path)}
