"""Output for pipes and scripts: exact bytes, several files, filters, JSON lines."""

import io
import json
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aomlog.api import JobRef, Page
from aomlog.transport.client import Client
from aomlog.output.render import JsonRenderer
from aomlog.simulator import Job

from engine import run_tail
from conftest import ROOT, conn_args, expected_bytes

FILES = ["job-a.0", "job-a.1"]


@pytest.fixture
def sim(simulator):
    return simulator([Job(10, 10, files=FILES, total_lines=1200, seed=4)])


def lines_of(sim, name):
    return sim.log_lines(10, 10, name)


def prefixed(name, lines):
    return expected_bytes(f"[{name}] {line}" for line in lines)


def test_all_files_prefix_every_line_with_its_file_in_a_pipe(sim, aomlog):
    r = aomlog("tail", 10, 10, "--all-files", "-n", 700, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == b"".join(prefixed(name, lines_of(sim, name)[-700:]) for name in FILES)


def test_whole_logs_of_several_files_interleave_whole_pages_in_order(sim, aomlog):
    r = aomlog("tail", 10, 10, "--all-files", "-n", "+1", *conn_args(sim))
    assert r.status == 0, r
    lines = r.out.decode().split("\n")[:-1]
    for name in FILES:
        prefix = f"[{name}] "
        assert [line[len(prefix):] for line in lines if line.startswith(prefix)] == lines_of(sim, name)
    assert len(lines) == 2 * 1200


def test_repeated_file_option_reads_those_files_once_each(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "job-a.1", "--file", "job-a.0", "--file", "job-a.1", "-n", 3,
               *conn_args(sim))
    assert r.out == prefixed("job-a.1", lines_of(sim, "job-a.1")[-3:]) + prefixed("job-a.0", lines_of(sim, "job-a.0")[-3:])


def test_one_file_has_no_prefix(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "job-a.1", "-n", 5, *conn_args(sim))
    assert r.out == expected_bytes(lines_of(sim, "job-a.1")[-5:])


@pytest.mark.parametrize("args, message", [
    ([], "has 2 log files: job-a.0, job-a.1"),
    (["--file", "job-a.0", "--all-files"], "--file and --all-files cannot be used together"),
    (["--all-files", "--base-line", "1551252759254000002"], "--base-line takes a position in one log, and several are chosen"),
])
def test_choosing_files_wrongly_is_a_usage_error(sim, aomlog, args, message):
    r = aomlog("tail", 10, 10, *args, *conn_args(sim))
    assert r.status == 2
    assert r.out == b""
    error, hint = r.err.splitlines()
    assert error.startswith("Error: ") and message in error
    assert hint.startswith("Hint: ")
    if not args:
        assert "--all-files" in hint


def test_grep_and_exclude_keep_the_exact_bytes_of_the_lines_they_keep(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "job-a.0", "-n", "+1", "--grep", "WARN|ERROR", "--exclude", "UserWarning",
               *conn_args(sim))
    kept = [line for line in lines_of(sim, "job-a.0") if ("WARN" in line or "ERROR" in line)
            and "UserWarning" not in line]
    assert kept and r.out == expected_bytes(kept)


def test_highlight_adds_nothing_in_a_pipe(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "job-a.0", "-n", 600, "--highlight", "loss", *conn_args(sim))
    assert r.out == expected_bytes(lines_of(sim, "job-a.0")[-600:])


@pytest.mark.parametrize("option", ["--grep", "--exclude", "--highlight"])
def test_a_bad_pattern_is_a_usage_error_before_any_request(aomlog, option):
    r = aomlog("tail", 10, 10, "--file", "x", option, "loss[0", "--endpoint", "http://127.0.0.1:9", "--project-id", "p")
    assert r.status == 2
    assert r.err == (f"Error: {option} 'loss[0' is not a valid regular expression: unterminated character set "
                     f"at position 4\nHint: Patterns are Python regular expressions; escape special characters "
                     f"with a backslash (e.g. 'loss\\[0\\]') and quote the pattern for the shell.\n")


def test_json_lines_carry_the_text_and_where_to_resume(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "job-a.0", "-n", 700, "-o", "json", *conn_args(sim))
    assert r.status == 0, r
    records = [json.loads(line) for line in r.out.decode("utf-8").splitlines()]
    truth = lines_of(sim, "job-a.0")
    assert [rec["text"] for rec in records] == truth[-700:]
    assert {(rec["job"], rec["version"], rec["file"]) for rec in records} == {("10", "10", "job-a.0")}
    # Resuming from the end_line of any line's record prints what follows its page.
    first_page_end = records[0]["end_line"]
    resumed = aomlog("tail", 10, 10, "--file", "job-a.0", "--base-line", first_page_end, "-o", "json",
                     *conn_args(sim))
    after = [json.loads(line)["text"] for line in resumed.out.decode("utf-8").splitlines()]
    page_len = sum(1 for rec in records if rec["end_line"] == first_page_end)
    assert after == truth[-700 + page_len:]


def test_json_with_several_files_names_each_line_file_and_filters_apply(sim, aomlog):
    r = aomlog("tail", 10, 10, "--all-files", "-n", 100, "--output", "json", "--grep", "WARN", *conn_args(sim))
    records = [json.loads(line) for line in r.out.decode("utf-8").splitlines()]
    assert [(rec["file"], rec["text"]) for rec in records] == [
        (name, line) for name in FILES for line in lines_of(sim, name)[-100:] if "WARN" in line]


line_text = st.text(st.characters(exclude_characters="\n", codec=None, categories=None), max_size=200)


@settings(max_examples=300, deadline=None)
@example(lines=["lone \ud800 surrogate", "\x1b[2J\x00 \u2028 \"quoted\" \\"], name="f\udcff")
@given(lines=st.lists(line_text, min_size=1, max_size=20), name=line_text)
def test_json_output_is_valid_and_exact_for_any_text(lines, name):
    out = io.BytesIO()
    JsonRenderer(out, JobRef("v1", "10", "v1"), None).page(name, Page("".join(line + "\n" for line in lines), len(lines), "1", "99"))
    data = out.getvalue()
    data.decode("utf-8")  # valid UTF-8 whatever the text (lone surrogates included)
    records = [json.loads(line) for line in data.split(b"\n")[:-1]]
    assert records == [{"job": "10", "version": "v1", "file": name, "end_line": "99", "text": line}
                       for line in lines]


def test_the_pipe_path_never_loads_rich(sim):
    code = ("import sys; from aomlog.cli import run; "
            f"status = run(['tail', '10', '10', '--file', 'job-a.0', '--endpoint', {sim.url!r}, '--project-id', 'p']); "
            "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('rich')))); sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0
    assert done.stderr == b"[]"
    assert done.stdout == expected_bytes(lines_of(sim, "job-a.0")[-50:])


def _growing_two_files(simulator, t):
    job = Job(10, 10, files=FILES, seed=11, initial_lines=300, lines_per_second=40.0, duration_s=60, burst=25)
    return simulator([job], clock=t.clock)


def _per_file(out: bytes):
    """The lines of each file, from prefixed output; fails on any line without a known prefix."""
    seen = {name: [] for name in FILES}
    for line in out.decode("utf-8").split("\n")[:-1]:
        name, _, text = line.partition("] ")
        seen[name[1:]].append(text)
    return seen


def test_following_several_files_prints_every_line_of_each_once(simulator, t, capsysbinary):
    sim = _growing_two_files(simulator, t)
    client = Client(sim.url, "p1", sleep=t.sleep)
    status = run_tail(client, 10, 10, FILES, ("from", 1), follow=True, clock=t.now, sleep=t.sleep)
    assert status == 0
    seen = _per_file(capsysbinary.readouterr().out)
    for name in FILES:
        assert len(seen[name]) > 2000 and seen[name] == lines_of(sim, name)


def test_cursor_file_resumes_each_of_several_files(simulator, t, capsysbinary, tmp_path):
    sim = _growing_two_files(simulator, t)
    client = Client(sim.url, "p1", sleep=t.sleep)
    cursor = str(tmp_path / "cursor.json")
    run_tail(client, 10, 10, FILES, ("from", 1), cursor_path=cursor)
    t.sleep(20)  # lines keep coming while nobody reads
    run_tail(client, 10, 10, FILES, ("last", 5), cursor_path=cursor)
    seen = _per_file(capsysbinary.readouterr().out)
    assert set(json.loads((tmp_path / "cursor.json").read_text())["positions"]) == set(FILES)
    for name in FILES:
        assert seen[name] == lines_of(sim, name)
