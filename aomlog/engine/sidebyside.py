"""Independent calls made side by side: each worker thread with its own connection.

``status`` asks a job for its detail, stages, tasks, events and every task's usage: one
after the other, a 64-task job costs 68 round trips; side by side, a few.
"""

from __future__ import annotations

import functools
import threading
from typing import Callable, Iterator, List, Optional, Sequence, Tuple, TypeVar, Union

from aomlog.api.family import JobApi
from aomlog.threads import Background

T = TypeVar("T")
WORKERS = 8


def side_by_side(api: JobApi, calls: Sequence[Callable[[JobApi], T]],
                 workers: int = WORKERS) -> List[Union[T, Exception]]:
    """Each call's result, or the error it raised, in the order of ``calls``. Worker N calls
    with a clone of ``api`` (the first on its session: the caller waits meanwhile)."""
    results: List[Optional[Tuple[Union[T, Exception]]]] = [None] * len(calls)
    lock = threading.Lock()
    todo: Iterator[int] = iter(range(len(calls)))

    def work(first: bool) -> None:
        mine = api.clone(share_session=first)
        while True:
            with lock:
                index = next(todo, None)
            if index is None:
                return
            try:
                results[index] = (calls[index](mine),)
            except Exception as err:  # the caller decides what a failure of its call means
                results[index] = (err,)

    threads = [Background(functools.partial(work, n == 0), name=f"aomlog-call-{n + 1}")
               for n in range(max(1, min(workers, len(calls))))]
    for thread in threads:
        thread.result()
    return [r[0] if r is not None else RuntimeError("not called") for r in results]
