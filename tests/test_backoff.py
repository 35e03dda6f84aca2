"""How long a retry waits: doubling from the base up to the cap, never less than Retry-After."""

import pytest

from aomlog.transport.backoff import Backoff


def ceiling(lo, hi):
    return hi  # the jitter at its top: the ceiling of each wait


def floor(lo, hi):
    return lo


@pytest.mark.parametrize("attempt, wait", [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0), (40, 8.0)])
def test_each_wait_doubles_up_to_the_cap(attempt, wait):
    assert Backoff(jitter=ceiling).delay(attempt) == wait


def test_jitter_never_waits_less_than_half_the_ceiling():
    assert [Backoff(jitter=floor).delay(n) for n in (1, 2, 3, 9)] == [0.25, 0.5, 1.0, 4.0]


def test_retry_after_is_a_floor_never_a_ceiling():
    backoff = Backoff(jitter=ceiling)
    assert backoff.delay(1, retry_after=3.0) == 3.0  # the server asks for longer than the backoff
    assert backoff.delay(5, retry_after=1.0) == 8.0  # ... or for less: the backoff stands
    assert backoff.delay(1, retry_after=30.0) == 30.0  # longer than the cap, when the server says so


def test_unbounded_tries_do_not_overflow():
    assert Backoff(jitter=ceiling).delay(10 ** 6) == 8.0  # a follow retries for ever


def test_an_attempt_below_one_waits_as_the_first():
    assert Backoff(jitter=ceiling).delay(0) == 0.5
