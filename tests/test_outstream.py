"""Writing a page whole, even when the stream takes only part of it (aomlog.output.outstream)."""

import io

from aomlog.output.outstream import write_all


class ShortWrites(io.RawIOBase):
    """A stream that takes at most ``most`` bytes a write, as a pipe interrupted by a signal does."""

    def __init__(self, most, answer_none=False):
        self.most = most
        self.answer_none = answer_none
        self.data = bytearray()
        self.writes = 0
        self.flushes = 0

    def writable(self):
        return True

    def write(self, data):
        self.writes += 1
        if self.answer_none:  # a raw non-blocking stream that took it all
            self.data += bytes(data)
            return None
        taken = bytes(data[:self.most])
        self.data += taken
        return len(taken)

    def flush(self):
        self.flushes += 1


def test_every_byte_is_written_through_short_writes_then_flushed_once():
    stream = ShortWrites(most=3)
    write_all(stream, b"0123456789")
    assert (bytes(stream.data), stream.writes, stream.flushes) == (b"0123456789", 4, 1)


def test_a_write_answering_none_took_it_all():
    stream = ShortWrites(most=3, answer_none=True)
    write_all(stream, b"0123456789")
    assert (bytes(stream.data), stream.writes) == (b"0123456789", 1)


def test_nothing_to_write_is_still_flushed():
    stream = ShortWrites(most=3)
    write_all(stream, b"")
    assert (stream.writes, stream.flushes) == (0, 1)
