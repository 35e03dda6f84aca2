"""`aomlog jobs` on a terminal: one row per job at any width, v2 ids cut to a start that picks
one job (as git shortens commits), and every command taking such a start back."""

import re
import subprocess

import pytest

from aomlog.api import Apis
from aomlog.api.family import JobInfo, JobRef, JobState, Phase
from aomlog.output import joblist
from aomlog.simulator import Job
from aomlog.transport.client import Client

from conftest import conn_args, expected_bytes, spawn
from ptycapture import PtyCapture

TWINS = ("3faf5c03-aaa1-4cbe-879d-24b05d997347", "3faf5c03-aab2-4cbe-879d-24b05d997348")  # 11 characters alike
LONELY = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
DIGITS = "12345678-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
LONG_NAME = "bert-large-uncased-finetuned-squad-lr3e5"  # 40 characters: too many at 80 columns, not at 120


def info(job_id, name="job", version=None):
    return JobInfo(JobRef("v1" if version else "v2", job_id, version), name,
                   JobState(Phase.RUNNING, "Running"), 1795760000000, 2)


def test_each_v2_id_is_cut_to_the_shortest_start_no_other_listed_id_has():
    short = joblist.short_ids([info(TWINS[0]), info(TWINS[1]), info(LONELY), info("10", version="1")])
    assert short == {TWINS[0]: "3faf5c03-aaa", TWINS[1]: "3faf5c03-aab", LONELY: "9a1b2c3d"}


def test_a_cut_id_is_never_all_digits_which_would_read_as_a_v1_id():
    assert joblist.short_ids([info(DIGITS)]) == {DIGITS: "12345678-"}


@pytest.fixture
def sim(simulator):
    return simulator([
        Job(TWINS[0], None, total_lines=30, seed=1, name=LONG_NAME, create_time=1795760000000),
        Job(TWINS[1], None, total_lines=30, seed=2, name="resnet50-train", create_time=1795750000000),
        Job(LONELY, None, total_lines=30, seed=3, name="gpt-small", create_time=1795740000000, end_phase="Failed"),
        Job(10, 10, files=["log1.log"], total_lines=20, seed=4, name="bert-v1", create_time=1795730000000, status=11),
    ])


@pytest.mark.parametrize("width, dropped", [(80, {"TASKS/FILES", "DURATION"}), (120, set())])
def test_one_row_per_job_at_any_width(sim, width, dropped):
    found = Apis(Client(sim.url, "p1")).jobs()
    header, rule, *rows = joblist.as_table(found, width=width, color=False).decode().splitlines()
    assert len(rows) == len(found) == 4
    assert all(len(line) <= width for line in [header, rule, *rows])
    assert set(joblist.COLUMNS) - set(header.split()) == dropped
    assert [row.split()[0] for row in rows] == ["3faf5c03-aaa", "3faf5c03-aab", "9a1b2c3d", "10"]
    assert ("…" in rows[0]) == (width == 80) and (LONG_NAME in rows[0]) == (width == 120)
    assert "resnet50-train" in rows[1] and "Failed" in rows[2]


def test_a_name_that_fits_whole_without_the_last_columns_is_not_cut(simulator):
    sim = simulator([Job(LONELY, None, total_lines=5, seed=3, name="resnet50-train", create_time=1795740000000)])
    header, rule, row = joblist.as_table(Apis(Client(sim.url, "p1")).jobs(), width=80, color=False).decode().splitlines()
    assert header.split() == ["ID", "NAME", "STATUS", "CREATED", "DURATION"] and "resnet50-train " in row


def test_very_narrow_keeps_id_name_and_status_on_one_row(sim):
    found = Apis(Client(sim.url, "p1")).jobs()
    header, rule, *rows = joblist.as_table(found, width=50, color=False).decode().splitlines()
    assert header.split() == ["ID", "NAME", "STATUS"] and len(rows) == 4
    assert all(len(line) <= 50 for line in rows)


def test_on_an_80_column_terminal_every_job_is_one_row_and_a_pipe_keeps_whole_ids(sim, aomlog):
    pty = PtyCapture(columns=80, rows=30)
    proc = spawn(["jobs", *conn_args(sim)], stdout=pty.slave, stderr=subprocess.PIPE, env_extra={"COLUMNS": "80"})
    assert proc.wait(timeout=60) == 0
    lines = re.sub(r"\x1b\[[0-9;]*m", "", pty.output().decode()).splitlines()
    assert len(lines) == 2 + 4 and all(len(line) <= 80 for line in lines)
    piped = aomlog("jobs", *conn_args(sim)).out.decode().splitlines()
    assert [line.split("\t")[0] for line in piped] == [*TWINS, LONELY, "10"]


def test_a_start_of_an_id_picks_its_job(sim, aomlog):
    r = aomlog("tail", "3faf5c03-AAB", "-n", 3, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(TWINS[1], None, "worker-0")[-3:])
    assert aomlog("files", "9A1B2C3D", *conn_args(sim)).out == b"worker-0\n"  # any case


def test_a_start_that_several_ids_have_lists_them(sim, aomlog):
    r = aomlog("tail", "3faf5c03", *conn_args(sim))
    assert r.status == 2 and r.out == b""
    assert r.err.startswith(f"Error: 2 jobs' ids start with '3faf5c03': {TWINS[0]} '{LONG_NAME}' (created ")
    assert TWINS[1] in r.err and "Hint: Pass more of the id" in r.err


def test_a_start_no_id_has_is_looked_up_as_a_name(simulator, aomlog):
    sim = simulator([Job(LONELY, None, total_lines=5, seed=3, name="gpt-small"),
                     Job(TWINS[0], None, total_lines=5, seed=1, name="beef")])
    assert aomlog("files", "beef", *conn_args(sim)).out == b"worker-0\n"  # hex, but no id starts so
    assert aomlog("tail", "abcdef12", *conn_args(sim)).status == 4


def test_a_whole_id_takes_no_job_list(sim, aomlog):
    assert aomlog("tail", LONELY, "-n", 1, *conn_args(sim)).status == 0
    assert not [req for req in sim.request_log if "searches" in req.path or req.path.endswith("/jobs")]
