"""Catching up: every stream's lines from its start to its current end, read concurrently.

Far from the region each request costs a round trip, so the pages are read by a
pool of worker threads (``--parallel``, 8 by default), each on a connection of
its own, while the main thread writes what they have read. The output is what a
sequential read gives: each stream's pages in order, whole pages of different
streams interleaved.

- Several streams (tasks, files) are read side by side.
- One long stream is cut into chunks by position, where the server takes
  positions it did not hand out (``chunks.py``: how the cuts are made and the
  chunks joined exactly, under both readings of ``base_line``). A server that
  refuses a made-up position is read sequentially, still ahead of the writer.
- The last N lines of a long log are read onward in chunks from a start estimated by the
  line rate, the lines before them left out by the writer (``read.py``).
- The order is fixed (``order.py``): streams read from their end first, each all at once;
  the others' pages merged by the position of their first line, then by the stream's name.
- Memory is bounded: a chunk holds at most ``QUEUE_PAGES`` pages not yet written,
  and at most ``workers + 4`` chunks are in hand at once (taken in order, so the
  writer can always finish the first of them). Several streams merged by position
  cannot wait for each other: their pages past a few go to disk (``spool.py``).
- Answers that come back within a few milliseconds: a long stream is not cut (``Gate.fast``).
- A 429 answer halves the number of requests in flight (``Gate``).

The engine writes the pages in the order ``CatchUp.items()`` gives them, and stores
each stream's position after each page.

The parts, each a module:
  catchup.py      ``CatchUp``: the parts put together, and ``items()``
  read.py         reading one stream's catch-up by its start; a long one cut into chunks
  chunks.py       where to cut a stream, and how chunks are joined exactly at the cuts
  pool.py         the worker threads, the work queue, the window that bounds memory, errors
  order.py        the writer's side: each stream's pages in order, joined across cuts
  segment.py      ``Segment``: a run of a stream's pages from a worker to the writer
  spool.py        ``Spool``: pages first in, first out, past a few on disk
  figures.py      the figures for the progress line
  connections.py  each worker's API, through the gate; failures said once
  gate.py         how many requests are in flight; how fast the first answers came
"""

from aomlog.engine.catchup.catchup import WORKERS, CatchUp

__all__ = ["CatchUp", "WORKERS"]
