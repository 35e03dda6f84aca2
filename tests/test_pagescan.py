"""Finding the lines of a page a pattern matches, in one scan (aomlog.output.pagescan)."""

import re

from aomlog.output.pagescan import matching_lines

WORD = re.compile(r"(?:loss|acc)[^\n]*")


def test_the_indices_of_matching_lines_in_order():
    assert matching_lines(WORD, "a\nloss=1\nb\nacc=2\n") == [1, 3]


def test_a_line_counts_once_however_often_it_matches():
    assert matching_lines(re.compile("loss"), "loss loss loss\nx\nloss\n") == [0, 2]


def test_nothing_found_in_an_empty_page_or_one_without_the_words():
    assert matching_lines(WORD, "") == []
    assert matching_lines(WORD, "a\nb\n") == []


def test_the_first_and_last_lines_and_a_last_line_without_newline():
    assert matching_lines(WORD, "loss\n\n\nacc") == [0, 3]
