"""What the client makes of the API's loosely typed answers."""

import json

import pytest

from aomlog.api.fields import page_text, position


def test_positions_wider_than_a_double_survive_exactly():
    body = json.loads('{"start_line": 1551252759254000002, "end_line": "1551252759254000003"}')
    assert position(body["start_line"]) == "1551252759254000002"
    assert position(body["end_line"]) == "1551252759254000003"
    assert float(1551252759254000002) != 1551252759254000002  # why floats are never used


@pytest.mark.parametrize("value", [None, "", "  ", True, 1.5e18])
def test_missing_or_untrustworthy_positions_mean_no_news(value):
    assert position(value) is None


@pytest.mark.parametrize("content, count, text, n", [
    ("a\nb", 2, "a\nb\n", 2),
    ("a\nb\n", 2, "a\nb\n", 2),  # a trailing newline is not another line
    ("a\n", 2, "a\n\n", 2),  # ... unless the count says the last line is empty
    ("", 1, "\n", 1),  # one empty line
    ("", 0, "", 0),
    (None, None, "", 0),
    ("x\r\ny", None, "x\r\ny\n", 2),  # \r belongs to the line (progress bars)
    ("a\nb", None, "a\nb\n", 2),  # no count: trust the text
])
def test_page_text_is_newline_terminated_lines(content, count, text, n):
    assert page_text(content, count) == (text, n)
