"""The simulator, tested over real HTTP with the stdlib only (never requests or
aomlog.transport.client: the simulator is the independent reading the client is tested against)."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from aomlog.simulator import COMPLETED, FAILED, RUNNING, Faults, Job, ManualClock, Simulator, demo_job

PREFIX = "/v1/0123456789abcdef/training-jobs"
TWO_53 = 2**53


def get(sim, path, **query):
    """(status, headers, raw body bytes) for a GET; HTTP errors are answers, not exceptions."""
    url = sim.url + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def log_page(sim, job=10, version=10, **query):
    query.setdefault("log_file", "log1.log")
    status, headers, body = get(sim, "%s/%s/versions/%s/aom-log" % (PREFIX, job, version), **query)
    return status, json.loads(body) if body else None


def ok_page(sim, **query):
    status, page = log_page(sim, **query)
    assert status == 200, page
    return page


def lines_of(page):
    return page["content"].split("\n") if page["lines"] != "0" else []


@pytest.fixture
def sim():
    with Simulator([Job(10, 10, total_lines=1234, seed=1),
                    Job(20, 1, files=["job-20.0", "job-20.1"], total_lines=300, seed=2)]) as s:
        yield s


def test_start_returns_url_and_port():
    s = Simulator([Job(10, 10, total_lines=5)])
    url = s.start(port=0)
    try:
        assert url == s.url == "http://127.0.0.1:%d" % s.port
        assert get(s, PREFIX + "/10/versions/10")[0] == 200
    finally:
        s.stop()


# -- parameters and errors ---------------------------------------------------

@pytest.mark.parametrize("lines", ["501", "-1", "abc", "1.5", "1e3"])
def test_bad_lines_is_0104(sim, lines):
    status, page = log_page(sim, lines=lines)
    assert status == 400
    assert page["is_success"] is False and page["error_code"] == "ModelArts.0104"
    assert page["error_message"]


def test_lines_bounds_and_default(sim):
    assert len(lines_of(ok_page(sim))) == 50
    assert len(lines_of(ok_page(sim, lines=500))) == 500
    empty = ok_page(sim, lines=0)
    assert empty["lines"] == "0" and empty["content"] == ""


@pytest.mark.parametrize("query, code", [
    ({"order": "up"}, "ModelArts.0104"),
    ({"base_line": "12ab"}, "ModelArts.0104"),
    ({"base_line": "-5"}, "ModelArts.0104"),
    ({"log_file": ""}, "ModelArts.0101"),
    ({"log_file": "nope.log"}, "ModelArts.2818"),
])
def test_bad_arguments(sim, query, code):
    status, page = log_page(sim, **query)
    assert (status, page["error_code"]) == (400, code)


def test_missing_log_file_is_0101(sim):
    status, _, body = get(sim, PREFIX + "/10/versions/10/aom-log", lines=5)
    assert status == 400 and json.loads(body)["error_code"] == "ModelArts.0101"


@pytest.mark.parametrize("tail", ["/aom-log?log_file=log1.log", "/log/file-names", ""])
def test_unknown_job_and_version_are_2775(sim, tail):
    status, _, body = get(sim, PREFIX + "/99/versions/10" + tail)
    assert status == 400 and json.loads(body)["error_code"] == "ModelArts.2775"
    status, _, body = get(sim, PREFIX + "/10/versions/77" + tail)
    err = json.loads(body)
    assert status == 400 and err["error_code"] == "ModelArts.2775" and "77" in err["error_message"]


def test_unknown_path_is_gateway_404_with_request_id(sim):
    status, headers, body = get(sim, "/v1/p/nothing-here")
    err = json.loads(body)
    assert status == 404 and err["error_code"] == "APIGW.0101" and err["request_id"]
    assert headers["X-Request-Id"]


def test_project_id_checked_only_when_configured():
    with Simulator([Job(10, 10, total_lines=5)], project_id="abc") as s:
        assert get(s, "/v1/abc/training-jobs/10/versions/10")[0] == 200
        status, _, body = get(s, "/v1/xyz/training-jobs/10/versions/10")
        assert status == 403 and json.loads(body)["error_code"] == "ModelArts.0210"


def test_file_names_and_detail(sim):
    status, _, body = get(sim, PREFIX + "/20/versions/1/log/file-names")
    assert status == 200 and json.loads(body) == {"is_success": True, "log_file_list": ["job-20.0", "job-20.1"]}
    status, _, body = get(sim, PREFIX + "/10/versions/10")
    d = json.loads(body)
    assert d["is_success"] and (d["job_id"], d["version_id"], d["status"]) == (10, 10, COMPLETED)
    assert d["duration"] > 0 and d["create_time"] > 1.7e12


# -- pages and positions -----------------------------------------------------

def test_newest_lines_without_base_line(sim):
    truth = sim.log_lines(10, 10)
    pos = sim.positions(10, 10)
    for order in ("desc", "asc"):
        page = ok_page(sim, lines=7, order=order, base_line="")
        assert lines_of(page) == truth[-7:]
        assert page["start_line"] == pos[-7] and page["end_line"] == str(pos[-1])


def test_raw_field_types_copy_the_published_example(sim):
    _, _, body = get(sim, PREFIX + "/10/versions/10/aom-log", log_file="log1.log", lines=3)
    text = body.decode("utf-8")
    assert re.search(r'"start_line": \d{19}[,}]', text)  # a bare number above 2^53
    assert re.search(r'"end_line": "\d{19}"', text)
    assert '"lines": "3"' in text
    page = json.loads(text)
    assert page["start_line"] > TWO_53 and int(page["end_line"]) > TWO_53


def test_positions_increase_with_gaps(sim):
    pos = sim.positions(10, 10)
    assert len(pos) == 1234 and pos[0] > TWO_53
    assert all(b - a > 1 for a, b in zip(pos, pos[1:]))
    assert {p // 10**6 for p in pos[:50]} != {pos[0] // 10**6}  # epoch ms, not one counter


def read_onward(sim, n, start="0"):
    out, base = [], start
    for _ in range(10000):
        page = ok_page(sim, lines=n, order="desc", base_line=base)
        if page["lines"] == "0":
            assert page["end_line"] == base  # the cursor is echoed, not reset
            return out
        out += lines_of(page)
        base = page["end_line"]
    raise AssertionError("never caught up")


def read_back(sim, n):
    page = ok_page(sim, lines=n)
    out = lines_of(page)
    for _ in range(10000):
        page = ok_page(sim, lines=n, order="asc", base_line=str(page["start_line"]))
        if page["lines"] == "0":
            return out
        out = lines_of(page) + out
    raise AssertionError("never reached the start")


@pytest.mark.parametrize("mode", ["exclusive", "inclusive"])
@pytest.mark.parametrize("n", [500, 97, 1])
def test_paging_reads_every_line_exactly_once(mode, n):
    job = Job(10, 10, total_lines=1234 if n > 1 else 150, seed=5)
    with Simulator([job], base_line_mode=mode) as s:
        truth = s.log_lines(10, 10)
        assert read_onward(s, n) == truth
        assert read_back(s, n) == truth


def test_exclusive_and_inclusive_end_lines():
    job = Job(10, 10, total_lines=20, seed=5)
    with Simulator([job]) as ex, Simulator([job], base_line_mode="inclusive") as inc:
        pos = ex.positions(10, 10)
        assert ok_page(ex, lines=5, base_line=pos[2])["start_line"] == pos[3]
        assert ok_page(ex, lines=5, base_line=pos[2])["end_line"] == str(pos[7])
        assert ok_page(inc, lines=5, base_line=pos[2])["start_line"] == pos[2]
        assert ok_page(inc, lines=5, base_line=pos[2])["end_line"] == str(pos[7])
        assert ok_page(inc, lines=5)["end_line"] == str(pos[-1] + 1)  # no next line yet
        assert ok_page(inc, base_line=str(pos[-1] + 1))["lines"] == "0"


def test_empty_pages_echo_the_cursor(sim):
    last = sim.positions(10, 10)[-1]
    page = ok_page(sim, base_line=str(last))
    assert page == {"is_success": True, "start_line": last, "content": "", "end_line": str(last), "lines": "0"}
    first = sim.positions(10, 10)[0]
    page = ok_page(sim, base_line=str(first), order="asc")
    assert (page["lines"], page["start_line"], page["end_line"]) == ("0", first, str(first))
    page = ok_page(sim, lines=0)
    assert (page["start_line"], page["end_line"]) == ("", "")


def test_base_line_with_surrounding_blank_is_accepted(sim):
    first = sim.positions(10, 10)[0]
    page = ok_page(sim, lines=1, base_line=" %d" % first)
    assert lines_of(page) == sim.log_lines(10, 10)[1:2]


def test_trailing_newline_option():
    with Simulator([Job(10, 10, total_lines=10)], trailing_newline=True) as s:
        page = ok_page(s, lines=3)
        assert page["content"] == "\n".join(s.log_lines(10, 10)[-3:]) + "\n"


def test_strict_positions_refuse_unissued_base_lines():
    with Simulator([Job(10, 10, total_lines=300, seed=3)], strict_positions=True) as s:
        status, page = log_page(s, base_line="0")
        assert (status, page["error_code"]) == (400, "ModelArts.0104")
        pos = s.positions(10, 10)
        assert log_page(s, base_line=str(pos[0] + 1))[0] == 400
        assert read_back(s, 50) == s.log_lines(10, 10)  # the fallback still works
        assert ok_page(s, base_line=str(pos[5]), lines=2)["start_line"] == pos[6]
    with Simulator([Job(10, 10, total_lines=30, seed=3)], strict_positions=True,
                   base_line_mode="inclusive") as s:
        end = ok_page(s)["end_line"]
        assert ok_page(s, base_line=end)["lines"] == "0"  # its own exclusive end is accepted
        assert log_page(s, base_line=str(int(end) + 1))[0] == 400


# -- content -------------------------------------------------------------------

def test_content_is_realistic_and_hostile():
    s = Simulator([Job(1, 1, total_lines=3000, seed=7)])
    lines = s.log_lines(1, 1)
    text = "\n".join(lines)
    for needle in ("\r", "\t", "\x1b[", "Traceback (most recent call last):", '  File "', "Error: ",
                   "训练开始", "🚀", "[bold]", ":smile:", "NCCL INFO", "WARNING", "loss=", "lr=", "\u2028"):
        assert needle in text, needle
    assert not any("\n" in line for line in lines)
    assert any(line.endswith("\r") for line in lines) and "" in lines
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO ", lines[0])


def test_same_seed_same_log_other_seed_or_worker_differs():
    a = Simulator([Job(1, 1, files=["w.0", "w.1"], total_lines=500, seed=4)])
    b = Simulator([Job(1, 1, files=["w.0", "w.1"], total_lines=500, seed=4)])
    c = Simulator([Job(1, 1, files=["w.0", "w.1"], total_lines=500, seed=5)])
    assert a.log_lines(1, 1, "w.0") == b.log_lines(1, 1, "w.0")
    assert a.positions(1, 1, "w.1") == b.positions(1, 1, "w.1")
    assert a.log_lines(1, 1, "w.0") != c.log_lines(1, 1, "w.0")
    assert a.log_lines(1, 1, "w.0") != a.log_lines(1, 1, "w.1")
    assert a.log_text(1, 1) == "\n".join(a.log_lines(1, 1)) + "\n"


def test_a_million_lines_cost_no_memory_and_pages_are_fast():
    with Simulator([Job(1, 1, total_lines=1_000_000, seed=9)]) as s:
        job = s.job(1, 1)
        f = job.file("log1.log")
        mid = f.position(500_000)
        t = time.perf_counter()
        page = ok_page(s, job=1, version=1, lines=500, base_line=str(mid))
        assert time.perf_counter() - t < 0.5
        assert lines_of(page) == f.lines(500_001, 500_501)
        assert ok_page(s, job=1, version=1, lines=1)["content"] == f.line(999_999)


# -- growing jobs and the clock --------------------------------------------------

def test_growing_job_follows_the_clock():
    clock = ManualClock()
    job = Job(5, 1, initial_lines=10, lines_per_second=10, duration_s=5, end_status=FAILED, seed=1)
    with Simulator([job], clock=clock) as s:
        def status():
            return json.loads(get(s, PREFIX + "/5/versions/1")[2])["status"]
        assert s.visible_lines(5, 1) == 11  # line i appears at start + (i - 10) / rate
        assert status() == RUNNING
        seen, base = [], "0"
        while True:
            page = ok_page(s, job=5, version=1, lines=4, base_line=base)
            if page["lines"] != "0":
                seen += lines_of(page)
                base = page["end_line"]
                continue
            if status() != RUNNING:
                break
            clock.advance(0.35)
        assert status() == FAILED
        assert seen == s.log_lines(5, 1) and len(seen) == 60
        assert "Training failed" in seen[-1]
        clock.advance(100)
        assert s.visible_lines(5, 1) == 60  # the log stopped growing
        pos = s.positions(5, 1)
        assert all(b - a > 1 for a, b in zip(pos, pos[1:]))
        assert pos[10] // 10**6 == int(round(job.start_time * 1000))  # stamped when it appeared


def test_demo_job_is_a_readable_30_seconds():
    clock = ManualClock()
    s = Simulator([demo_job()], clock=clock)
    job = s.job(1024, 1)
    assert job.files == ["log1.log"] and job.status(clock.now()) == RUNNING
    clock.advance(30)
    assert job.status(clock.now()) == COMPLETED
    assert 20 * 30 <= job.total_lines - 30 <= 40 * 30


# -- faults ----------------------------------------------------------------------

def test_scripted_faults_in_order(sim):
    sim.faults.push("500", "503", "429", "204", "html", "nonjson")
    expected = [(500, "APIGW.0601"), (503, "APIGW.0613"), (429, "APIGW.0308")]
    for status, code in expected:
        got, headers, body = get(sim, PREFIX + "/10/versions/10")
        assert (got, json.loads(body)["error_code"]) == (status, code)
        assert headers["X-Request-Id"]
        if status == 429:
            assert headers["Retry-After"] == "1"
    status, headers, body = get(sim, PREFIX + "/10/versions/10")
    assert (status, body) == (204, b"")
    status, headers, body = get(sim, PREFIX + "/10/versions/10")
    assert status == 502 and headers["Content-Type"].startswith("text/html") and b"<html>" in body
    status, headers, body = get(sim, PREFIX + "/10/versions/10")
    assert status == 200
    with pytest.raises(ValueError):
        json.loads(body)
    assert get(sim, PREFIX + "/10/versions/10")[0] == 200
    assert [k for k, _ in sim.faults.applied] == ["500", "503", "429", "204", "html", "nonjson"]


def test_drop_closes_the_connection_without_an_answer(sim):
    sim.faults.push("drop")
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    conn.request("GET", PREFIX + "/10/versions/10")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        conn.getresponse()
    conn.close()
    assert get(sim, PREFIX + "/10/versions/10")[0] == 200


def test_scripted_faults_can_target_only_aom_log(sim):
    sim.faults.push("500", only="aom-log")
    assert get(sim, PREFIX + "/10/versions/10")[0] == 200
    assert log_page(sim)[0] == 500
    assert log_page(sim)[0] == 200


def test_fault_rates_are_reproducible_and_retry_after_configurable():
    def run(seed):
        f = Faults(seed=seed, rates={"500": 0.2, "429": 0.1, "drop": 0.05}, retry_after=3)
        return [f.pick("aom-log") for _ in range(200)]
    a = run(1)
    assert a == run(1) and a != run(2)
    assert 20 < a.count("500") < 60 and a.count(None) > 100
    f = Faults(retry_after=2.5)
    assert f.response("429", "r").headers["Retry-After"] == "2.5"
    with pytest.raises(ValueError):
        f.push("bogus")


def test_fault_rates_over_http_with_scope():
    faults = Faults(seed=3, rates={"503": 0.5}, rate_scope="aom-log")
    with Simulator([Job(10, 10, total_lines=10)], faults=faults) as s:
        assert all(get(s, PREFIX + "/10/versions/10")[0] == 200 for _ in range(10))
        statuses = [log_page(s)[0] for _ in range(40)]
        assert set(statuses) == {200, 503}
        s.faults.clear()
        assert all(log_page(s)[0] == 200 for _ in range(5))


# -- HTTP plumbing -------------------------------------------------------------

def test_keep_alive_serves_two_requests_on_one_connection(sim):
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    conn.request("GET", PREFIX + "/10/versions/10/aom-log?log_file=log1.log&lines=2")
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200 and int(r.getheader("Content-Length")) == len(body)
    sock = conn.sock
    conn.request("GET", PREFIX + "/10/versions/10/log/file-names")
    r = conn.getresponse()
    assert r.status == 200 and json.loads(r.read())["log_file_list"] == ["log1.log"]
    assert conn.sock is sock  # no reconnect happened
    conn.close()


def test_request_counts_and_log(sim):
    sim.reset_requests()
    ok_page(sim, lines=1)
    get(sim, PREFIX + "/10/versions/10")
    get(sim, PREFIX + "/10/versions/10/log/file-names")
    get(sim, "/x")
    assert sim.request_count == {"aom-log": 1, "detail": 1, "file-names": 1, "other": 1}
    path, query = sim.request_log[0][:2]
    assert path.endswith("/aom-log") and query == {"log_file": "log1.log", "lines": "1"}
