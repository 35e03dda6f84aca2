"""Writing bytes to the output stream whole, whatever interrupts.

``BufferedWriter.write`` can return having written only part of what it was
given: a blocking write to a full pipe that a signal interrupts returns the part
that went through (write(2)), and CPython's buffered writer passes the short
count on (seen with Python 3.11: 8,192 of 56,500 bytes after a SIGTERM). Code
that ignores the count loses the rest without a word, and a cursor stored after
it skips lines. So every page goes out through ``write_all``.
"""

from __future__ import annotations

from typing import BinaryIO


def write_all(stream: BinaryIO, data: bytes) -> None:
    """Write all of ``data``, then flush."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[len(view) if written is None else written:]  # None: a raw non-blocking stream took it all
    stream.flush()

