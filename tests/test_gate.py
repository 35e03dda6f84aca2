"""The gate: no more requests in flight than its limit, which a throttled answer halves and
calm lets grow back, never past where it started."""

import threading

from aomlog.api import Page, Target
from aomlog.engine.catchup.gate import Gate, GatedApi

from fakelog import JOB, FakeApi

WAIT = 60  # seconds before a test that waits in vain fails instead of hanging


def most_in_flight(gate, requests):
    """How many of ``requests`` concurrent requests were inside ``gate`` at once, at most; each
    stays inside until all have come to the gate."""
    arrived, inside, most, changed = [0], [0], [0], threading.Condition()

    def request():
        with changed:
            arrived[0] += 1
            changed.notify_all()
        with gate.slot():
            with changed:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
                changed.wait_for(lambda: arrived[0] == requests, timeout=WAIT)
                inside[0] -= 1

    threads = [threading.Thread(target=request) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    return most[0]


def calm(gate, answers):
    """``answers`` requests through ``gate``, none of them throttled."""
    for _ in range(answers):
        with gate.slot():
            pass


def test_no_more_requests_in_flight_than_the_limit():
    assert most_in_flight(Gate(3), 8) == 3


def test_a_throttled_answer_halves_the_requests_in_flight():
    gate = Gate(8)
    gate.shrink()
    assert gate.limit == 4
    assert most_in_flight(gate, 8) == 4


def test_the_limit_never_drops_below_one_request():
    gate = Gate(2)
    for _ in range(5):
        gate.shrink()
    assert gate.limit == 1
    assert most_in_flight(gate, 3) == 1


def test_throttling_halves_the_requests_in_flight_and_calm_lets_them_grow_back():
    gate = Gate(8)
    gate.shrink()
    assert gate.limit == 4
    for _ in range(5):
        gate.shrink()
    assert gate.limit == 1
    calm(gate, Gate.REGROW_AFTER * 3)
    assert gate.limit == 4
    calm(gate, Gate.REGROW_AFTER * 10)
    assert gate.limit == 8  # never past where it started


def test_a_throttled_answer_starts_the_run_of_calm_answers_anew():
    gate = Gate(8)
    gate.shrink()
    gate.shrink()
    calm(gate, Gate.REGROW_AFTER - 1)
    gate.shrink()
    calm(gate, Gate.REGROW_AFTER - 1)
    assert gate.limit == 1
    calm(gate, 1)
    assert gate.limit == 2


def test_a_gated_api_is_the_api_it_wraps():
    api = FakeApi({"f": ["a", "b"]})
    gated = GatedApi(api, Gate(1))
    assert (gated.family, gated.stream_word, gated.order_words, gated.min_lines) == \
        (api.family, api.stream_word, api.order_words, api.min_lines)
    assert gated.fetch(Target(JOB, "f"), None, 10, "desc") == Page("a\nb\n", 2, "1000", "1001")


def test_answers_that_come_back_fast_are_told_after_a_few():
    now = [0.0]
    gate = Gate(8, clock=lambda: now[0], fast_answer=0.006)
    assert not gate.fast  # nothing timed yet
    for took in (0.002, 0.003):
        with gate.slot():
            now[0] += took
    assert gate.fast
    for took in (0.05, 0.05, 0.05):  # the median of the first five is what counts
        with gate.slot():
            now[0] += took
    assert not gate.fast
    with gate.slot():
        now[0] += 0.0
    assert not gate.fast  # only the first five are timed


def test_answers_from_far_away_are_not_fast():
    now = [0.0]
    gate = Gate(8, clock=lambda: now[0])
    for _ in range(3):
        with gate.slot():
            now[0] += 0.05
    assert not gate.fast
