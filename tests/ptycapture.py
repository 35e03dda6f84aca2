"""A real pseudo-terminal standing in for the user's terminal."""

import fcntl
import os
import struct
import termios
import threading


class PtyCapture:
    """Everything written to the terminal side, as bytes.

    Output post-processing (``\\n`` -> ``\\r\\n``) is switched off so that the
    bytes read are exactly the bytes written, and a raw ``\\r`` cannot hide.
    """

    def __init__(self, columns=None, rows=None):
        self.master, self.slave = os.openpty()
        if columns and rows:  # the size a program on it reads with TIOCGWINSZ
            fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        attrs = termios.tcgetattr(self.slave)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        self.chunks = []
        self.arrived = threading.Condition()
        # Drained all along, as a terminal does: a long write must never block.
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        self.stream = open(self.slave, "wb", buffering=0, closefd=False)

    def _drain(self):
        while True:
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:  # EIO: the terminal side is closed and everything was read
                return
            if not data:
                return
            with self.arrived:
                self.chunks.append(data)
                self.arrived.notify_all()

    def wait_for(self, text: bytes, timeout: float = 60) -> bool:
        """Whether ``text`` has been written to the terminal, waiting for it up to ``timeout``."""
        with self.arrived:
            return self.arrived.wait_for(lambda: text in b"".join(self.chunks), timeout)

    def output(self) -> bytes:
        """Close the terminal side and return all that was written to it."""
        self.stream.close()
        os.close(self.slave)
        self.reader.join(timeout=10)
        os.close(self.master)
        return b"".join(self.chunks)
