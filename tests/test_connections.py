"""Each worker's API: a clone of the caller's, through the gate; a throttled answer shrinks the
gate, and a failure is said once for all workers, and so is its end."""

from aomlog.engine.catchup.connections import Connections
from aomlog.engine.catchup.gate import Gate, GatedApi
from aomlog.errors import ApiError

from fakelog import FakeApi


class Cloned(FakeApi):
    """Keeps what each clone was asked to change, and the observers given to it."""

    def __init__(self):
        super().__init__({"f": ["a"]})
        self.clones = []

    def clone(self, **changes):
        self.clones.append(changes)
        return self


def connections(notice_after=2):
    api, said = Cloned(), []
    opened = Connections(api, Gate(8), retries=7, notify=said.append, notice_after=notice_after)
    return opened, api, said


def test_a_worker_has_a_clone_of_the_api_through_the_gate():
    opened, api, _ = connections()
    first, other = opened.open(True), opened.open(False)
    assert isinstance(first, GatedApi) and first.inner is api and first.gate is opened.gate is other.gate
    assert [(c["share_session"], c["retries"]) for c in api.clones] == [(True, 7), (False, 7)]
    # The caller's observers go on hearing answers, not the workers' retries, which are said once.
    assert all(c["observers"] == [opened] and c["deaf_retries"] for c in api.clones)


def test_a_throttled_answer_halves_the_requests_in_flight():
    opened, api, said = connections()
    opened.open(True)
    api.clones[0]["observers"][0].retrying(ApiError("too many requests", http_status=429), 1, 0.5)
    assert opened.gate.limit == 4
    assert said == []  # one try is not yet worth a word


def test_a_lasting_failure_and_its_end_are_said_once_for_all_workers():
    opened, api, said = connections(notice_after=2)
    opened.open(True)
    opened.open(False)
    retried = [clone["observers"][0].retrying for clone in api.clones]
    answered = [clone["observers"][0].answered for clone in api.clones]
    answered[0]()
    retried[0](ApiError("the API did not answer"), 1, 1.0)
    retried[1](ApiError("the API did not answer"), 2, 2.0)
    retried[0](ApiError("the API did not answer"), 3, 4.0)
    answered[1]()
    answered[0]()
    assert said == ["aomlog: the API did not answer; retrying", "aomlog: the API answers again"]
