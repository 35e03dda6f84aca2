"""Turning pages into bytes on stdout.

In a pipe the log's own text passes unchanged: one write and one flush per page,
so ``grep`` sees each page as soon as it is read.
"""

from __future__ import annotations

from typing import BinaryIO


def encode(text: str) -> bytes:
    # JSON may carry lone surrogates, which UTF-8 cannot hold; everything else is exact.
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


class PlainRenderer:
    def __init__(self, stream: BinaryIO):
        self.stream = stream

    def page(self, text: str) -> None:
        if text:
            self.stream.write(encode(text))
            self.stream.flush()

    def flush(self) -> None:
        self.stream.flush()
