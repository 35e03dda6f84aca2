"""A follower's sleep that ends when stdout's reader goes away (aomlog.output.pipewatch)."""

import os
import time

import pytest

from aomlog.output.pipewatch import watching_sleep


def test_a_pipe_whose_reader_is_gone_breaks_the_sleep_at_once():
    read, write = os.pipe()
    try:
        sleep = watching_sleep(write)
        assert sleep is not time.sleep
        os.close(read)
        with pytest.raises(BrokenPipeError):
            sleep(3600)  # would hang the test if the closed reader went unnoticed
    finally:
        os.close(write)


def test_a_pipe_with_its_reader_sleeps_the_time_asked():
    read, write = os.pipe()
    try:
        watching_sleep(write)(0)  # no time asked, none slept; the reader is there: no error
    finally:
        os.close(read)
        os.close(write)


def test_a_file_or_a_closed_descriptor_sleeps_plainly(tmp_path):
    with open(tmp_path / "log", "wb") as file:
        assert watching_sleep(file.fileno()) is time.sleep
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    assert watching_sleep(write) is time.sleep  # fstat fails: nothing to watch
