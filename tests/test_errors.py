"""Every failure ends in one Error: line, a Hint:, the documented status, no traceback."""

import socket

import pytest

from aomlog.cli.env import Environment
from aomlog.simulator import Job

from conftest import closed_port, conn_args, expected_bytes


@pytest.fixture
def sleeps(retry_waits):
    """Retries back off through the environment's sleep: the delays, recorded instead of waited."""
    return retry_waits


@pytest.fixture
def sim(simulator):
    return simulator([Job(10, 10, files=["log1.log"], total_lines=100, seed=2)])


def assert_clean_error(r, status, *fragments):
    assert r.status == status, r
    assert r.out == b""
    assert "Traceback" not in r.err
    lines = r.err.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("Error: ")]
    assert len(errors) == 1, r.err
    assert lines[errors[0] + 1].startswith("Hint: "), r.err
    assert all(line.startswith("aomlog: ") for line in lines[:errors[0]]), r.err  # notices only
    for fragment in fragments:
        assert fragment in r.err


def test_unknown_job(sim, aomlog):
    r = aomlog("tail", 99, 10, "--file", "log1.log", *conn_args(sim))
    assert_clean_error(r, 4, "ModelArts.2775")


def test_unknown_version(sim, aomlog):
    r = aomlog("tail", 10, 99, "--file", "log1.log", *conn_args(sim))
    assert_clean_error(r, 4, "ModelArts.2775")


def test_unknown_file(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "nope.log", *conn_args(sim))
    assert_clean_error(r, 4, "nope.log")


def test_unknown_job_in_files(sim, aomlog):
    assert_clean_error(aomlog("files", 99, 1, *conn_args(sim)), 4)


@pytest.mark.parametrize("bad", ["abc", "-5", "+x", "1.5", ""])
def test_bad_line_count_is_a_usage_error(sim, aomlog, bad):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", bad, *conn_args(sim))
    assert_clean_error(r, 2, "-n")


