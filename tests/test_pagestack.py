"""The newest N lines, held until the oldest is in: oldest first, in bounded memory."""

from aomlog.api import Page
from aomlog.engine.pagestack import PageStack


def pages(n):
    return [Page(f"page {i}\n", 1, str(i), str(i + 1)) for i in range(n)]


def test_pages_pushed_newest_first_come_back_oldest_first():
    stack = PageStack()
    for page in reversed(pages(3)):
        stack.push(page)
    assert list(stack) == pages(3)


def test_past_the_limit_pages_go_to_a_file_and_come_back_whole():
    stack = PageStack(in_memory=2)
    for page in reversed(pages(5)):
        stack.push(page)
    assert stack._file is not None and len(stack._held) <= 2  # spilled: memory stays at a few pages
    assert list(stack) == pages(5)


def test_iterating_empties_the_stack_and_removes_its_file():
    stack = PageStack(in_memory=1)
    for page in reversed(pages(4)):
        stack.push(page)
    spilled = stack._file
    assert next(iter(stack)) == pages(4)[0]
    stack.close()
    assert len(stack) == 0 and spilled is not None and spilled.closed


def test_an_empty_stack_gives_nothing():
    assert list(PageStack()) == []
