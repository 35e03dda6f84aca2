"""The simulator's job lists (v2 search, v1 list and versions), a region without the
v1 API and IAM's project lookup, tested over real HTTP with the stdlib only.
Requests are signed with aomlog.transport.auth where the simulator demands AK/SK."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from aomlog.simulator import DEFAULT_PROJECT_ID, FAILED, RUNNING, Faults, Job, ManualClock, Simulator

P = "0123456789abcdef"
T = 1795700000000  # a create_time base (ms), before the simulator's default clock
SEARCH = "/v2/%s/training-job-searches" % P
V1_JOBS = "/v1/%s/training-jobs" % P
AK, SK = "AKSIMULATOR000000001", "sk-simulator-secret-0000000000000000000"


def uid(n):
    return "00000000-0000-4000-8000-%012d" % n


def call(sim, method, path, query=None, body=None, headers=None):
    """(status, headers, parsed JSON body) over a fresh connection; HTTP errors are answers."""
    target = path + ("?" + urllib.parse.urlencode(query) if query else "")
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        r = conn.getresponse()
        raw = r.read()
        return r.status, r.headers, json.loads(raw) if raw else None
    finally:
        conn.close()


def search(sim, **spec):
    status, _, body = call(sim, "POST", SEARCH, body=json.dumps(spec).encode(),
                           headers={"Content-Type": "application/json"})
    return status, body


def ok_search(sim, **spec):
    status, body = search(sim, **spec)
    assert status == 200, body
    assert body["count"] == len(body["items"])
    return body


def names(body):
    return [item["metadata"]["name"] for item in body["items"]]


def ids(body):
    return [item["metadata"]["id"] for item in body["items"]]


def v1(sim, path="", **query):
    status, _, body = call(sim, "GET", V1_JOBS + path, query)
    return status, body


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture
def sim(clock):
    jobs = [
        Job(uid(1), None, total_lines=50, name="resnet50-train", create_time=T + 1000),
        Job(uid(2), None, total_lines=50, name="resnet50-train", end_phase="Failed", create_time=T + 5000),
        Job(uid(3), None, total_lines=50, name="ResNet-big", create_time=T + 3000),
        Job(uid(4), None, lines_per_second=5, name="bert-base", create_time=T + 4000),  # Running
        Job(uid(5), None, lines_per_second=5, start_delay=60, creating_s=0, name="gpt-small",
            create_time=T + 2000),  # Pending
        Job(10, 1, total_lines=20, create_time=T + 100),
        Job(10, 2, total_lines=20, status=FAILED, create_time=T + 200),
        Job(10, 3, lines_per_second=2, create_time=T + 300),  # Running: the newest version
        Job(20, 1, total_lines=20, create_time=T + 250),
        Job(30, 1, total_lines=20, name="resnet-v1", create_time=T + 50),
    ]
    with Simulator(jobs, clock=clock) as s:
        yield s


# -- v2: the job search ------------------------------------------------------------

def test_search_lists_v2_jobs_newest_first(sim):
    body = ok_search(sim)
    assert body["total"] == 5 and body["count"] == 5
    assert ids(body) == [uid(2), uid(4), uid(3), uid(5), uid(1)]
    times = [item["metadata"]["create_time"] for item in body["items"]]
    assert times == sorted(times, reverse=True)
    item = body["items"][0]
    assert item["kind"] == "job" and item["status"]["phase"] == "Failed" and item["status"]["tasks"] == ["worker-0"]
    assert ids(ok_search(sim, sort_by="create_time", order="asc")) == [uid(1), uid(5), uid(3), uid(4), uid(2)]


def test_search_filters_name_like_is_a_case_sensitive_substring(sim):
    body = ok_search(sim, filters=[{"key": "name", "operator": "like", "value": ["resnet"]}])
    assert (body["total"], ids(body)) == (2, [uid(2), uid(1)])
    assert names(ok_search(sim, filters=[{"key": "name", "operator": "like", "value": ["ResNet"]}])) == ["ResNet-big"]
    assert ok_search(sim, filters=[{"key": "name", "operator": "like", "value": ["nothing"]}])["total"] == 0
    assert names(ok_search(sim, filters=[{"key": "name", "operator": "in", "value": ["bert-base"]}])) == ["bert-base"]


def test_search_filters_phase_in_and_combine(sim):
    body = ok_search(sim, filters=[{"key": "phase", "operator": "in", "value": ["Running", "Pending"]}])
    assert ids(body) == [uid(4), uid(5)]
    assert [i["status"]["phase"] for i in body["items"]] == ["Running", "Pending"]
    both = ok_search(sim, filters=[{"key": "name", "operator": "like", "value": ["resnet"]},
                                   {"key": "phase", "operator": "in", "value": ["Completed"]}])
    assert ids(both) == [uid(1)]
    between = ok_search(sim, filters=[{"key": "create_time", "operator": "between", "value": [T + 2000, T + 3000]}])
    assert ids(between) == [uid(3), uid(5)]


def test_search_phases_follow_the_clock(sim, clock):
    running = [{"key": "phase", "operator": "in", "value": ["Running"]}]
    assert ids(ok_search(sim, filters=running)) == [uid(4)]
    clock.advance(60)  # gpt-small starts
    assert ids(ok_search(sim, filters=running)) == [uid(4), uid(5)]


@pytest.mark.parametrize("limit", [0, 51, -1, "10", True, 1.5, None])
def test_search_limit_outside_1_to_50_is_refused(sim, limit):
    status, err = search(sim, limit=limit)
    assert status == 400 and err["error_code"] == "ModelArts.0104" and err["error_msg"]


@pytest.mark.parametrize("spec", [
    {"offset": -1}, {"order": "newest"}, {"sort_by": "name"},
    {"filters": [{"key": "owner", "operator": "in", "value": ["me"]}]},
    {"filters": [{"key": "phase", "operator": "like", "value": ["Run"]}]},
    {"filters": [{"key": "name", "operator": "like", "value": "resnet"}]},
])
def test_search_bad_arguments_are_0104(sim, spec):
    status, err = search(sim, **spec)
    assert (status, err["error_code"]) == (400, "ModelArts.0104")


def test_search_body_must_be_json_and_the_call_a_post(sim):
    status, _, err = call(sim, "POST", SEARCH, body=b"{not json", headers={"Content-Type": "application/json"})
    assert (status, err["error_code"]) == (400, "ModelArts.0101")
    status, _, err = call(sim, "GET", SEARCH)
    assert (status, err["error_code"]) == (404, "APIGW.0101")


def test_search_limit_bounds_and_default():
    jobs = [Job(uid(n), None, total_lines=5, name="job-%02d" % n, create_time=T + n) for n in range(60)]
    with Simulator(jobs) as s:
        assert ok_search(s)["count"] == 10
        assert ok_search(s, limit=1)["count"] == 1
        body = ok_search(s, limit=50)
        assert (body["total"], body["count"]) == (60, 50)


@pytest.mark.parametrize("reading", ["items", "pages"])
def test_search_offset_counts_items_or_pages(reading):
    jobs = [Job(uid(n), None, total_lines=5, create_time=T + n) for n in range(7)]
    newest_first = [uid(n) for n in reversed(range(7))]
    with Simulator(jobs, search_offset=reading) as s:
        def page(offset):
            body = ok_search(s, offset=offset, limit=3)
            assert body["total"] == 7
            return ids(body)
        if reading == "items":
            assert page(0) == newest_first[0:3]
            assert page(1) == newest_first[1:4]
            assert page(3) == newest_first[3:6]
            assert page(6) == newest_first[6:]
            assert page(7) == []
        else:
            assert page(0) == newest_first[0:3]
            assert page(1) == newest_first[3:6]
            assert page(2) == newest_first[6:]
            assert page(3) == []
    with pytest.raises(ValueError):
        Simulator(search_offset="rows")


# -- v1: the job list and a job's versions -------------------------------------------

def test_v1_list_has_one_row_per_job_with_its_newest_version(sim):
    status, body = v1(sim)
    assert status == 200 and body["is_success"] is True and body["job_total_count"] == 3
    assert [r["job_id"] for r in body["jobs"]] == [10, 20, 30]
    row = body["jobs"][0]
    assert set(row) == {"job_id", "job_name", "version_id", "status", "create_time", "duration", "version_count"}
    assert (row["job_name"], row["version_id"], row["status"], row["version_count"]) == ("job-10", 3, RUNNING, 3)
    assert row["create_time"] == T + 300
    status, body = v1(sim, per_page=10, page=1, sortBy="create_time", order="asc")
    assert [r["job_id"] for r in body["jobs"]] == [30, 20, 10]
    assert [r["job_name"] for r in v1(sim, sortBy="job_name", order="asc")[1]["jobs"]] == \
        ["job-10", "job-20", "resnet-v1"]


def test_v1_list_search_and_pages(sim):
    body = v1(sim, search_content="resnet")[1]
    assert (body["job_total_count"], [r["job_id"] for r in body["jobs"]]) == (1, [30])
    assert v1(sim, search_content="job-")[1]["job_total_count"] == 2
    assert v1(sim, search_content="ResNet")[1]["jobs"] == []
    assert [r["job_id"] for r in v1(sim, per_page=1, page=2)[1]["jobs"]] == [20]
    last = v1(sim, per_page=2, page=2)[1]
    assert (last["job_total_count"], [r["job_id"] for r in last["jobs"]]) == (3, [30])
    assert v1(sim, per_page=2, page=3)[1]["jobs"] == []
    assert len(v1(sim, per_page=100)[1]["jobs"]) == 3


@pytest.mark.parametrize("query", [{"per_page": 0}, {"per_page": 101}, {"per_page": "x"}, {"page": 0},
                                   {"order": "up"}, {"sortBy": "owner"}])
def test_v1_list_bad_arguments_are_0104(sim, query):
    status, err = v1(sim, **query)
    assert (status, err["is_success"], err["error_code"]) == (400, False, "ModelArts.0104")


def test_v1_versions_newest_first(sim):
    status, body = v1(sim, "/10/versions", per_page=10, page=1)
    assert status == 200 and body["is_success"] is True
    assert (body["job_id"], body["job_name"], body["version_count"]) == (10, "job-10", 3)
    assert [v["version_id"] for v in body["versions"]] == [3, 2, 1]
    v = body["versions"][1]
    assert set(v) == {"version_id", "version_name", "status", "create_time", "duration"}
    assert (v["version_name"], v["status"], v["create_time"]) == ("V0002", FAILED, T + 200)
    assert [v["version_id"] for v in v1(sim, "/10/versions", per_page=2, page=2)[1]["versions"]] == [1]
    status, err = v1(sim, "/99/versions")
    assert (status, err["error_code"]) == (400, "ModelArts.2775")
    assert v1(sim, "/10/versions", per_page=0)[1]["error_code"] == "ModelArts.0104"


def test_each_v1_version_is_still_read_by_its_own_id(sim):
    for version in (1, 2, 3):
        status, body = v1(sim, "/10/versions/%d" % version)
        assert (status, body["version_id"]) == (200, version)


def test_create_times_are_distinct_and_follow_the_order_jobs_are_added():
    clock = ManualClock()
    jobs = [Job(uid(n), None, total_lines=40) for n in range(3)] + [Job(5, v, total_lines=40) for v in (1, 2)]
    jobs.append(Job(uid(9), None, total_lines=40, create_time=T))
    with Simulator(jobs, clock=clock) as s:
        times = [j.create_time for j in jobs]
        assert len(set(times)) == len(times) and times[-1] == T
        assert times[:5] == sorted(times[:5])
        assert ids(ok_search(s, order="asc")) == [uid(9), uid(0), uid(1), uid(2)]
        assert [v["version_id"] for v in v1(s, "/5/versions")[1]["versions"]] == [2, 1]
        # Two growing jobs added at the same instant are told apart too.
        a, b = Job(uid(20), None, lines_per_second=1), Job(uid(21), None, lines_per_second=1)
        s.add_job(a)
        s.add_job(b)
        assert a.create_time < b.create_time < a.start_time * 1000


# -- a region without the v1 API --------------------------------------------------------

def test_without_the_v1_api_every_v1_path_is_the_gateways_404():
    jobs = [Job(10, 10, total_lines=10), Job(uid(1), None, total_lines=10)]
    with Simulator(jobs, v1_api=False) as s:
        for path in ("/10/versions/10", "/10/versions/10/aom-log?log_file=log1.log", "/10/versions/10/log/file-names",
                     "", "/10/versions", "/nothing"):
            status, headers, err = call(s, "GET", V1_JOBS + path)
            assert status == 404, path
            assert err["error_code"] == "APIGW.0101"
            assert err["error_msg"] == "The API does not exist or has not been published in the environment"
            assert err["request_id"] == headers["X-Request-Id"]
        assert call(s, "GET", "/v2/%s/training-jobs/%s" % (P, uid(1)))[0] == 200
        assert ok_search(s)["total"] == 1
        assert call(s, "GET", "/v3/projects", {"name": "cn-north-4"})[0] == 200
        assert s.request_count["detail"] == 1  # still counted as what it asked for


# -- IAM: project ids by region ---------------------------------------------------------

def test_projects_default_to_cn_north_4():
    with Simulator() as s:
        status, _, body = call(s, "GET", "/v3/projects", {"name": "cn-north-4"})
        assert status == 200 and [p["id"] for p in body["projects"]] == [DEFAULT_PROJECT_ID]
    with Simulator(project_id="abc") as s:
        assert call(s, "GET", "/v3/projects", {"name": "cn-north-4"})[2]["projects"][0]["id"] == "abc"


def test_projects_by_region():
    regions = {"cn-north-4": "a" * 32, "ap-southeast-1": "b" * 32}
    with Simulator(projects=regions) as s:
        status, _, body = call(s, "GET", "/v3/projects", {"name": "ap-southeast-1"})
        assert status == 200
        (project,) = body["projects"]
        assert {k: project[k] for k in ("id", "name", "enabled")} == {"id": "b" * 32, "name": "ap-southeast-1",
                                                                      "enabled": True}
        assert project["domain_id"] and body["links"]["self"].endswith("/v3/projects?name=ap-southeast-1")
        assert call(s, "GET", "/v3/projects", {"name": "eu-west-101"})[2]["projects"] == []
        assert sorted(p["id"] for p in call(s, "GET", "/v3/projects")[2]["projects"]) == ["a" * 32, "b" * 32]
        assert call(s, "POST", "/v3/projects")[0] == 404


def signed_call(sim, clock, method, path, query=None, body=None, send_body=None):
    """Sign with aomlog.transport.auth (as tests/test_simulator_iam.py does), send with http.client.
    ``send_body`` sends another body than the one signed."""
    from aomlog.transport.auth import AkSkAuth

    url = sim.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
    req = SimpleNamespace(method=method, url=url, body=body,
                          headers={"Content-Type": "application/json"} if body is not None else {})
    AkSkAuth(AK, SK, clock=lambda: datetime.fromtimestamp(clock.now(), timezone.utc))(req)
    split = urllib.parse.urlsplit(req.url)
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        conn.request(method, split.path + ("?" + split.query if split.query else ""),
                     body=send_body if send_body is not None else body, headers=dict(req.headers))
        r = conn.getresponse()
        return r.status, json.loads(r.read())
    finally:
        conn.close()


def test_project_lookup_and_search_are_signed_like_every_call(clock):
    jobs = [Job(uid(1), None, total_lines=10, name="resnet50-train")]
    with Simulator(jobs, clock=clock, ak=AK, sk=SK, projects={"cn-north-4": "c" * 32}) as s:
        status, _, err = call(s, "GET", "/v3/projects", {"name": "cn-north-4"})
        assert (status, err["error_code"]) == (401, "APIGW.0301")
        status, body = signed_call(s, clock, "GET", "/v3/projects", {"name": "cn-north-4"})
        assert status == 200 and body["projects"][0]["id"] == "c" * 32
        assert "X-Project-Id" not in s.request_log[-1].headers  # the lookup has none to send

        spec = json.dumps({"filters": [{"key": "name", "operator": "like", "value": ["resnet"]}]}).encode()
        status, body = signed_call(s, clock, "POST", SEARCH, body=spec)
        assert status == 200 and body["total"] == 1
        assert s.request_log[-1].method == "POST" and s.request_log[-1].body == spec
        tampered = spec.replace(b"resnet", b"bert-x")  # same length: only the signature can tell
        status, err = signed_call(s, clock, "POST", SEARCH, body=spec, send_body=tampered)
        assert (status, err["error_code"]) == (401, "APIGW.0301")
        assert "verify aksk signature fail" in err["error_msg"]


# -- request kinds -----------------------------------------------------------------------

def test_list_requests_are_counted_by_kind(sim):
    sim.reset_requests()
    ok_search(sim)
    ok_search(sim)
    v1(sim)
    v1(sim, "/10/versions")
    call(sim, "GET", "/v3/projects")
    assert sim.request_count == {"search": 2, "v1-list": 1, "versions": 1, "iam": 1}
    assert sim.request_count["v2-log"] == 0


def test_faults_can_target_the_search_only(sim):
    sim.faults.push("429", only="search")
    assert v1(sim)[0] == 200
    assert search(sim)[0] == 429
    assert search(sim)[0] == 200
    faults = Faults(seed=1, rates={"500": 0.5}, rate_scope="iam")
    with Simulator(faults=faults) as s:
        assert {call(s, "GET", "/v3/projects")[0] for _ in range(30)} == {200, 500}
        assert all(search(s)[0] == 200 for _ in range(10))