def test_conflicting_start_options(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", "5", "--from-start", *conn_args(sim))
    assert_clean_error(r, 2, "cannot be used together")


def test_bad_base_line(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--base-line", "yesterday", *conn_args(sim))
    assert_clean_error(r, 2, "--base-line")


def test_missing_project_id(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--endpoint", sim.url)
    assert_clean_error(r, 3, "project id", "HUAWEICLOUD_SDK_PROJECT_ID")


def test_missing_region_and_endpoint(aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--project-id", "p")
    assert_clean_error(r, 3, "region", "AOMLOG_REGION")


def test_region_builds_the_documented_endpoint(aomlog, sleeps, monkeypatch):
    seen = []

    def refuse(self, method, url, **kwargs):
        seen.append(url)
        import requests
        raise requests.exceptions.ConnectionError("Name or service not known")

    monkeypatch.setattr("requests.Session.request", refuse)
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--project-id", "p", "--region", "cn-north-4")
    assert_clean_error(r, 1, "modelarts.cn-north-4.myhuaweicloud.com")
    assert seen[0].startswith("https://modelarts.cn-north-4.myhuaweicloud.com/v1/p/training-jobs/10/versions/10/")


def test_refused_connection_is_retried_then_reported(aomlog, sleeps):
    url = f"http://127.0.0.1:{closed_port()}"
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--endpoint", url, "--project-id", "p")
    assert_clean_error(r, 1, "cannot connect", "connection refused")
    assert len(sleeps) == 4  # bounded retries ...
    assert all(a < b for a, b in zip(sleeps, sleeps[1:]))  # ... each waiting longer than the last


def test_timeout(aomlog, sleeps):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        r = aomlog("tail", 10, 10, "--file", "log1.log", "--endpoint", url, "--project-id", "p",
                   "--timeout", "0.05")
    finally:
        silent.close()
    assert_clean_error(r, 1, "timed out")


@pytest.mark.parametrize("fault", ["500", "503", "drop", "cut", "204", "html"])
def test_transient_faults_are_retried(sim, aomlog, sleeps, fault):
    sim.faults.push(fault, fault)
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(10, 10, "log1.log")[-50:])
    assert len(sleeps) == 2
    assert r.err.count("retrying") == 1  # one notice, not one per retry
    said = r.err.splitlines()
    assert said[-1] == "aomlog: the API answers again" and "retrying" in said[-2]  # and that it is over


def test_throttle_honours_retry_after(sim, aomlog, sleeps):
    sim.faults.retry_after = 3
    sim.faults.push("429")
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert r.status == 0, r
    assert sleeps and sleeps[0] >= 3


def test_persistent_server_error_gives_up(sim, aomlog, sleeps):
    sim.faults.push(*["500"] * 10)
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert_clean_error(r, 1, "HTTP 500")
    assert len(sleeps) == 4


def test_non_json_success_body(sim, aomlog, sleeps):
    sim.faults.push(*["nonjson"] * 10)
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert_clean_error(r, 1, "non-JSON")


def test_wrong_path_on_endpoint(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--endpoint", sim.url + "/nothing-here",
               "--project-id", "p")
    assert_clean_error(r, 3, "APIGW.0101")


@pytest.mark.parametrize("var, value", [
    ("AOMLOG_TOKEN", "tok-with-newline-9f8e7d\n\x07inside"),
    ("AOMLOG_TOKEN", "tok-with-quote-9f8e7d’"),
    ("HUAWEICLOUD_SDK_AK", "AKWITHNEWLINE\nX"),
])
def test_unsendable_credential_is_named_never_shown(sim, aomlog, monkeypatch, var, value):
    monkeypatch.setenv(var, value)
    if var.endswith("_AK"):
        monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "sk-secret-value-0123456789")
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert_clean_error(r, 3, f"${var}")
    assert value.split("\n")[0] not in r.err and "sk-secret-value" not in r.err


def test_token_with_crlf_ending_is_trimmed(sim, aomlog, monkeypatch):
    monkeypatch.setenv("AOMLOG_TOKEN", "tok-abc\r")
    r = aomlog("tail", 10, 10, "--file", "log1.log", "-n", 1, *conn_args(sim))
    assert r.status == 0, r
    assert sim.request_log[-1].headers["X-Auth-Token"] == "tok-abc"


def test_answer_cut_short_is_retried(sim, aomlog, sleeps):
    sim.faults.push("nonjson")
    r = aomlog("tail", 10, 10, "--file", "log1.log", *conn_args(sim))
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(10, 10, "log1.log")[-50:])
    assert len(sleeps) == 1


def test_server_text_in_messages_cannot_drive_the_terminal(simulator, aomlog):
    sim = simulator([Job(7, 1, files=["w0\x1b]52;c;ZXZpbA==\x07", "w1\x1b[2J"], total_lines=5, seed=1)])
    r = aomlog("tail", 7, 1, *conn_args(sim))
    assert_clean_error(r, 2, "w0^[]52;c;ZXZpbA==^G, w1^[[2J")
    assert "\x1b" not in r.err and "\x07" not in r.err


@pytest.mark.parametrize("ids", [("", 10), (10, " "), ("10/versions", 10)])
def test_empty_or_path_like_ids_are_usage_errors(sim, aomlog, ids):
    r = aomlog("tail", *ids, "--file", "log1.log", *conn_args(sim))
    assert_clean_error(r, 2, "is not a ")
    assert sim.request_count["aom-log"] == 0


def test_no_arguments_prints_the_help(aomlog):
    r = aomlog()
    assert r.status == 0  # as git and kubectl: on stdout, and no error (it was stderr and 2)
    assert r.out.decode().startswith("Usage: aomlog [OPTIONS] COMMAND [ARGS]...\n")
    assert "Commands:" in r.out.decode() and r.err == ""


@pytest.mark.parametrize("args, fragment", [
    (["--endpoint", "127.0.0.1:8000"], "is not an http(s) URL"),
    (["--endpoint", "notaurl"], "is not an http(s) URL"),
    (["--endpoint", "ftp://example.com"], "is not an http(s) URL"),
    (["--endpoint", "http://127.0.0.1:99999"], "is not an http(s) URL"),
    (["--region", "cn north"], "is not a region name"),
    (["--region", "https://modelarts.cn-north-4.myhuaweicloud.com"], "is not a region name"),
])
def test_malformed_endpoint_or_region_is_a_configuration_error(aomlog, args, fragment):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--project-id", "p", *args)
    assert_clean_error(r, 3, fragment, f"from --{args[0][2:]}")


def test_tls_to_a_plain_http_server(sim, aomlog, sleeps):
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--endpoint", sim.url.replace("http:", "https:"),
               "--project-id", "p")
    assert_clean_error(r, 1, "TLS handshake", "http://")
    assert sleeps == []  # a wrong scheme does not get better by waiting


def test_a_web_server_that_is_not_the_api(aomlog):
    import http.server
    import threading

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html><body>404 Not Found</body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        r = aomlog("tail", 10, 10, "--file", "log1.log", "--project-id", "p",
                   "--endpoint", f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    assert_clean_error(r, 3, "no such API (HTTP 404)", "--endpoint")


@pytest.mark.parametrize("args, fragment", [
    (["--duration", "5"], "--duration needs --rate"),
    (["--file", ""], "--file needs a file name"),
    (["--error-rate", "0.6", "--throttle-rate", "0.6"], "add up to more than 1"),
])
def test_simulate_refuses_settings_it_would_ignore(aomlog, args, fragment):
    r = aomlog("simulate", "--port", "0", *args)
    assert_clean_error(r, 2, fragment)


def test_one_unknown_file_among_several_is_reported_before_any_output(simulator, aomlog):
    sim = simulator([Job(7, 2, files=["job-a.0", "job-a.1"], total_lines=10, seed=1)])
    r = aomlog("tail", 7, 2, "--file", "job-a.0", "--file", "nope", *conn_args(sim))
    assert_clean_error(r, 4, "has no log file nope", "Its log files: job-a.0, job-a.1.")


def test_follow_rides_out_an_outage_from_the_first_request_on(simulator, aomlog, sleeps):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)])
    waits = []
    env = Environment(sleep=waits.append, clock=lambda: sum(waits))
    sim.faults.push(*["503"] * 6)  # more than the 4 retries a plain tail allows, and longer than 5 s
    r = aomlog("tail", 10, 10, "-f", *conn_args(sim), env=env)
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(10, 10))
    assert r.err.count("retrying until the API answers again") == 1
    assert len(waits) == 6 + 1  # six tries ridden out, then the grace for late lines

