"""AK/SK signing: the published test vectors, and agreement with the official SDK's signer."""

from datetime import datetime, timedelta, timezone

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from aomlog.transport.auth import AkSkAuth, TokenAuth, redacted_headers

AK = "AKTESTEXAMPLE0000000"
SK = "sktest0000000000000000000000000000000000"
WHEN = datetime(2026, 11, 27, 1, 2, 3, tzinfo=timezone.utc)
HOST = "modelarts.cn-north-4.myhuaweicloud.com"
PATH = "/v1/0123456789abcdef0123456789abcdef/training-jobs/10/versions/10/aom-log"
PROJECT = "0123456789abcdef0123456789abcdef"


def sign(params, auth, url=f"https://{HOST}{PATH}", method="GET", **kwargs):
    return requests.Session().prepare_request(requests.Request(method, url, params=params, auth=auth, **kwargs))


@pytest.mark.parametrize("params, project_id, signed, signature", [
    ({"log_file": "log1.log", "base_line": "1551252759254000002", "lines": "50", "order": "desc"}, None,
     "host;x-sdk-date", "e3949870cca2065b60ad4f4f207267fe4e4257a89487fcfb01638815c875b6d7"),
    ({"log_file": "job test.0", "base_line": "", "lines": "50", "order": "desc"}, None,
     "host;x-sdk-date", "d1924ab071aaeb3af88eeb4c09c897c082b9f29203f188707654236ac6f08af6"),
    ({"log_file": "log1.log", "base_line": "1551252759254000002", "lines": "50", "order": "desc"}, PROJECT,
     "host;x-project-id;x-sdk-date", "4b7cabe5c849de0def14642bc5bc039b187106a95009d1083abe2aef384e9efb"),
])
def test_published_vectors(params, project_id, signed, signature):
    req = sign(params, AkSkAuth(AK, SK, project_id=project_id, clock=lambda: WHEN))
    assert req.headers["Authorization"] == (
        f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={signature}")
    assert req.headers["X-Sdk-Date"] == "20261127T010203Z"
    assert req.headers["Host"] == HOST


def test_the_query_sent_is_the_query_signed():
    req = sign({"log_file": "job test.0", "base_line": "", "order": "desc"}, AkSkAuth(AK, SK, clock=lambda: WHEN))
    assert req.url == f"https://{HOST}{PATH}?base_line=&log_file=job%20test.0&order=desc"


def test_security_token_is_sent_and_signed():
    req = sign({}, AkSkAuth(AK, SK, security_token="tok-123", clock=lambda: WHEN))
    assert req.headers["X-Security-Token"] == "tok-123"
    assert "SignedHeaders=host;x-sdk-date;x-security-token," in req.headers["Authorization"]


def test_the_date_is_utc_whatever_the_clock_zone():
    tokyo = WHEN.astimezone(timezone(timedelta(hours=9)))
    assert sign({}, AkSkAuth(AK, SK, clock=lambda: tokyo)).headers["X-Sdk-Date"] == "20261127T010203Z"


def test_transport_headers_are_not_signed():
    req = sign({}, AkSkAuth(AK, SK, clock=lambda: WHEN), headers={"Accept": "x", "User-Agent": "u"})
    assert "SignedHeaders=host;x-sdk-date," in req.headers["Authorization"]


def test_repr_and_debug_output_hide_secrets():
    auth = AkSkAuth(AK, SK, security_token="tok-123", clock=lambda: WHEN)
    assert SK not in repr(auth) and "tok-123" not in repr(auth)
    assert "secret" not in repr(TokenAuth("secret"))
    req = sign({}, auth)
    shown = redacted_headers(dict(req.headers))
    text = repr(shown)
    assert "tok-123" not in text and req.headers["Authorization"].rsplit("=", 1)[1] not in text
    assert shown["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=")


# -- agreement with the official signer ------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_segment = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/%?#"),
                   min_size=1, max_size=10).filter(lambda s: s not in (".", ".."))  # requests drops dot segments
_header_name = st.from_regex(r"\AX-[A-Za-z0-9][A-Za-z0-9-]{0,10}\Z")
_header_value = st.from_regex(r"\A[!-~]([ -~]{0,20}[!-~])?[ ]{0,2}\Z")
_key = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    ak=st.from_regex(r"\A[A-Z0-9]{4,24}\Z"),
    sk=st.from_regex(r"\A[A-Za-z0-9]{8,40}\Z"),
    when=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)),
    host=st.sampled_from([HOST, "127.0.0.1:8000", "localhost"]),
    method=st.sampled_from(["GET", "DELETE", "POST"]),
    segments=st.lists(_segment, min_size=1, max_size=5),
    trailing_slash=st.booleans(),
    query=st.lists(st.tuples(st.one_of(_key, _text.filter(bool)), _text), max_size=6),
    repeat=st.booleans(),
    headers=st.dictionaries(_header_name, _header_value, max_size=3),
    project_id=st.one_of(st.none(), st.from_regex(r"\A[0-9a-f]{32}\Z")),
    security_token=st.one_of(st.none(), st.from_regex(r"\A[A-Za-z0-9+/=]{1,60}\Z")),
    body=st.binary(max_size=40),
)
def test_same_signature_as_the_official_sdk(ak, sk, when, host, method, segments, trailing_slash, query,
                                            repeat, headers, project_id, security_token, body):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    if repeat and query:  # the same key more than once
        query = query + [(query[0][0], query[-1][1])]
    # One header per name, case aside (HTTP merges them; the SDK would sign both), and
    # none that the signer sets itself.
    headers = {k.lower(): (k, v) for k, v in headers.items()
               if k.lower() not in ("x-sdk-date", "x-project-id", "x-security-token")}
    headers = dict(headers.values())
    path = "/" + "/".join(segments) + ("/" if trailing_slash else "")
    body = body if method == "POST" else b""
    if body:
        headers["Content-Type"] = "application/json;charset=UTF-8"
    when = when.replace(microsecond=0, tzinfo=timezone.utc)

    ours = sign(query, AkSkAuth(ak, sk, project_id=project_id, security_token=security_token, clock=lambda: when),
                url=f"https://{host}{path}", method=method, headers=headers, data=body or None)

    theirs_headers = dict(headers, **{"X-Sdk-Date": when.strftime("%Y%m%dT%H%M%SZ")})
    if project_id:
        theirs_headers["X-Project-Id"] = project_id
    if security_token:
        theirs_headers["X-Security-Token"] = security_token
    theirs = SdkRequest(method=method, schema="https", host=host, resource_path=path, query_params=list(query),
                        header_params=theirs_headers, body=body)
    Signer(BasicCredentials(ak, sk)).sign(theirs)

    assert ours.headers["Authorization"] == theirs.header_params["Authorization"]
    sent_query = ours.url.partition("?")[2]
    assert sent_query == theirs.uri.partition("?")[2]
