"""The metric rules' regular expression on every Python the package admits (3.9 on).

Python's ``re`` reads possessive quantifiers (``*+``, ``++``, ``?+``, ``{m,n}+``) and
atomic groups (``(?>...)``) only from 3.11; before, ``re.compile`` fails ("multiple
repeat"). ``aomlog/metrics/extract.py`` once used them for speed; it keeps their meaning
with guards instead. Here: a scan that keeps them from coming back anywhere in aomlog/,
and the lines where a plain greedy quantifier would have found other values than the
possessive one did (each guard of ``_TOKEN`` is needed by one of them).

Why the other quantifiers of ``_TOKEN`` could simply lose their ``+``: in each, a character
given back could never be matched by what comes next. A name's ``[A-Za-z0-9_]`` is
followed by ``[./]``, ``@``, a quote, a space, ``=`` or ``:``; a number's digits by what
the boundary ``(?![\\w...]|[.,\\-][0-9])`` refuses (a digit, a letter, ".digit"); spaces
by no space; the bracket, "is " and "tensor(" by what no value starts with.
"""

from __future__ import annotations

import ast
import pathlib
import re
from typing import Iterator, List

import pytest

from aomlog.metrics.extract import extract_line

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "aomlog"
_QUANTIFIERS = "*+?}"


def newer_than_39(pattern: str) -> List[str]:
    """The possessive quantifiers and atomic groups in a regular expression's text."""
    found = []
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]":  # "[]...]" holds a "]"
                i += pattern[i + 1] == "^"
                i += 1
        elif pattern.startswith("(?>", i):
            found.append("(?> at %d" % i)
        elif c in _QUANTIFIERS and pattern[i + 1:i + 2] == "+" and pattern[i - 1:i] != "(":
            if c != "}" or re.search(r"(?<!\\)\{[0-9]*,?[0-9]*\Z", pattern[:i]):
                found.append("%s+ at %d" % (c, i))
        i += 1
    return found


def string_literals(path: pathlib.Path) -> Iterator[ast.Constant]:
    """Every string constant of a module but its docstrings (prose, where "C++" is a word)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


@pytest.mark.parametrize("pattern, found", [
    (r"[A-Za-z][A-Za-z0-9_]*+(?:@[0-9]++)?+", ["*+ at 20", "++ at 31", "?+ at 34"]),
    (r"(?>ab|a)c x{2,3}+", ["(?> at 0", "}+ at 15"]),
    (r"[*+?]+ a\++ [+]* (?:x)+ \{2}+ [^]+]*", []),  # in a class, escaped, a literal "{"
    (r"[]++]", []),
])
def test_the_scan_finds_what_python_39_cannot_compile(pattern, found):
    assert newer_than_39(pattern) == found


def test_no_module_of_aomlog_uses_a_possessive_quantifier_or_an_atomic_group():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in string_literals(path):
            for what in newer_than_39(node.value):
                offenders.append("%s:%d: %s" % (path.relative_to(PACKAGE.parent), node.lineno, what))
    assert offenders == []


def test_the_scan_reads_the_metric_rules():
    literals = [n.value for n in string_literals(PACKAGE / "metrics" / "extract.py")]
    assert any("(?P<value>" in text for text in literals)  # the rules are among what it scanned


@pytest.mark.parametrize("line, expected", [
    # A "%" after a value is taken: "5%x" is no value, nor is a tqdm bar's "91%|".
    ("acc=5%x loss=1", (None, None, [("loss", 1.0, "1")])),
    ("acc=91%| 3/10 [00:01<00:02]", (None, None, [])),
    # A "]" after "/total" is taken: "[3/10]x" is no epoch.
    ("Epoch [3/10]x loss=1", (None, None, [("loss", 1.0, "1")])),
    ("Epoch [3/10] loss=1", (None, 3.0, [("loss", 1.0, "1")])),
    # The word after a value is a whole word: "ms=3" names the next metric, "m" is no unit.
    ("loss=0.5 ms=3", (None, None, [("loss", 0.5, "0.5"), ("ms", 3.0, "3")])),
    ("epoch 1 step 63/440 loss=2.3 acc=0.1", (63, 1.0, [("loss", 2.3, "2.3"), ("acc", 0.1, "0.1")])),
    ("loss: 0.5 samples/s", (None, None, [])),
])
def test_values_end_where_a_possessive_quantifier_ended_them(line, expected):
    assert extract_line(line) == expected
