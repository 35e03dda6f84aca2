"""Both API families over one client: which family a job is in, and both families' job lists."""

import threading

import pytest

from aomlog.api import Apis, JobRef, Observer, family_of, state_words
from aomlog.errors import NotFoundError, UsageError
from aomlog.simulator import Job
from aomlog.transport.client import Client

UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"


class Where(Observer):
    """The thread of each answer."""

    def __init__(self):
        self.threads = []

    def answered(self):
        self.threads.append(threading.current_thread().name)


@pytest.fixture
def both(simulator):
    return simulator([Job(UUID, None, total_lines=5, name="new-job"),
                      Job(10, 2, files=["log1.log"], total_lines=5, name="old-job")])


@pytest.mark.parametrize("job, family", [(UUID, "v2"), (UUID.upper(), "v2"), ("10", "v1"), ("resnet", None),
                                         ("١٠", None)])  # Arabic-Indic digits are a name, not an id
def test_the_family_of_a_job_is_in_its_id(job, family):
    assert family_of(job) == family


def test_state_words_name_each_state_once_whatever_its_case():
    words = state_words()
    assert len({word.lower() for word in words}) == len(words)
    # the common phases in lower case, v2's states as v2 spells them, v1's own in capitals
    assert words[:4] == ["waiting", "running", "succeeded", "failed"]
    assert {"Pending", "Completed", "Terminated", "KILLED", "CANCELED"} <= set(words)
    assert not {"Running", "RUNNING", "COMPLETED", "FAILED", "WAITING"} & set(words)


def test_a_pair_not_known_to_be_good_asks_one_list_after_the_other(both):
    where = Where()
    found = Apis(Client(both.url, "p1", observers=[where])).jobs()
    assert {info.name for info in found} == {"new-job", "old-job"}
    assert set(where.threads) == {threading.current_thread().name}


def test_lists_together_ask_the_old_family_in_a_thread_of_its_own(both):
    where = Where()
    found = Apis(Client(both.url, "p1", observers=[where]), lists_together=True).jobs()
    assert {info.name for info in found} == {"new-job", "old-job"}
    assert "aomlog-list" in where.threads and threading.current_thread().name in where.threads


def test_a_job_is_found_by_its_name_in_either_family(both):
    apis = Apis(Client(both.url, "p1"))
    assert apis.resolve("new-job") == JobRef("v2", UUID)
    assert apis.resolve("old-job") == JobRef("v1", "10", "2")
    assert apis.resolve("old-job", "1") == JobRef("v1", "10", "1")
    with pytest.raises(UsageError, match="is a v2 job, which has no versions"):
        apis.resolve("new-job", "1")


def test_an_unknown_name_is_not_found_and_says_what_lists_names(both):
    with pytest.raises(NotFoundError, match="no job is named 'nope'") as raised:
        Apis(Client(both.url, "p1")).resolve("nope")
    assert raised.value.about == "job.name" and raised.value.facts == {"name": "nope"}


def test_a_family_clone_is_its_clients_clone(both):
    where = Where()
    api = Apis(Client(both.url, "p1")).v2
    clone = api.clone(retries=0, observers=[where])
    assert type(clone) is type(api) and clone.client.retries == 0 and api.client.retries == 4
    clone.state(JobRef("v2", UUID))
    assert where.threads == [threading.current_thread().name]
