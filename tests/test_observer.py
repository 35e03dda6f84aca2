"""What a client tells its observers, and what its clones share with it: over real HTTP."""

import threading

import pytest

from aomlog.errors import ApiError, AuthError
from aomlog.simulator import Job
from aomlog.transport.auth import AkSkAuth, TokenAuth
from aomlog.transport.client import Client
from aomlog.transport.observer import DeafToRetries, Observer, Observers

AK, SK = "AKOBSERVERTEST000001", "sk-observer-test-secret-0000000000001"
PATH = "/v1/p/training-jobs/10/versions/10/aom-log"
PAGE = {"log_file": "log1.log", "lines": "1"}


class Recorder(Observer):
    def __init__(self):
        self.heard = []

    def retrying(self, err, attempt, delay):
        self.heard.append(("retrying", err.http_status, attempt))

    def answered(self):
        self.heard.append(("answered",))

    def credentials(self, access_key, accepted):
        self.heard.append(("credentials", access_key, accepted))


@pytest.fixture
def sim(simulator):
    return simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)])


def fetch(client):
    return client.get(PATH, PAGE, what="log1.log")


def test_the_base_observer_hears_everything_and_does_nothing():
    quiet = Observer()
    assert quiet.retrying(ApiError("x"), 1, 0.5) is None
    assert quiet.answered() is None and quiet.credentials(AK, True) is None


def test_observers_hear_in_the_order_given_and_the_deaf_hear_no_retries():
    first, second, deaf = Recorder(), Recorder(), Recorder()
    everyone = Observers([first, second, DeafToRetries(deaf)])
    everyone.retrying(ApiError("x", http_status=503), 1, 0.5)
    everyone.answered()
    everyone.credentials(AK, False)
    assert first.heard == second.heard == [("retrying", 503, 1), ("answered",), ("credentials", AK, False)]
    assert deaf.heard == [("answered",), ("credentials", AK, False)]


def test_retries_and_the_answer_that_ends_them_are_told(sim):
    sim.faults.push("503", "500")
    heard, waits = Recorder(), []
    fetch(Client(sim.url, "p", observers=[heard], sleep=waits.append))
    assert heard.heard == [("retrying", 503, 1), ("retrying", 500, 2), ("answered",)]
    assert len(waits) == 2  # and waited through the sleep given


def test_a_failure_past_the_retries_is_no_answer(sim):
    sim.faults.push("503", "503")
    heard = Recorder()
    with pytest.raises(ApiError, match="HTTP 503"):
        fetch(Client(sim.url, "p", retries=1, observers=[heard], sleep=lambda s: None))
    assert heard.heard == [("retrying", 503, 1)]


def test_the_gateway_verdict_on_a_key_pair_is_told(simulator):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)], ak=AK, sk=SK)
    heard = Recorder()
    fetch(Client(sim.url, "p", AkSkAuth(AK, SK), observers=[heard], credential_source="the pair"))
    assert heard.heard == [("answered",), ("credentials", AK, True)]

    heard = Recorder()
    with pytest.raises(AuthError, match="rejected the pair"):
        fetch(Client(sim.url, "p", AkSkAuth(AK, "wrong"), observers=[heard], credential_source="the pair"))
    assert heard.heard == [("credentials", AK, False)]


def test_a_token_has_no_key_pair_to_tell_of(simulator):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)])
    heard = Recorder()
    fetch(Client(sim.url, "p", TokenAuth("a-token"), observers=[heard]))
    assert heard.heard == [("answered",)]


def test_a_clone_adds_observers_without_changing_its_original(sim):
    own, added = Recorder(), Recorder()
    original = Client(sim.url, "p", observers=[own])
    clone = original.clone(observers=[added])
    assert original.observers == (own,) and clone.observers == (own, added)
    fetch(clone)
    fetch(original)
    assert own.heard == [("answered",), ("answered",)]
    assert added.heard == [("answered",)]  # the original's answers are not the clone's


def test_a_clone_has_a_session_of_its_own_unless_asked(sim):
    original = Client(sim.url, "p", TokenAuth("t"))
    alone, sharing = original.clone(), original.clone(share_session=True)
    assert alone.session is not original.session and sharing.session is original.session
    assert alone.session.auth is original.session.auth
    assert alone.session.headers["User-Agent"] == original.session.headers["User-Agent"]
    assert fetch(alone)["lines"] == "1"


def test_a_clone_may_retry_otherwise_and_leave_retries_to_new_observers(sim):
    own, added = Recorder(), Recorder()
    original = Client(sim.url, "p", observers=[own], sleep=lambda s: None)
    clone = original.clone(retries=0)
    sim.faults.push("503")
    with pytest.raises(ApiError, match="HTTP 503"):
        fetch(clone)
    assert original.retries == 4 and own.heard == []  # no retry, so nothing to tell

    deaf = original.clone(observers=[added], deaf_retries=True)
    sim.faults.push("503")
    fetch(deaf)
    assert own.heard == [("answered",)]
    assert added.heard == [("retrying", 503, 1), ("answered",)]


def test_a_client_is_not_changed_once_built(sim):
    client = Client(sim.url, "p")
    with pytest.raises(AttributeError, match="clone"):
        client.retries = 0
    with pytest.raises(AttributeError):
        client.observers = ()
    assert client.retries == 4


def test_observers_hear_from_the_thread_that_asked(sim):
    threads = []

    class Where(Observer):
        def answered(self):
            threads.append(threading.current_thread().name)

    client = Client(sim.url, "p", observers=[Where()])
    worker = threading.Thread(target=lambda: fetch(client.clone()), name="reader")
    worker.start()
    worker.join()
    assert threads == ["reader"]
