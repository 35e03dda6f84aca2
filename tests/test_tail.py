"""aomlog tail over real HTTP against the simulator: exact bytes, every start mode."""

import pytest

from aomlog.simulator import Job

from conftest import conn_args, expected_bytes

MODES = ["exclusive", "inclusive"]


@pytest.fixture(params=MODES)
def sim(request, simulator):
    return simulator([Job(10, 10, files=["log1.log"], total_lines=5000, seed=7)],
                     base_line_mode=request.param)


def truth(sim):
    return sim.log_lines(10, 10, "log1.log")


@pytest.mark.parametrize("n", [0, 1, 50, 500, 501, 1234, 5000])
def test_newest_n_lines_byte_for_byte(sim, aomlog, n):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", n, *conn_args(sim))
    assert r.status == 0, r
    lines = truth(sim)
    assert r.out == expected_bytes(lines[len(lines) - n:] if n else [])
    assert r.err == ""


def test_default_is_the_newest_50(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert r.out == expected_bytes(truth(sim)[-50:])


def test_more_lines_than_the_log_has(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", 99999, *conn_args(sim))
    assert r.status == 0
    assert r.out == expected_bytes(truth(sim))


@pytest.mark.parametrize("args", [["-n", "+1"], ["-n", "+0"], ["--from-start"]])
def test_whole_log_from_the_start(sim, aomlog, args):
    r = aomlog("tail", 10, 10, "--file", "log1.log", *args, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(truth(sim))


@pytest.mark.parametrize("start", [2, 500, 501, 4999, 5000, 6000])
def test_from_line_n(sim, aomlog, start):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", f"+{start}", *conn_args(sim))
    assert r.out == expected_bytes(truth(sim)[start - 1:])


@pytest.mark.parametrize("mode", MODES)
def test_from_start_when_server_refuses_position_zero(simulator, aomlog, mode):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=1234, seed=3)],
                    base_line_mode=mode, strict_positions=True)
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--from-start", *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(truth(sim))


def test_after_a_position_printed_earlier(sim, aomlog):
    lines = truth(sim)
    # The end_line of a page of the first 700 lines, as a user would have it.
    import requests

    body = requests.get(f"{sim.url}/v1/p/training-jobs/10/versions/10/aom-log",
                        params={"log_file": "log1.log", "base_line": "0", "lines": 500}).json()
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--base-line", body["end_line"], *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(lines[500:])


def test_content_with_trailing_newline_is_not_doubled(simulator, aomlog):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=1200, seed=5)], trailing_newline=True)
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", "+1", *conn_args(sim))
    assert r.out == expected_bytes(truth(sim))
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", "700", *conn_args(sim))
    assert r.out == expected_bytes(truth(sim)[-700:])


def test_single_file_is_found_without_file_option(sim, aomlog):
    r = aomlog("tail", 10, 10, "-n", 3, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(truth(sim)[-3:])


def test_several_files_need_file_option(simulator, aomlog):
    sim = simulator([Job(7, 2, files=["job-a.0", "job-a.1"], total_lines=10, seed=1)])
    r = aomlog("tail", 7, 2, *conn_args(sim))
    assert r.status == 2
    assert r.out == b""
    assert "Error: job 7 version 2 has 2 log files: job-a.0, job-a.1" in r.err
    assert "Hint: Pass --file NAME" in r.err


def test_files_lists_names(simulator, aomlog):
    sim = simulator([Job(7, 2, files=["job-a.0", "job-a.1"], total_lines=10, seed=1)])
    r = aomlog("files", 7, 2, *conn_args(sim))
    assert (r.status, r.out) == (0, b"job-a.0\njob-a.1\n")


def test_token_from_environment_is_sent(simulator, aomlog, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=5, seed=1)])
    monkeypatch.setenv("AOMLOG_TOKEN", "tok-secret-123")
    monkeypatch.setenv("AOMLOG_ENDPOINT", sim.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "p1")
    r = aomlog("tail", 10, 10, "--file", "log1.log")
    assert r.status == 0, r
    assert sim.request_log[-1].headers.get("X-Auth-Token") == "tok-secret-123"


def cursor_json(position, job="10", version="10"):
    import json

    return json.dumps({"format": 1, "job_id": job, "version_id": version, "positions": {"log1.log": position}})


def test_cursor_file_position_wins_over_an_explicit_start_and_says_so(sim, aomlog, tmp_path):
    import requests

    body = requests.get(f"{sim.url}/v1/p/training-jobs/10/versions/10/aom-log",
                        params={"log_file": "log1.log", "base_line": "0", "lines": 500}).json()
    cursor = tmp_path / "c.json"
    cursor.write_text(cursor_json(body["end_line"]))
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--from-start", "--cursor-file", cursor, *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(truth(sim)[500:])
    assert f"going on from the position in {cursor}" in r.err


def test_empty_cursor_file_means_no_position_yet(sim, aomlog, tmp_path):
    cursor = tmp_path / "c.json"
    cursor.write_text("")
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", 5, "--cursor-file", cursor, *conn_args(sim))
    assert r.out == expected_bytes(truth(sim)[-5:])
    assert '"log1.log"' in cursor.read_text()


@pytest.mark.parametrize("content", [cursor_json("abc"), "{not json", cursor_json("5", job="99")])
def test_bad_cursor_file_is_refused_and_kept(sim, aomlog, tmp_path, content):
    cursor = tmp_path / "c.json"
    cursor.write_text(content)
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--cursor-file", cursor, *conn_args(sim))
    assert r.status == 2 and r.out == b""
    assert r.err.startswith("Error: cursor file") and "Hint: Delete" in r.err
    assert cursor.read_text() == content


def test_empty_cursor_file_path_is_a_usage_error(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--cursor-file", "", *conn_args(sim))
    assert r.status == 2 and "--cursor-file needs a path" in r.err


def test_newest_lines_past_the_memory_limit_go_through_a_file_exactly(simulator, aomlog, monkeypatch):
    monkeypatch.setattr("aomlog.engine.pagestack.IN_MEMORY", 3)
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=4321, seed=8)])
    r = aomlog("tail", 10, 10, "-n", 4000, *conn_args(sim))
    assert r.status == 0
    assert r.out == expected_bytes(truth(sim)[-4000:])


def test_a_page_stack_gives_pages_back_oldest_first_whatever_their_text():
    from aomlog.api import Page
    from aomlog.engine.pagestack import PageStack

    stack = PageStack(in_memory=2)
    pages = [Page(f"page {i} \ud800 ✅\n", 1, str(i), str(i + 1)) for i in range(7)]
    for page in reversed(pages):  # read newest first
        stack.push(page)
    assert len(stack) == 7
    assert list(stack) == pages
    assert len(stack) == 0
