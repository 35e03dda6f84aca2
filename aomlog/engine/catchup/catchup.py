"""``CatchUp``: every stream's lines from its start to its current end, read concurrently and
handed to the writer in order (the package's docstring tells how)."""

from __future__ import annotations

from typing import Callable, Dict, Iterator, List, Optional, Union

from aomlog.api.family import JobApi
from aomlog.engine.catchup.connections import Connections
from aomlog.engine.catchup.figures import Figures
from aomlog.engine.catchup.gate import Gate
from aomlog.engine.catchup.order import InOrder, Item
from aomlog.engine.catchup.pool import QUEUE_PAGES, Pool
from aomlog.engine.catchup.read import Reading
from aomlog.engine.catchup.segment import Segment
from aomlog.engine.paging import LogReader
from aomlog.engine.start import Start

WORKERS = 8  # how many workers read at once, unless told
FAST_ANSWER = Gate.FAST_ANSWER


class CatchUp:
    """The catch-up of ``readers``' streams, each from its start in ``starts``: ``items()``.

    Args:
        api: the API the job was looked up on; each worker reads on a clone of it.
        readers: the streams' readers; each one's cursor follows the pages handed out.
        starts: each stream's start, by its name.
        workers: how many workers read at once.
        retries: each worker's client's retries.
        progress: told (lines, pages, fraction done or None) as the catch-up goes.
        notify: says a notice to the user (a failure being retried, and its end).
        notice_after: tries before a failure is said (once, for all workers).
        fast_answer: answers quicker than this and a long stream is not cut (``Gate.fast``).
    """

    def __init__(self, api: JobApi, readers: List[LogReader], starts: Dict[str, Start], *,
                 workers: int = WORKERS, retries: Union[int, float] = 4,
                 progress: Optional[Callable[[int, int, Optional[float]], None]] = None,
                 notify: Optional[Callable[[str], None]] = None, notice_after: int = 1,
                 fast_answer: float = FAST_ANSWER):
        workers = max(1, workers)
        self.readers = readers
        gate = Gate(workers, fast_answer=fast_answer)
        connections = Connections(api, gate, retries=retries, notify=notify, notice_after=notice_after)
        # Several streams merged by position: the writer needs every one's next page, and no
        # worker may wait for it (the pages it cannot write yet go to disk past a few).
        merged = sum(1 for start in starts.values() if not start.from_end) > 1
        self._pool = Pool(workers, window=float("inf") if merged else workers + 4, connect=connections.open,
                          room=None if merged else QUEUE_PAGES)
        figures = Figures(progress, starts, len(readers), wake=self._pool.tell_writer)
        self._order = InOrder(self._pool, readers, starts, figures,
                              read_back=lambda *asked: self._reading.read_back(*asked))
        self._reading = Reading(self._pool, self._order, readers, starts, figures, workers,
                                fast=lambda: gate.fast)

    def items(self) -> Iterator[Item]:
        """(reader, pages, as_one): pages to write in this order, each stream's in its order; with
        ``as_one``, all of a stream's last N lines, to be written and stored as one. A page cut
        short at a chunk's end (it has no end_line) comes joined to the page after it. Each
        reader's cursor follows the pages given."""
        for i, reader in enumerate(self.readers):
            segment = Segment()
            self._order.add(i, [segment])
            self._pool.submit(reader.stream, [self._reading.job(i, segment)])
        self._pool.start()
        try:
            yield from self._order.items()
        finally:
            self._pool.close()
