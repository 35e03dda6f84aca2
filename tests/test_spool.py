"""``Spool``: pages first in, first out; past a few in memory, on disk, and back exactly."""

from aomlog.api import Page
from aomlog.engine.catchup.spool import Spool


def page(n, text=None):
    text = text if text is not None else f"line {n}\n"
    return Page(text, text.count("\n"), str(n), str(n))


def test_pages_come_back_in_order_from_memory_and_from_disk():
    spool = Spool(in_memory=2)
    pages = [page(n) for n in range(5)] + [page(5, "emoji \U0001F600 and a lone \udc80\n")]
    for p in pages:
        spool.append(p)
    assert len(spool) == 6 and spool._held == 2 and spool._file is not None
    assert spool.lines == 6 and spool.first_start() == "0" and spool.last_end == "5"
    assert list(spool) == pages  # looking does not take
    assert spool.popleft() == pages[0] and spool.first_start() == "1"
    spool.append(page(6))  # room in memory again, after pages on disk: still in order
    assert list(spool.drain()) == pages[1:] + [page(6)]
    assert len(spool) == 0 and spool.lines == 0 and spool._file is None and spool.first_start() is None
