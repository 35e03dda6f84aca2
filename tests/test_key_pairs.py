"""The key-pair memory: what the gateway said of each access key pair, written to the user's cache
by an observer of the clients that sign with it."""

import time

import pytest

from aomlog.settings import cache, config, key_pairs
from aomlog.settings.connect import connect
from aomlog.settings.key_pairs import KeyPairMemory
from aomlog.simulator import Job
from aomlog.transport.auth import TokenAuth
from aomlog.transport.client import Client

AK, SK = "AKMEMORYTEST00000001", "sk-memory-test-secret-00000000000001"
OTHER = "AKMEMORYTEST00000002"


@pytest.fixture
def writes(monkeypatch):
    """Every verdict written to the cache, in order (and written, too)."""
    written = []
    store = cache.store_key_pair_state

    def recorded(ak, accepted, *args, **kwargs):
        written.append((ak, accepted))
        return store(ak, accepted, *args, **kwargs)

    monkeypatch.setattr(cache, "store_key_pair_state", recorded)
    return written


def test_an_acceptance_is_written_once_and_every_rejection_each_time(writes):
    memory = KeyPairMemory()
    for _ in range(3):  # each page of a follow is an acceptance
        memory.credentials(AK, True)
    memory.credentials(OTHER, True)
    memory.credentials(AK, False)
    memory.credentials(AK, False)
    memory.credentials(AK, True)  # put right: worth writing again
    memory.credentials(AK, True)
    assert writes == [(AK, True), (OTHER, True), (AK, False), (AK, False), (AK, True)]


def test_what_is_written_is_what_a_later_run_reads(writes):
    memory = KeyPairMemory()
    assert not key_pairs.accepted(AK) and not key_pairs.rejected_lately(AK)
    memory.credentials(AK, False)
    assert not key_pairs.accepted(AK) and key_pairs.rejected_lately(AK)
    assert not key_pairs.rejected_lately(AK, now=time.time() + key_pairs.LOCKOUT + 1)  # the lockout is over
    memory.credentials(AK, True)
    assert key_pairs.accepted(AK) and not key_pairs.rejected_lately(AK)


def test_each_memory_remembers_for_itself(writes):
    KeyPairMemory().credentials(AK, True)
    KeyPairMemory().credentials(AK, True)  # another command's process
    assert writes == [(AK, True), (AK, True)]


def test_two_requests_at_once_only_with_no_pair_or_a_good_one(simulator):
    sim = simulator([])
    assert key_pairs.trusted(Client(sim.url, "p"))  # unsigned: nothing to lock
    assert key_pairs.trusted(Client(sim.url, "p", TokenAuth("t")))
    signed = connect(config.resolve({"endpoint": sim.url, "project_id": "p"},
                                    {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}))
    assert signed.access_key == AK and not key_pairs.trusted(signed)
    KeyPairMemory().credentials(AK, True)
    assert key_pairs.trusted(signed)


def test_a_connected_client_feeds_the_memory(simulator, writes):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=10, seed=1)], ak=AK, sk=SK)
    client = connect(config.resolve({"endpoint": sim.url, "project_id": "p"},
                                    {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}))
    for _ in range(2):
        client.get("/v1/p/training-jobs/10/versions/10/aom-log", {"log_file": "log1.log"}, what="log1.log")
    client.clone().get("/v1/p/training-jobs/10/versions/10/aom-log", {"log_file": "log1.log"}, what="log1.log")
    assert writes == [(AK, True)]  # its clones share its memory
    assert key_pairs.accepted(AK)
