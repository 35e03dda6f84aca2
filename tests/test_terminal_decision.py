"""The one decision of what a terminal is, when to colour and how wide (aomlog.output.terminal)."""

import io
import os

import pytest

from aomlog.output import terminal
from aomlog.output.terminal import COLOR_CHOICES, destination, isatty

from ptycapture import PtyCapture


def test_a_pseudo_terminal_is_a_terminal_and_a_pipe_file_or_closed_stream_is_not(tmp_path):
    pty = PtyCapture()
    try:
        assert isatty(pty.stream)
    finally:
        pty.output()
    read, write = os.pipe()
    with open(write, "wb") as pipe:
        assert not isatty(pipe)
    os.close(read)
    with open(tmp_path / "out", "wb") as file:
        assert not isatty(file)
    assert not isatty(file)  # closed: ValueError inside, no terminal outside
    assert not isatty(object())  # replaced by something without isatty (pythonw, some tests)


@pytest.mark.parametrize("environ, tty, coloured", [
    ({}, True, True),
    ({}, False, False),
    ({"TERM": "dumb"}, True, False),
    ({"NO_COLOR": "1"}, True, False),
    ({"FORCE_COLOR": "1"}, False, True),
])
def test_a_destination_colours_by_the_terminal_and_the_environment(environ, tty, coloured):
    dest = destination(io.BytesIO(), "auto", tty=tty, environ=environ)
    assert (dest.tty, dest.color) == (tty, coloured)


def test_an_explicit_colour_choice_beats_terminal_and_environment():
    assert COLOR_CHOICES == ("auto", "always", "never")
    assert destination(io.BytesIO(), "always", environ={"NO_COLOR": "1"}).color
    assert not destination(io.BytesIO(), "never", tty=True, environ={"FORCE_COLOR": "1"}).color


def test_a_stream_decides_for_itself_unless_told(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert not destination(io.BytesIO()).tty  # a BytesIO is no terminal
    assert destination(io.BytesIO(), tty=True).color  # the caller knows better (a test's terminal)


def test_only_a_terminal_has_a_width_and_it_follows_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "123")
    monkeypatch.setenv("LINES", "45")
    assert tuple(terminal.size()) == (123, 45)
    assert destination(io.BytesIO(), tty=True).width == 123
    assert destination(io.BytesIO(), tty=False).width is None  # a pipe: nothing is cut to fit


def test_the_text_stream_travels_with_the_destination():
    text = io.StringIO()
    assert destination(io.BytesIO(), text=text).text is text
    assert destination(io.BytesIO()).text is None