@pytest.mark.parametrize("files, args", [(["log1.log"], []), (["job-a.0", "job-a.1"], ["--all-files"])])
def test_follow_of_an_ended_job_rides_out_a_blip_of_the_file_names(simulator, aomlog, files, args):
    sim = simulator([Job(10, 10, files=files, total_lines=80, seed=1)])
    waits = []
    env = Environment(sleep=waits.append, clock=lambda: sum(waits))
    sim.faults.push("503", only="file-names")
    r = aomlog("tail", 10, 10, "-f", "-n", 5, *args, *conn_args(sim), env=env)
    assert r.status == 0, r
    newest = [(f"[{f}] " if len(files) > 1 else "") + line for f in files for line in sim.log_lines(10, 10, f)[-5:]]
    assert r.out == expected_bytes(newest)  # the newest 5 lines of each, the files in order


def test_a_blip_of_the_file_names_of_a_running_job_is_no_wait_for_it_to_start(simulator, aomlog, t):
    job = Job(10, 10, files=["log1.log"], seed=1, initial_lines=20000, lines_per_second=5.0, duration_s=2)
    sim = simulator([job], clock=t.clock)
    sim.faults.push("503", only="file-names")
    r = aomlog("tail", 10, 10, "-f", *conn_args(sim), env=Environment(sleep=t.sleep, clock=t.now))
    assert r.status == 0, r
    assert "waiting for it to start" not in r.err
    printed = r.out.count(b"\n")  # the newest 50 lines, then those written while following
    assert 50 <= printed < 100 and r.out == expected_bytes(sim.log_lines(10, 10)[-printed:])


@pytest.mark.parametrize("args", [
    ["--interval", "nan"], ["--interval", "inf"], ["--max-interval", "1e308"], ["--timeout", "nan"],
    ["--timeout", "-inf"], ["--interval", "0"], ["-n", "²"], ["-n", "+٣"], ["--base-line", "²"],
    ["--interval", "١"], ["--max-interval", "0x10"],
])
def test_numbers_are_checked_where_they_are_parsed(sim, aomlog, args):
    r = aomlog("tail", 10, 10, "-f", *args, *conn_args(sim))
    assert_clean_error(r, 2)
    assert len(sim.request_log) == 0  # before any request


@pytest.mark.parametrize("args", [["--limit", "٣"], ["--limit", "0"], ["--limit", "1e3"]])
def test_jobs_limit_is_a_plain_whole_number(sim, aomlog, args):
    assert_clean_error(aomlog("jobs", *args, *conn_args(sim)), 2)


@pytest.mark.parametrize("args", [["--rate", "inf"], ["--latency", "nan"], ["--port", "٨٠"], ["--duration", "1e400"]])
def test_simulator_numbers_are_checked_too(aomlog, args):
    assert_clean_error(aomlog("simulate", *args), 2)


def test_one_unknown_file_is_not_found_and_the_files_are_listed(sim, aomlog):
    r = aomlog("tail", 10, 10, "--file", "nope", *conn_args(sim))
    assert_clean_error(r, 4, "job 10 version 10 has no log file nope", "Hint: Its log files: log1.log.")


def test_the_apis_own_404_is_not_found_naming_what_was_asked_for(simulator, aomlog):
    uuid = "3faf5c03-aaa1-4cbe-879d-24b05d997347"
    sim = simulator([Job(uuid, None, total_lines=5)])
    r = aomlog("tail", "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", *conn_args(sim))
    assert_clean_error(r, 4, "job 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d: training job not found (ModelArts.2775)")
    # A code aomlog does not know, in the API's own 404 body: still "not found", with its words.
    from aomlog.transport.client import Client
    from aomlog.errors import NotFoundError

    with pytest.raises(NotFoundError, match=r"^task worker-9: not found \(ModelArts.2791\): Task worker-9 not found"):
        Client(sim.url, "p").get(f"/v2/p/training-jobs/{uuid}/logs/worker-9", {"lines": "1"}, what="task worker-9")
